// One load-test connection, on the project's SMTP session (probes/smtp/session.ts) and
// send's AUTH: connect → [TLS] → greeting → EHLO → [STARTTLS → EHLO] → [AUTH], then any
// number of transactions (RFC 5321 §3.3) on it, the MAIL/RCPT/DATA group pipelined when
// the server offered PIPELINING (RFC 2920 §3.1), RSET only after a failed transaction
// (a completed one resets the state by itself, §4.1.1.4). Every read has the step timeout
// and the session's size caps. Phases are timed into the run's histograms.
import { parseEhlo } from '../parsers/smtp-ehlo.js';
import type { SmtpCapabilities } from '../parsers/smtp-ehlo.js';
import { enhancedCode } from '../parsers/smtp-reply.js';
import { SmtpSession } from '../probes/smtp/session.js';
import type { ReplyResult } from '../probes/smtp/session.js';
import { authenticate } from '../send/auth.js';
import { writeData } from '../send/data-writer.js';
import { QUIET_TRANSCRIPT } from './quiet-transcript.js';
import type { LoadStats } from './stats.js';
import type { LoadDeps, LoadSettings, Phase } from './types.js';

/** Why a message (or the connection it needed) failed. */
export interface LoadFailure {
  step: Phase | 'rset';
  /** The reply, when the server answered with a refusal. */
  code?: number;
  enhanced?: string;
  /** Network/protocol failure kind (timeout, closed, refused, tls...), when it did not. */
  kind?: string;
  text: string;
}

/** `closed`: QUIT went with the message (then.quit) and the connection is closed. */
export type SendOutcome = { ok: true; rejectedRcpts: LoadFailure[]; closed?: boolean } | { ok: false; failure: LoadFailure; rejectedRcpts: LoadFailure[]; broken: boolean };

/** A transaction's commands; `sent` is when they went out ahead (behind the previous message). */
interface Group {
  steps: (Phase | 'rset')[];
  lines: string[];
  sent?: number;
}

export class LoadConnection {
  private needRset = false;
  /** The next transaction's group, already written behind the last message. */
  private pending: Group | undefined;
  private constructor(private readonly s: SmtpSession, readonly caps: SmtpCapabilities, private readonly o: LoadSettings, private readonly stats: LoadStats, private readonly untrack: () => void) {}

  /** Open a session up to "ready for MAIL"; a failure says at which step. */
  static async open(o: LoadSettings, deps: LoadDeps, stats: LoadStats, track: (s: { close(): void }) => () => void): Promise<{ ok: true; conn: LoadConnection } | { ok: false; failure: LoadFailure }> {
    const t = o.stepTimeoutMs;
    let t0 = performance.now();
    const c = await deps.net.connect(o.address, o.port, t);
    if (!c.ok) return { ok: false, failure: { step: 'connect', kind: c.kind, text: c.error } };
    stats.phase('connect', performance.now() - t0);
    const s = new SmtpSession(c.socket, QUIET_TRANSCRIPT, { maxSessionBytes: 1024 * 1024 + o.reuse * 4096 });
    // On abort the socket is destroyed under a pending read, which then fails at once
    // (SmtpSession.close() would detach the reader first and leave the read to its timeout).
    const untrack = track({ close: () => s.socket.destroy() });
    const fail = (failure: LoadFailure) => {
      untrack();
      s.close();
      return { ok: false as const, failure };
    };
    const servername = o.host.replace(/^\[(.*)\]$/, '$1');
    if (o.security === 'implicit') {
      // RFC 8314 §3: TLS from the first byte; its handshake is timed as the "starttls" phase.
      t0 = performance.now();
      const h = await s.upgrade(deps.net, servername, t);
      if (!h.ok) return fail({ step: 'starttls', kind: h.kind, text: h.error });
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
      if (!h.ok) return fail({ step: 'starttls', kind: h.kind, text: h.error });
      stats.phase('starttls', performance.now() - t0);
      // RFC 3207 §4.2: what was learnt before TLS is forgotten; ask again.
      caps = await ehlo(s, o, stats);
      if (!('pipelining' in caps)) return fail(caps);
    }
    if (o.auth) {
      const a = await authenticate(s, caps.auth, o.auth, t);
      if (!a.ok) {
        if (a.kind === 'io') return fail({ step: 'auth', kind: a.failure.kind, text: a.failure.error });
        if (a.kind === 'auth') return fail(replyFailure('auth', a.reply.code, a.reply.lines.join(' ')));
        return fail({ step: 'auth', kind: 'auth-not-offered', text: a.error });
      }
      stats.phase('auth', a.ms);
    }
    return { ok: true, conn: new LoadConnection(s, caps, o, stats, untrack) };
  }

