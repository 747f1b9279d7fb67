// One load-test connection once it is ready for MAIL (open.ts): any number of transactions
// (RFC 5321 §3.3), the MAIL/RCPT/DATA group pipelined when the server offered PIPELINING
// (RFC 2920 §3.1), RSET only after a failed transaction (a completed one resets the state
// by itself, §4.1.1.4). Replies come from reply-reader.ts under the step timeout; each
// phase is timed into the run's histograms.
import type net from 'node:net';
import type { SmtpCapabilities } from '../parsers/smtp-ehlo.js';
import { writeData } from '../send/data-writer.js';
import { ioFailure, replyFailure } from './failure.js';
import type { LoadFailure } from './failure.js';
import type { LoadMessage } from './message.js';
import { isFailure, ReplyReader } from './reply-reader.js';
import type { LoadStats } from './stats.js';
import type { LoadSettings, Phase } from './types.js';

export type { LoadFailure } from './failure.js';

/** `closed`: QUIT went with the message (then.quit) and the connection is closed. */
export type SendOutcome = { ok: true; rejectedRcpts: LoadFailure[]; closed?: boolean } | { ok: false; failure: LoadFailure; rejectedRcpts: LoadFailure[]; broken: boolean };

/** Bigger messages go out in chunks, each with a stall timeout (send's writer); smaller ones in one corked write. */
const CHUNKED_ABOVE = 256 * 1024;

/** A transaction's commands; `sent` is when they went out ahead (behind the previous message). */
interface Group {
  rset: boolean;
  rcpts: number;
  lines: string[];
  sent?: number;
}

export class LoadConnection {
  private needRset = false;
  /** The next transaction's group, already written behind the last message. */
  private pending: Group | undefined;
  private readonly replies: ReplyReader;

  /** `replies`: the reader that already read the greeting and EHLO (plain sessions), else a new one. */
  constructor(private readonly socket: net.Socket, readonly caps: SmtpCapabilities, private readonly o: LoadSettings, private readonly stats: LoadStats, private readonly untrack: () => void, replies?: ReplyReader) {
    this.replies = replies ?? new ReplyReader(socket);
  }

  /**
   * One transaction; `broken` means the connection cannot carry another. With PIPELINING,
   * `then.next` (the next message's recipients) sends its MAIL/RCPT/DATA group right behind
   * this message's end of data, and `then.quit` sends QUIT there: RFC 2920 §3.1 allows the
   * message content first in a group. One round trip per message instead of two.
   */
  async send(m: LoadMessage, rcpts: string[], then: { next?: string[]; quit?: boolean } = {}): Promise<SendOutcome> {
    const { o, stats, replies } = this;
    const t = o.stepTimeoutMs;
    const pipelined = this.caps.pipelining;
    const g = this.pending ?? this.group(rcpts, m.size);
    this.pending = undefined;
    if (pipelined && g.sent === undefined) this.write(wire(g.lines));
    const rejectedRcpts: LoadFailure[] = [];
    let first: LoadFailure | undefined;
    let accepted = 0;
    let go = false;
    let t0 = g.sent ?? performance.now();
    const n = g.lines.length;
    for (let i = 0; i < n; i++) {
      const step = stepAt(g, i);
      if (!pipelined) this.write(`${g.lines[i]!}\r\n`);
      // Pipelined: each reply is timed from the one before (the server's work on that command).
      const r = replies.take() ?? (await replies.next(t));
      const now = performance.now();
      if (isFailure(r)) return this.broken(ioFailure(step, r.kind, r.error), rejectedRcpts);
      const code = r.code;
      if (step !== 'rset') stats.phase(step, now - t0);
      t0 = now;
      if (code === 421) return this.broken(replyFailure(step, code, r.text), rejectedRcpts);
      if (step === 'rset') {
        if (code !== 250) first ??= replyFailure('rset', code, r.text);
      } else if (step === 'rcpt') {
        if (code === 250 || code === 251) accepted++;
        // After a refused MAIL the server answers "503 need MAIL": not the recipient's fault.
        else if (!first) rejectedRcpts.push(replyFailure('rcpt', code, r.text));
      } else if (step === 'data') {
        go = code === 354;
        if (!go && accepted) first ??= replyFailure('data', code, r.text);
      } else if (code !== 250) first ??= replyFailure(step, code, r.text);
      // Lock-step: stop at the first refusal (RSET next time); pipelined: read every reply.
      if (!pipelined && (first || (step === 'rcpt' && i === n - 2 && !accepted))) break;
    }
    if (!go) {
      this.needRset = true;
      // The message's failure is counted once: not also as a refused recipient.
      const failure = first ?? rejectedRcpts.shift() ?? { step: 'data' as const, text: 'DATA was not accepted' };
      return { ok: false, failure, rejectedRcpts, broken: false };
    }
    this.needRset = false;
    const next = pipelined && then.next ? this.group(then.next, m.size) : undefined;
    const quit = pipelined && !next && then.quit;
    t0 = performance.now();
    const w = await this.writeMessage(m, next ? wire(next.lines) : quit ? 'QUIT\r\n' : '');
    if (w) return this.broken(w, rejectedRcpts);
    const e = replies.take() ?? (await replies.next(t));
    if (isFailure(e)) return this.broken(ioFailure('eod', e.kind, e.error), rejectedRcpts);
    const eodAt = performance.now();
    stats.phase('eod', eodAt - t0);
    if (next) this.pending = { ...next, sent: eodAt };
    if (quit) {
      // The 221 is read briefly and not judged (RFC 5321 §4.1.1.10): the work is done.
      if (!replies.take()) await replies.next(Math.min(t, 2000));
      this.close();
    }
    if (e.code !== 250) {
      const failure = replyFailure('eod', e.code, e.text);
      return e.code === 421 ? this.broken(failure, rejectedRcpts) : { ok: false, failure, rejectedRcpts, broken: !!quit };
    }
    return quit ? { ok: true, rejectedRcpts, closed: true } : { ok: true, rejectedRcpts };
  }

