// Open the recipient's mailbox before anything is sent: the host resolved through our
// resolver (then connected by address, with the name as TLS servername), the loopback-only
// guard, and the certificate verdict as a finding.
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import { isLoopback, loopbackOnlyByEnv } from '../io/net.js';
import { credentialVerdict } from '../probes/credential-rule.js';
import { imapFailed } from './delivery-findings.js';
import { ROUNDTRIP_FINDINGS as F } from './findings.js';
import { openMailbox } from './mailbox.js';
import type { ImapTarget, MailboxSession } from './mailbox.js';
import { hostResolver } from './resolve-host.js';
import type { RoundtripDeps, RoundtripRequest } from './types.js';
import { isIP } from 'node:net';

export type Opened = { ok: true; session: MailboxSession; findings: Finding[]; target: ImapTarget } | { ok: false; findings: Finding[] };

export function imapServerName(req: RoundtripRequest): string {
  const h = req.imap.host.includes(':') ? `[${req.imap.host}]` : req.imap.host;
  return `${h}:${req.imap.port}`;
}

export async function openImap(req: RoundtripRequest, deps: RoundtripDeps): Promise<Opened> {
  const server = imapServerName(req);
  const fail = (kind: 'connect', error: string): Opened => ({ ok: false, findings: [imapFailed({ ok: false, kind, error }, server, req.imap.user, false)] });
  let addresses: string[];
  try {
    addresses = await hostResolver(deps.resolver)(req.imap.host);
  } catch (e) {
    return fail('connect', (e as Error).message);
  }
  if (!addresses.length) return fail('connect', `${req.imap.host} has no address (A/AAAA)`);
  const address = addresses[0]!;
  const loopbackOnly = deps.loopbackOnly ?? loopbackOnlyByEnv();
  if (loopbackOnly && !isLoopback(address)) return fail('connect', `not connecting to ${address}: loopback-only mode (tests, demo, benchmarks)`);
  // The credential rule (probes/credential-rule.ts): no TLS at all is decided before connecting.
  const local = deps.loopbackExempt !== false && (isLoopback(req.imap.host) || isLoopback(address));
  const findings: Finding[] = [];
  if (req.imap.security === 'none' && !local) {
    const v = credentialVerdict({ host: req.imap.host, address, insecure: req.imap.insecure, loopbackExempt: false });
    if (!v.ok) return { ok: false, findings: [finding(F.imapPlaintext, { subject: server, detail: `${server}: --imap-tls none to a host that is not loopback: ${v.reason}. The test message was not sent.` })] };
    findings.push(finding(F.imapPlaintext, { subject: server, severity: 'warning', detail: `${server}: ${v.ok && v.note ? v.note : ''}; the mailbox password went over the network in clear text.` }));
  }
  const target: ImapTarget = {
    address, port: req.imap.port, security: req.imap.security, user: req.imap.user, password: req.imap.password,
    timeoutMs: req.imap.timeoutMs ?? 15_000,
    ...(isIP(req.imap.host.replace(/^\[|\]$/g, '')) ? {} : { servername: req.imap.host }),
    ...(req.ca?.length ? { ca: req.ca } : {}),
    // Over TLS, an unverified certificate is accepted only on loopback or with --insecure.
    ...(req.imap.insecure || local ? { insecure: true } : {}),
  };
  const opened = await (deps.openMailbox ?? openMailbox)(target);
  if (!opened.ok) return { ok: false, findings: [imapFailed(opened, server, req.imap.user, !req.imap.insecure)] };
  const t = opened.session.tls;
  if (t && !t.authorized) {
    findings.push(finding(F.imapTlsUntrusted, {
      subject: server, severity: local ? 'info' : 'warning',
      detail: `${server}: the certificate did not verify against the trust store${req.ca?.length ? ' and --ca' : ''}; going on because ${local ? 'the server is on loopback (the password does not leave this machine)' : 'of --insecure'}.`,
      evidence: { protocol: t.protocol, cipher: t.cipher },
    }));
  }
  return { ok: true, session: opened.session, findings, target };
}
