// Judges the facts of one IMAP or POP3 endpoint into findings, plus the one-line summary
// ("IMAP 143 ok (STARTTLS, TLS 1.3, cert 61 days)") that carries the transcript.
import type { CheckContext } from '../../core/check.js';
import type { Finding, Severity } from '../../core/finding.js';
import { finding, worstSeverity } from '../../core/finding.js';
import type { MailboxFacts } from '../../probes/mailbox-facts.js';
import type { Endpoint } from './endpoints.js';
import { endpointLabel } from './endpoints.js';
import type { MailboxDefs, MailboxProtocol } from './mailbox-defs.js';

export type EndpointLike = Pick<Endpoint, 'host' | 'address' | 'port' | 'implicitTls'> & { source?: Endpoint['source'] };

/** Could a client send a password unencrypted before the TLS upgrade? */
export function plaintextLoginAllowed(f: MailboxFacts): boolean {
  const caps = f.capsPlain ?? [];
  if (f.protocol === 'imap') return !caps.includes('LOGINDISABLED');
  const sasl = caps.find((c) => c.startsWith('SASL'))?.split(' ').slice(1) ?? [];
  return !!f.capaUnsupported || caps.includes('USER') || sasl.includes('PLAIN') || sasl.includes('LOGIN');
}

export function judgeMailbox(ctx: CheckContext, e: EndpointLike, f: MailboxFacts, F: MailboxDefs, p: MailboxProtocol, extra: Finding[] = []): Finding[] {
  const subject = endpointLabel(e);
  const out: Finding[] = [];
  const add = (def: Parameters<typeof finding>[0], more: Parameters<typeof finding>[1] = {}) => out.push(finding(def, { subject, ...more }));
  const c = f.connect;
  if (c && !c.ok) {
    const evidence = { kind: c.kind, error: c.error, ms: c.ms };
    if (e.source === 'mx-fallback' && c.kind !== 'tls') {
      add(F.notOnMx, { detail: `${p.name} port ${e.port} on ${e.host}: ${c.kind} (${c.error}). Use --imap-host, or publish ${p.srv} SRV records (RFC 6186) naming the mailbox host.`, evidence });
    } else {
      const def = c.kind === 'refused' ? F.refused : c.kind === 'timeout' ? F.timeout : c.kind === 'tls' ? F.tlsFailed : F.connectFailed;
      add(def, { detail: c.error, evidence });
    }
    return withSummary(ctx, e, f, p, F, out);
  }
  if (f.greeting) {
    const ev = { greeting: f.greeting.text, ms: f.greeting.ms };
    if (f.greeting.status === 'BYE' || f.greeting.status === 'ERR') add(F.greetingRejected, { detail: f.greeting.text, evidence: ev });
    else add(F.greetingOk, { detail: f.greeting.text, evidence: ev });
  }
  out.push(...extra);
  if (f.error) {
    const def = f.error.stage === 'greeting' && (f.error.kind === 'timeout' || f.error.kind === 'closed') ? F.noGreeting : F.protocolError;
    add(def, { detail: `${f.error.stage}: ${f.error.error}${f.error.partial ? ` (got ${JSON.stringify(f.error.partial.slice(0, 80))})` : ''}`, evidence: { ...f.error } });
  }
  const caps = f.capsTls ?? f.capsPlain;
  if (caps) {
    const mechs = f.authMechanisms ?? [];
    const where = f.capsTls ? 'over TLS' : 'without TLS';
    add(F.capabilities, {
      detail: `${caps.join(' ') || '(none)'}; login mechanisms ${where}: ${mechs.length ? mechs.join(', ') : 'none announced'}.`,
      evidence: { before: f.capsPlain, afterTls: f.capsTls, authMechanisms: mechs },
    });
  }
  const st = f.starttls;
  if (st && !e.implicitTls) {
    const plaintext = plaintextLoginAllowed(f);
    if (!st.offered) {
      add(F.starttlsMissing, {
        severity: plaintext ? 'critical' : 'warning',
        detail: `Capabilities before TLS: ${(f.capsPlain ?? []).join(' ') || '(none)'}${plaintext ? '; passwords would travel unencrypted.' : '; plaintext login is disabled, so nobody can log in on this port.'}`,
      });
    } else if (st.result === 'ok') add(F.starttlsOk, { detail: f.tls ? `${f.tls.protocol ?? 'TLS'} ${f.tls.cipher}` : undefined, evidence: { tls: f.tls } });
    else if (st.result === 'refused') add(F.starttlsRefused, { detail: st.reply });
    else if (st.result === 'failed') add(F.starttlsFailed, { detail: st.error });
    if (f.capsPlain && plaintext) add(F.plaintextLogin, { detail: `Capabilities before ${p.tlsCmd}: ${f.capsPlain.join(' ') || '(CAPA not supported)'}.` });
  }
  const login = f.login;
  if (login) {
    const ev = { method: login.method, code: login.code, reply: login.reply, ms: login.ms };
    // A slow "no" is usually a deliberate brute-force delay (Dovecot's auth_failure_delay is 2 s), worth saying.
    const delayed = login.outcome !== 'ok' && (login.ms ?? 0) >= 1000 ? `; the server held the answer back ${login.ms} ms (a brute-force delay or throttling)` : '';
    const detail = [login.method && `${login.method}:`, login.reply ?? login.reason, login.ms !== undefined && `(${login.ms} ms)`].filter(Boolean).join(' ') + delayed;
    const def = { ok: F.loginOk, failed: F.loginFailed, locked: F.loginLocked, 'not-attempted': F.loginNotTested, untrusted: F.loginUntrusted, error: F.loginError }[login.outcome];
    add(def, { detail, evidence: ev });
    if (login.insecure) add(F.loginInsecure, { detail: login.insecure });
  }
  return withSummary(ctx, e, f, p, F, out);
}

