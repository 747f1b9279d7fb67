// SMTP AUTH (RFC 4954) with PLAIN (RFC 4616, sent as the initial response) or LOGIN
// (the two-prompt base64 exchange every server still offers). The transcript never sees
// a credential: "AUTH PLAIN <redacted>" and each LOGIN answer as "<redacted>".
import type { SmtpSession, ReplyResult } from '../probes/smtp/session.js';
import type { SmtpReply } from '../probes/smtp/types.js';

export type AuthOutcome =
  | { ok: true; mechanism: string; reply: SmtpReply; ms: number }
  /** The server offers neither PLAIN nor LOGIN. */
  | { ok: false; kind: 'auth-not-offered'; error: string; ms: number }
  /** The server answered, and not with 235. */
  | { ok: false; kind: 'auth'; reply: SmtpReply; mechanism: string; ms: number }
  /** No usable answer: timeout, closed, garbage. */
  | { ok: false; kind: 'io'; failure: Extract<ReplyResult, { ok: false }>; ms: number };

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export async function authenticate(s: SmtpSession, offered: string[], cred: { user: string; password: string }, timeoutMs: number): Promise<AuthOutcome> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const mechanism = offered.includes('PLAIN') ? 'PLAIN' : offered.includes('LOGIN') ? 'LOGIN' : undefined;
  if (!mechanism) {
    const what = offered.length ? `the server offers ${offered.join(' ')}; mxdoctor speaks PLAIN and LOGIN` : 'the EHLO reply lists no AUTH extension';
    return { ok: false, kind: 'auth-not-offered', error: what, ms: ms() };
  }
  const done = (r: ReplyResult): AuthOutcome => {
    if (!r.ok) return { ok: false, kind: 'io', failure: r, ms: ms() };
    return r.reply.code === 235 ? { ok: true, mechanism, reply: r.reply, ms: ms() } : { ok: false, kind: 'auth', reply: r.reply, mechanism, ms: ms() };
  };
  if (mechanism === 'PLAIN') {
    // authzid empty, authcid, password (RFC 4616 §2); the Transcript redacts the argument.
    const r = await s.command(`AUTH PLAIN ${b64(`\0${cred.user}\0${cred.password}`)}`, timeoutMs);
    if (r.ok && r.reply.code === 334) return done(await cancel(s, timeoutMs));
    return done(r);
  }
  let r = await s.command('AUTH LOGIN', timeoutMs);
  for (const secret of [cred.user, cred.password]) {
    if (!r.ok || r.reply.code !== 334) return done(r);
    s.transcript.redactNext();
    r = await s.command(b64(secret), timeoutMs);
  }
  return done(r);
}

/** "*" aborts an exchange the server did not finish (RFC 4954 §4); its 501 is the outcome. */
async function cancel(s: SmtpSession, timeoutMs: number): Promise<ReplyResult> {
  return s.command('*', timeoutMs);
}