  /**
   * One transaction; `broken` means the connection cannot carry another. With PIPELINING,
   * `then.next` (the next message's recipients) sends its MAIL/RCPT/DATA group right behind
   * this message's end of data, and `then.quit` sends QUIT there: RFC 2920 §3.1 allows the
   * message content first in a group. One round trip per message instead of two.
   */
  async send(payload: Buffer, size: number, rcpts: string[], then: { next?: string[]; quit?: boolean } = {}): Promise<SendOutcome> {
    const { s, o, stats } = this;
    const t = o.stepTimeoutMs;
    const pipelined = this.caps.pipelining;
    const group = this.pending ?? this.group(rcpts, size);
    this.pending = undefined;
    if (pipelined && !group.sent) s.sendGroup(group.lines);
    const rejectedRcpts: LoadFailure[] = [];
    let first: LoadFailure | undefined;
    let accepted = 0;
    let go = false;
    let t0 = group.sent ?? performance.now();
    for (let i = 0; i < group.lines.length; i++) {
      const step = group.steps[i]!;
      // Pipelined: each reply is timed from the one before (the server's work on that command).
      const r: ReplyResult = pipelined ? await s.readReply(t) : await s.command(group.lines[i]!, t);
      const now = performance.now();
      if (!r.ok) return this.broken(failureOf(step, r), rejectedRcpts);
      const code = r.reply.code;
      if (step !== 'rset') stats.phase(step, now - t0);
      t0 = now;
      if (code === 421) return this.broken(replyFailure(step, code, r.reply.lines.join(' ')), rejectedRcpts);
      if (step === 'rset') {
        if (code !== 250) first ??= replyFailure('rset', code, r.reply.lines.join(' '));
      } else if (step === 'rcpt') {
        if (code === 250 || code === 251) accepted++;
        // After a refused MAIL the server answers "503 need MAIL": not the recipient's fault.
        else if (!first) rejectedRcpts.push(replyFailure('rcpt', code, r.reply.lines.join(' ')));
      } else if (step === 'data') {
        go = code === 354;
        if (!go && accepted) first ??= replyFailure('data', code, r.reply.lines.join(' '));
      } else if (code !== 250) first ??= replyFailure(step, code, r.reply.lines.join(' '));
      // Lock-step: stop at the first refusal (RSET next time); pipelined: read every reply.
      if (!pipelined && (first || (step === 'rcpt' && i === group.lines.length - 2 && !accepted))) break;
    }
    if (!go) {
      this.needRset = true;
      // The message's failure is counted once: not also as a refused recipient.
      const failure = first ?? rejectedRcpts.shift() ?? { step: 'data' as const, text: 'DATA was not accepted' };
      return { ok: false, failure, rejectedRcpts, broken: false };
    }
    this.needRset = false;
    const next = pipelined && then.next ? this.group(then.next, size) : undefined;
    const quit = pipelined && !next && then.quit;
    const trailer = next ? `${next.lines.join('\r\n')}\r\n` : quit ? 'QUIT\r\n' : '';
    t0 = performance.now();
    const w = await writeData(s.socket, trailer ? Buffer.concat([payload, Buffer.from(trailer, 'latin1')]) : payload, t);
    if (!w.ok) return this.broken({ step: 'eod', kind: w.kind, text: w.error }, rejectedRcpts);
    const e = await s.readReply(t);
    if (!e.ok) return this.broken(failureOf('eod', e), rejectedRcpts);
    const eodAt = performance.now();
    stats.phase('eod', eodAt - t0);
    if (next) this.pending = { ...next, sent: eodAt };
    if (quit) {
      // The 221 is read briefly and not judged (RFC 5321 §4.1.1.10): the work is done.
      await s.readReply(Math.min(t, 2000));
      this.close();
    }
    const closed = quit ? { closed: true } : {};
    if (e.reply.code !== 250) {
      const failure = replyFailure('eod', e.reply.code, e.reply.lines.join(' '));
      return e.reply.code === 421 ? this.broken(failure, rejectedRcpts) : { ok: false, failure, rejectedRcpts, broken: !!quit };
    }
    return { ok: true, rejectedRcpts, ...closed };
  }

  /** The MAIL/RCPT/DATA group of one transaction, RSET first after a failed one. */
  private group(rcpts: string[], size: number): Group {
    const steps: Group['steps'] = [];
    const lines: string[] = [];
    if (this.needRset) {
      steps.push('rset');
      lines.push('RSET');
    }
    steps.push('mail');
    lines.push(`MAIL FROM:<${this.o.from}>${this.caps.size !== undefined ? ` SIZE=${size}` : ''}`);
    for (const r of rcpts) {
      steps.push('rcpt');
      lines.push(`RCPT TO:<${r}>`);
    }
    steps.push('data');
    lines.push('DATA');
    return { steps, lines };
  }

  /** QUIT, waiting briefly for 221 (RFC 5321 §4.1.1.10), then close. */
  async quit(): Promise<void> {
    await this.s.quit(this.o.stepTimeoutMs);
    this.untrack();
  }

  close(): void {
    this.untrack();
    this.s.close();
  }

  private broken(failure: LoadFailure, rejectedRcpts: LoadFailure[]): SendOutcome {
    this.close();
    return { ok: false, failure, rejectedRcpts, broken: true };
  }
}

async function ehlo(s: SmtpSession, o: LoadSettings, stats: LoadStats): Promise<SmtpCapabilities | LoadFailure> {
  const t0 = performance.now();
  const r = await s.command(`EHLO ${o.heloName}`, o.stepTimeoutMs);
  if (!r.ok || r.reply.code !== 250) return failureOf('ehlo', r);
  stats.phase('ehlo', performance.now() - t0);
  return parseEhlo(r.reply.lines);
}

function replyFailure(step: LoadFailure['step'], code: number, text: string): LoadFailure {
  const enhanced = enhancedCode(text);
  return { step, code, ...(enhanced ? { enhanced } : {}), text: text.slice(0, 200) };
}

function failureOf(step: LoadFailure['step'], r: ReplyResult): LoadFailure {
  if (r.ok) return replyFailure(step, r.reply.code, r.reply.lines.join(' '));
  return { step, kind: r.kind, text: r.error.slice(0, 200) };
}
