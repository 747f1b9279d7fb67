// `mxdoctor lmtp host:port`: is the LMTP delivery agent up and speaking LMTP (RFC 2033)?
// Host targets only: LMTP is internal (MTA → mailbox store) and has no DNS discovery.
import type { Check, CheckContext, HostTarget } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding, worstSeverity } from '../../core/finding.js';
import { probeLmtp } from '../../probes/lmtp.js';
import type { LmtpFacts } from '../../probes/lmtp.js';
import { endpointLabel } from './endpoints.js';
import { hostAddresses, hostLookupDefs, hostLookupFinding } from './host-addresses.js';

const F = {
  connectFailed: {
    id: 'lmtp.connect-failed', severity: 'critical', title: 'Cannot connect to the LMTP port',
    meaning: 'The TCP connection was refused, timed out (filtered) or failed otherwise; the detail says which. The MTA cannot hand mail to the mailbox server.',
    remediation: 'Check that the LMTP service listens on this address and port (Dovecot: service lmtp { inet_listener lmtp { port = 24 } }) and that firewalls allow the MTA to reach it.',
  },
  greetingOk: { id: 'lmtp.greeting-ok', severity: 'ok', title: 'LMTP server greets with 220', meaning: 'The server sent a 220 greeting.', refs: ['RFC 2033 §4'] },
  greetingRejected: {
    id: 'lmtp.greeting-rejected', severity: 'critical', title: 'LMTP server refuses the session at the greeting',
    meaning: 'The greeting was not 220 (e.g. 421 or 554): the server is overloaded, shutting down or refuses this client.',
    remediation: 'Read the greeting text in the detail and the server\'s logs; check its connection limits and access rules.',
    refs: ['RFC 5321 §4.3.2'],
  },
  noGreeting: {
    id: 'lmtp.no-greeting', severity: 'critical', title: 'LMTP port accepts connections but sends no greeting',
    meaning: 'No complete greeting came within the timeout, or the connection closed first: a hung server or a different protocol on the port.',
    remediation: 'Check the LMTP server process and its logs, and that the port is the LMTP one.',
  },
  protocolError: {
    id: 'lmtp.protocol-error', severity: 'critical', title: 'LMTP server broke the protocol',
    meaning: 'The server sent something that is not an SMTP-style reply (garbage, over-long lines) or dropped the connection mid-session.',
    remediation: 'Check that the port runs an LMTP server; --transcript shows the exchange.',
  },
  lhloOk: { id: 'lmtp.lhlo-ok', severity: 'ok', title: 'LHLO accepted', meaning: 'The server answered LHLO with 250 and its extensions (shown in the detail).', refs: ['RFC 2033 §4.1'] },
  lhloRejected: {
    id: 'lmtp.lhlo-rejected', severity: 'critical', title: 'LHLO rejected: the port may speak SMTP, not LMTP',
    meaning: 'The server answered LHLO with an error. An SMTP server answers "500 unrecognized command" here: LMTP and SMTP must not share a port (RFC 2033 §5).',
    remediation: 'Point the MTA at the LMTP port of the mailbox server (often 24 or a UNIX socket), not at an SMTP port.',
    refs: ['RFC 2033 §4.1', 'RFC 2033 §5'],
  },
  ...hostLookupDefs('lmtp', 'The host given to `mxdoctor lmtp`'),
  summary: { id: 'lmtp.summary', severity: 'info', title: 'LMTP service summary', meaning: 'One line per LMTP endpoint; the evidence holds the transcript.' },
} satisfies Record<string, FindingDef>;

export function judgeLmtp(f: LmtpFacts): Finding[] {
  const subject = endpointLabel(f);
  const out: Finding[] = [];
  const add = (def: (typeof F)[keyof typeof F], detail?: string, evidence?: Record<string, unknown>) => out.push(finding(def, { subject, detail, evidence }));
  const c = f.connect;
  if (c && !c.ok) add(F.connectFailed, `${c.kind}: ${c.error}`, { kind: c.kind, ms: c.ms });
  if (f.greeting) add(f.greeting.code === 220 ? F.greetingOk : F.greetingRejected, `${f.greeting.code} ${f.greeting.lines.join(' | ')}`, { ms: f.greeting.ms });
  if (f.error) {
    const def = f.error.stage === 'greeting' && (f.error.kind === 'timeout' || f.error.kind === 'closed') ? F.noGreeting : F.protocolError;
    add(def, `${f.error.stage}: ${f.error.error}`, { ...f.error });
  }
  if (f.lhlo) {
    if (f.lhlo.code === 250) add(F.lhloOk, f.caps?.raw.join(', ') || '(no extensions)', { extensions: f.caps?.raw, ms: f.lhlo.ms });
    else add(F.lhloRejected, `${f.lhlo.code} ${f.lhlo.lines.join(' | ')}`);
  }
  const worst = worstSeverity(out.map((x) => x.severity));
  const state = c && !c.ok ? c.kind : worst === 'ok' || worst === 'info' ? 'ok' : worst;
  const line = `LMTP ${f.port} ${state}${f.caps?.starttls ? ' (STARTTLS offered)' : ''}`;
  out.push(finding(F.summary, { subject, title: line, evidence: { ms: f.ms, transcript: f.transcript.map((l) => `${String(l.t).padStart(5)} ms ${l.dir === '*' ? '*' : `${l.dir}:`} ${l.text}`) } }));
  return out;
}

async function checkLmtpEndpoint(ctx: CheckContext, host: string, address: string, port: number): Promise<Finding[]> {
  return judgeLmtp(await probeLmtp(ctx.net, { host, address, port, timeoutMs: ctx.options.stepTimeoutMs, heloName: ctx.options.heloName }));
}

export const lmtpHostCheck: Check<HostTarget> = {
  family: 'lmtp',
  area: 'LMTP',
  description: 'LMTP (RFC 2033) on a host and port you name (`mxdoctor lmtp host:port`): greeting and LHLO extensions.',
  findings: Object.values(F),
  async run(target, ctx) {
    const port = target.port ?? 24;
    const addrs = await hostAddresses(ctx, target.host);
    if (!addrs.ok) return [hostLookupFinding(F, addrs, target.host)];
    return (await Promise.all(addrs.addresses.map((a) => checkLmtpEndpoint(ctx, target.host, a, port)))).flat();
  },
};
