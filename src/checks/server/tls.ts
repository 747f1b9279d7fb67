// TLS on every mail endpoint (25/587 STARTTLS, 465, 143/110 STARTTLS, 993, 995): STARTTLS
// offered, handshake, accepted versions, forward secrecy. Kept apart from the certificate
// (cert family) because anchors that merge "TLS works" with "certificate trusted" mislead
// (research/domain-checkers.md §4 item 5).
import type { Check } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import type { TlsProbeResult } from '../../probes/tls-probe.js';
import { endpointLabel } from './endpoints.js';
import { getDomainTls } from './tls-facts.js';
import type { TlsEndpoint } from './tls-facts.js';
import { TLS_FINDINGS as F } from './tls-findings.js';
import { summarizeEndpoint } from './tls-summary.js';

export const tlsCheck: Check = {
  family: 'tls',
  area: 'TLS',
  connects: true,
  skip: skipUnlessProbing,
  description: 'TLS on every SMTP, submission, IMAP and POP3 endpoint: STARTTLS offered, handshake, TLS 1.0-1.3 accepted, cipher, forward secrecy.',
  findings: Object.values(F),
  async run(target, ctx) {
    const all = await getDomainTls(ctx, target.domain);
    // In a domain check the protocol families (smtp, submission, imap, pop3) already say whether
    // STARTTLS is offered; the TLS family keeps those two findings for `mxdoctor tls` only.
    const ownedElsewhere = new Set([F.starttlsMissing.id, F.starttlsOffered.id]);
    return all.flatMap(({ endpoint, probe }) => {
      const found = judgeTls(endpoint, probe).filter((f) => !ownedElsewhere.has(f.id));
      // IMAP and POP3 write their own summary line (with the login result); SMTP's is written here.
      // No TCP connection: the protocol families say so (or that the service is simply not offered).
      if (endpoint.role === 'mailbox' || probe.open?.stage === 'connect') return found;
      const line = summarizeEndpoint({ service: endpoint.service, port: endpoint.port, implicitTls: endpoint.implicitTls, tls: probe, now: ctx.clock.now() });
      return [...found, finding(F.summary, { subject: endpointLabel(endpoint), title: line })];
    });
  },
};

const SHORT: Record<string, string> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };
export const versionName = (v: string | null | undefined): string => (v ? SHORT[v] ?? v : 'unknown');

/** STARTTLS refused or not advertised (a definite answer) rather than a timeout on the way. */
export function starttlsRefused(p: TlsProbeResult): boolean {
  return p.open?.stage === 'starttls' && !p.open.failure && /not offered|answered|not advertised/i.test(p.open.error);
}

export function judgeTls(e: TlsEndpoint, p: TlsProbeResult): Finding[] {
  const subject = endpointLabel(e);
  const mk = (def: (typeof F)[keyof typeof F], detail: string, evidence: Record<string, unknown> = {}) =>
    finding(def, { subject, detail, evidence: { ms: p.ms, ...evidence } });
  if (p.open) {
    // No TCP connection: reachability is the protocol checks' finding, TLS has nothing to add.
    if (p.open.stage === 'connect') return [];
    if (starttlsRefused(p)) return [mk(F.starttlsMissing, p.open.error, { stage: p.open.stage })];
    return [mk(F.notTested, `${p.open.stage}: ${p.open.error}`, { stage: p.open.stage })];
  }
  const out: Finding[] = [];
  if (!e.implicitTls) out.push(mk(F.starttlsOffered, 'The server accepted STARTTLS.'));
  const h = p.handshake;
  if (p.failure) {
    const def = p.failure.kind === 'timeout' ? F.handshakeTimeout : F.handshakeFailed;
    // A TLS 1.0/1.1-only server fails the default handshake: tls.no-modern-version says that
    // better. A server that manages TLS 1.2+ only with weakened client settings is a failure.
    const modern = p.versions.some((v) => (v.version === 'TLSv1.2' || v.version === 'TLSv1.3') && v.support === 'yes');
    if (!h || def === F.handshakeTimeout || modern) out.push(mk(def, p.failure.error, { failure: p.failure }));
  }
  if (h) {
    const kx = h.keyExchange ? `, ${h.keyExchange}` : '';
    out.push(mk(F.handshakeOk, `${versionName(h.protocol)}, ${h.cipherStandardName ?? h.cipher}${kx}${h.pinned ? ' (only with a legacy-only client configuration)' : ''} in ${h.ms} ms.`, {
      protocol: h.protocol, cipher: h.cipher, cipherStandardName: h.cipherStandardName, keyExchange: h.keyExchange, handshakeMs: h.ms,
    }));
    out.push(h.forwardSecrecy
      ? mk(F.forwardSecrecy, `${versionName(h.protocol)} with ${h.keyExchange ?? 'an ephemeral key exchange'}.`)
      : mk(F.noForwardSecrecy, `${h.cipherStandardName ?? h.cipher} uses a static RSA key exchange.`, { cipher: h.cipher }));
  }
  if (h && p.versions.length) out.push(...judgeVersions(p, mk));
  return out;
}

function judgeVersions(p: TlsProbeResult, mk: (def: (typeof F)[keyof typeof F], detail: string, ev?: Record<string, unknown>) => Finding): Finding[] {
  const out: Finding[] = [];
  const evidence = { versions: p.versions };
  const yes = (v: string) => p.versions.some((x) => x.version === v && x.support === 'yes');
  const accepted = p.versions.filter((v) => v.support === 'yes').map((v) => versionName(v.version));
  const legacy = p.versions.filter((v) => (v.version === 'TLSv1' || v.version === 'TLSv1.1') && v.support === 'yes');
  for (const v of p.versions.filter((x) => x.support === 'unknown')) out.push(mk(F.versionUntested, `${versionName(v.version)}: ${v.reason ?? 'no answer'}`, evidence));
  if (legacy.length) out.push(mk(F.legacyVersions, `Accepted: ${accepted.join(', ')}.`, evidence));
  if (!yes('TLSv1.2') && !yes('TLSv1.3')) {
    const unsure = p.versions.some((v) => (v.version === 'TLSv1.2' || v.version === 'TLSv1.3') && v.support === 'unknown');
    if (!unsure) out.push(mk(F.noModernVersion, `Accepted: ${accepted.join(', ') || 'none'}.`, evidence));
  } else if (!yes('TLSv1.3') && p.versions.some((v) => v.version === 'TLSv1.3' && v.support === 'no')) {
    out.push(mk(F.noTls13, `Accepted: ${accepted.join(', ')}.`, evidence));
  }
  if (!legacy.length && (yes('TLSv1.2') || yes('TLSv1.3')) && !out.some((f) => f.severity === 'unknown')) {
    out.push(mk(F.versionsOk, `Accepted: ${accepted.join(', ')}; TLS 1.0 and 1.1 refused.`, evidence));
  }
  return out;
}