function withSummary(ctx: CheckContext, e: EndpointLike, f: MailboxFacts, p: MailboxProtocol, F: MailboxDefs, out: Finding[]): Finding[] {
  const line = summaryLine(ctx, e, f, p, worstSeverity(out.map((x) => x.severity)));
  out.push(finding(F.summary, {
    subject: endpointLabel(e), title: line,
    evidence: { stage: f.stage, ms: f.ms, tls: f.tls, transcript: f.transcript.map((l) => `${String(l.t).padStart(5)} ms ${l.dir === '*' ? '*' : `${l.dir}:`} ${l.text}`) },
  }));
  return out;
}

// The words of tls-summary.ts's summarizeEndpoint, so every service line reads alike.
const WORD: Record<Severity, string> = { ok: 'ok', info: 'ok', warning: 'warning', critical: 'critical', unknown: 'unknown' };

/** "IMAP 143 ok (STARTTLS, TLS 1.3, cert 61 days)". */
export function summaryLine(ctx: CheckContext, e: EndpointLike, f: MailboxFacts, p: MailboxProtocol, worst: Severity): string {
  const c = f.connect;
  if (c && !c.ok) return `${p.name} ${e.port} ${c.kind === 'tls' ? 'TLS handshake failed' : c.kind}`;
  const parts: string[] = [];
  if (e.implicitTls) parts.push('implicit TLS');
  else if (f.starttls) {
    const st = f.starttls;
    parts.push(!st.offered ? `${p.tlsCmd} not offered` : st.result === 'ok' ? p.tlsCmd : `${p.tlsCmd} ${st.result ?? 'not tried'}`);
  }
  if (f.tls) {
    parts.push((f.tls.protocol ?? 'TLS').replace(/^TLSv/, 'TLS '));
    if (f.tls.validTo) {
      const days = Math.floor((Date.parse(f.tls.validTo) - ctx.clock.now()) / 86_400_000);
      parts.push(days < 0 ? 'cert expired' : `cert ${days} day${days === 1 ? '' : 's'}`);
    }
    // Node folds the name check into `authorized`; keep the two apart, as the TLS checks do.
    if (!f.tls.authorized) parts.push(/ALTNAME/.test(f.tls.authorizationError ?? '') ? 'cert name mismatch' : 'cert untrusted');
  }
  if (f.login) parts.push(`login ${f.login.outcome}`);
  if (f.error) parts.push(`${f.error.stage}: ${f.error.kind}`);
  return `${p.name} ${e.port} ${WORD[worst]}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