  /** QUIT, waiting briefly for 221 (RFC 5321 §4.1.1.10), then close. */
  async quit(): Promise<void> {
    if (!this.socket.destroyed && this.socket.writable) {
      this.write('QUIT\r\n');
      await this.replies.next(Math.min(this.o.stepTimeoutMs, 2000));
    }
    this.close();
  }

  close(): void {
    this.untrack();
    this.replies.detach();
    this.socket.destroy();
  }

  /** The MAIL/RCPT/DATA group of one transaction, RSET first after a failed one. */
  private group(rcpts: string[], size: number): Group {
    const lines = this.needRset ? ['RSET'] : [];
    // RFC 1870 §4: the size up front, when the server takes SIZE.
    lines.push(`MAIL FROM:<${this.o.from}>${this.caps.size !== undefined ? ` SIZE=${size}` : ''}`);
    for (const r of rcpts) lines.push(`RCPT TO:<${r}>`);
    lines.push('DATA');
    return { rset: this.needRset, rcpts: rcpts.length, lines };
  }

  /**
   * The message (its Message-ID line, then the body built once) and `trailer` behind it. Up to
   * CHUNKED_ABOVE in one corked write: one system call, no copy of the body.
   */
  private async writeMessage(m: LoadMessage, trailer: string): Promise<LoadFailure | undefined> {
    const s = this.socket;
    if (m.rest.length > CHUNKED_ABOVE) {
      const tail = trailer ? [Buffer.from(trailer, 'latin1')] : [];
      const w = await writeData(s, Buffer.concat([Buffer.from(m.nextId(), 'latin1'), m.rest, ...tail]), this.o.stepTimeoutMs);
      return w.ok ? undefined : ioFailure('eod', w.kind, w.error);
    }
    if (s.destroyed || !s.writable) return ioFailure('eod', 'closed', 'the server closed the connection before the message');
    s.cork();
    s.write(m.nextId(), 'latin1');
    s.write(m.rest);
    if (trailer) s.write(trailer, 'latin1');
    s.uncork();
    return undefined;
  }

  private write(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text, 'latin1');
  }

  private broken(failure: LoadFailure, rejectedRcpts: LoadFailure[]): SendOutcome {
    this.close();
    return { ok: false, failure, rejectedRcpts, broken: true };
  }
}

/** Commands as one write (RFC 2920 §3.1: a group of commands, replies read in order). */
function wire(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

function stepAt(g: Group, i: number): Phase | 'rset' {
  const j = g.rset ? i - 1 : i;
  return j < 0 ? 'rset' : j === 0 ? 'mail' : j <= g.rcpts ? 'rcpt' : 'data';
}
