// Opening a load-test session on the project's SMTP session (probes/smtp/session.ts) and
// send's AUTH: connect → [implicit TLS] → greeting → EHLO → [STARTTLS → EHLO again] →
// [AUTH], each step timed into the run's histograms; a failure says at which step. Once
// ready for MAIL, the socket goes to a LoadConnection for the transactions.
import type net from 'node:net';
import { parseEhlo } from '../parsers/smtp-ehlo.js';
import type { SmtpCapabilities } from '../parsers/smtp-ehlo.js';
import { SmtpSession } from '../probes/smtp/session.js';
import { authenticate } from '../send/auth.js';
import { LoadConnection } from './connection.js';
import { failureOf, ioFailure, replyFailure } from './failure.js';
import type { LoadFailure } from './failure.js';
import { QUIET_TRANSCRIPT } from './quiet-transcript.js';
import { isFailure, ReplyReader } from './reply-reader.js';
import type { LoadStats } from './stats.js';
import type { LoadDeps, LoadSettings } from './types.js';

export type Opened = { ok: true; conn: LoadConnection } | { ok: false; failure: LoadFailure };

/** `track` registers the socket with the run (its abort destroys it) and returns the untrack. */
export async function openConnection(o: LoadSettings, deps: LoadDeps, stats: LoadStats, track: (s: { close(): void }) => () => void): Promise<Opened> {
  const t = o.stepTimeoutMs;
  let t0 = performance.now();
  const c = await deps.net.connect(o.address, o.port, t);
  if (!c.ok) return { ok: false, failure: ioFailure('connect', c.kind, c.error) };
  stats.phase('connect', performance.now() - t0);
  if (o.security === 'none' && !o.auth) return openPlain(c.socket, o, stats, track);
  const s = new SmtpSession(c.socket, QUIET_TRANSCRIPT);
  // On abort the socket is destroyed under a pending read, which then fails at once
  // (SmtpSession.close() would detach the reader first and leave the read to its timeout).
  const untrack = track({ close: () => s.socket.destroy() });
  const fail = (failure: LoadFailure): Opened => {
    untrack();
    s.close();
    return { ok: false, failure };
  };
  const servername = o.host.replace(/^\[(.*)\]$/, '$1');
  if (o.security === 'implicit') {
    // RFC 8314 §3: TLS from the first byte; its handshake is timed as the "starttls" phase.
    t0 = performance.now();
    const h = await s.upgrade(deps.net, servername, t);
    if (!h.ok) return fail(ioFailure('starttls', h.kind, h.error));
    stats.phase('starttls', performance.now() - t0);
  }
  t0 = performance.now();
  const g = await s.readReply(t);
  if (!g.ok || g.reply.code !== 220) return fail(failureOf('greeting', g));
  stats.phase('greeting', performance.now() - t0);
  let caps = await ehlo(s, o, stats);
  if (!('pipelining' in caps)) return fail(caps);
  if (o.security === 'starttls') {
    if (!caps.starttls) return fail({ step: 'starttls', kind: 'tls-not-offered', text: 'the EHLO reply does not list STARTTLS (use --tls none to test without TLS)' });
    t0 = performance.now();
    const r = await s.command('STARTTLS', t);
    if (!r.ok || r.reply.code !== 220) return fail(failureOf('starttls', r));
    const h = await s.upgrade(deps.net, servername, t);
    if (!h.ok) return fail(ioFailure('starttls', h.kind, h.error));
    stats.phase('starttls', performance.now() - t0);
    // RFC 3207 §4.2: what was learnt before TLS is forgotten; ask again.
    caps = await ehlo(s, o, stats);
    if (!('pipelining' in caps)) return fail(caps);
  }
  if (o.auth) {
    const a = await authenticate(s, caps.auth, o.auth, t);
    if (!a.ok) {
      if (a.kind === 'io') return fail(ioFailure('auth', a.failure.kind, a.failure.error));
      if (a.kind === 'auth') return fail(replyFailure('auth', a.reply.code, a.reply.lines.join(' ')));
      return fail({ step: 'auth', kind: 'auth-not-offered', text: a.error });
    }
    stats.phase('auth', a.ms);
  }
  // Nothing may arrive before our MAIL (RFC 5321 §4.3.1: the server only answers).
  const early = await s.drainPending();
  if (early !== undefined) return fail({ step: 'mail', kind: 'protocol', text: `the server sent data nobody asked for: ${early.slice(0, 150)}` });
  return { ok: true, conn: new LoadConnection(s.release(), caps, o, stats, untrack) };
}

/**
 * Without TLS or AUTH (most load runs, one per message with --reuse 1): the greeting and
 * EHLO read by the transactions' own reply reader, so a new connection costs one reader and
 * no hand-over; the same steps, timeouts and caps as on the session.
 */
async function openPlain(socket: net.Socket, o: LoadSettings, stats: LoadStats, track: (s: { close(): void }) => () => void): Promise<Opened> {
  const t = o.stepTimeoutMs;
  const untrack = track({ close: () => socket.destroy() });
  const replies = new ReplyReader(socket);
  replies.full = true;
  const fail = (failure: LoadFailure): Opened => {
    untrack();
    replies.detach();
    socket.destroy();
    return { ok: false, failure };
  };
  let t0 = performance.now();
  const g = replies.take() ?? (await replies.next(t));
  if (isFailure(g)) return fail(ioFailure('greeting', g.kind, g.error));
  if (g.code !== 220) return fail(replyFailure('greeting', g.code, g.text));
  stats.phase('greeting', performance.now() - t0);
  t0 = performance.now();
  socket.write(`EHLO ${o.heloName}\r\n`, 'latin1');
  const e = replies.take() ?? (await replies.next(t));
  if (isFailure(e)) return fail(ioFailure('ehlo', e.kind, e.error));
  if (e.code !== 250) return fail(replyFailure('ehlo', e.code, e.text));
  stats.phase('ehlo', performance.now() - t0);
  replies.full = false;
  // Nothing may arrive before our MAIL (RFC 5321 §4.3.1: the server only answers).
  if (replies.take()) return fail({ step: 'mail', kind: 'protocol', text: 'the server sent a reply nobody asked for' });
  return { ok: true, conn: new LoadConnection(socket, parseEhlo(e.lines ?? []), o, stats, untrack, replies) };
}

/** EHLO and the capabilities its reply lists (RFC 5321 §4.1.1.1). */
async function ehlo(s: SmtpSession, o: LoadSettings, stats: LoadStats): Promise<SmtpCapabilities | LoadFailure> {
  const t0 = performance.now();
  const r = await s.command(`EHLO ${o.heloName}`, o.stepTimeoutMs);
  if (!r.ok || r.reply.code !== 250) return failureOf('ehlo', r);
  stats.phase('ehlo', performance.now() - t0);
  return parseEhlo(r.reply.lines);
}
