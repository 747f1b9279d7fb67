// The load test's reply reader for the transaction phase of a session (after EHLO/AUTH on
// the project's SmtpSession): SMTP replies (RFC 5321 §4.2) parsed straight from the socket's
// bytes into a small queue, one wake-up per reply instead of a promise and a timer per line,
// and one timer per connection re-armed per wait. Same caps as the session: a line of at most
// 2048 bytes, a reply of at most 100 lines, and at most 256 replies nobody asked for yet.
import type { Duplex } from 'node:stream';

export interface WireReply {
  code: number;
  /** The reply's lines joined by spaces; empty for 250 and 354 (unless `full`), whose text is never used. */
  text: string;
  /** Every line's text, while the reader is `full` (the EHLO reply's capabilities). */
  lines?: string[];
}

export type WireFailure = { kind: 'timeout' | 'closed' | 'reset' | 'protocol' | 'error'; error: string };

const MAX_LINE = 2048;
const MAX_LINES = 100;
const MAX_QUEUED = 256;
const LF = 0x0a;
const CR = 0x0d;

export class ReplyReader {
  private buf: Buffer | undefined;
  private readonly queue: WireReply[] = [];
  private failure: WireFailure | undefined;
  /** The lines of a multi-line reply so far (its code is `code`). */
  private lines: string[] = [];
  private code = 0;
  private waiter: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerMs = 0;
  private timedOut = false;
  /** Keep every reply's text and lines (the greeting and EHLO), not only refusals'. */
  full = false;
  private readonly onData = (d: Buffer) => this.data(d);
  private readonly onEnd = () => this.fail({ kind: 'closed', error: 'server closed the connection' });
  private readonly onError = (e: NodeJS.ErrnoException) =>
    this.fail({ kind: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'error', error: `${e.code ?? 'error'}: ${e.message}` });

  constructor(private readonly socket: Duplex) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next reply if it is already here (no wake-up, no promise). */
  take(): WireReply | WireFailure | undefined {
    return this.queue.length ? this.queue.shift()! : this.failure;
  }

  /** The next reply, waiting at most `ms` for it. */
  async next(ms: number): Promise<WireReply | WireFailure> {
    const ready = this.take();
    if (ready) return ready;
    this.timedOut = false;
    if (this.timer && this.timerMs === ms) this.timer.refresh();
    else {
      if (this.timer) clearTimeout(this.timer);
      this.timerMs = ms;
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.waiter?.();
      }, ms);
    }
    await new Promise<void>((resolve) => (this.waiter = resolve));
    this.waiter = undefined;
    const r = this.take();
    if (r) return r;
    return { kind: this.timedOut ? 'timeout' : 'error', error: this.timedOut ? `no reply within ${ms} ms` : 'woken without a reply' };
  }

  /** Stop reading and forget the timer (the connection is being closed). */
  detach(): void {
    if (this.timer) clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  private data(d: Buffer): void {
    let b = this.buf ? Buffer.concat([this.buf, d]) : d;
    let start = 0;
    for (;;) {
      const nl = b.indexOf(LF, start);
      if (nl < 0) break;
      const end = nl > start && b[nl - 1] === CR ? nl - 1 : nl;
      if (end - start > MAX_LINE) return this.fail({ kind: 'protocol', error: `a reply line longer than ${MAX_LINE} bytes` });
      if (!this.line(b, start, end)) return;
      start = nl + 1;
    }
    b = start < b.length ? b.subarray(start) : (undefined as unknown as Buffer);
    if (b && b.length > MAX_LINE) return this.fail({ kind: 'protocol', error: `a reply line longer than ${MAX_LINE} bytes` });
    // Keep only the unfinished line, copied so the socket's chunk is not held.
    this.buf = b ? Buffer.from(b) : undefined;
    if (this.queue.length) this.waiter?.();
  }

  /** One reply line "ddd[ -]text"; false when the session is now failed. */
  private line(b: Buffer, start: number, end: number): boolean {
    const d0 = b[start]! - 48, d1 = b[start + 1]! - 48, d2 = b[start + 2]! - 48;
    const sep = end - start > 3 ? b[start + 3] : 0x20;
    if (end - start < 3 || !(d0 >= 2 && d0 <= 5) || !(d1 >= 0 && d1 <= 5) || !(d2 >= 0 && d2 <= 9) || (sep !== 0x20 && sep !== 0x2d)) {
      this.fail({ kind: 'protocol', error: `not an SMTP reply line: ${b.toString('latin1', start, Math.min(end, start + 80))}` });
      return false;
    }
    const code = d0 * 100 + d1 * 10 + d2;
    if (this.lines.length && code !== this.code) {
      this.fail({ kind: 'protocol', error: `reply code changed from ${this.code} to ${code} within one reply` });
      return false;
    }
    this.code = code;
    const keepText = this.full || (code !== 250 && code !== 354);
    if (sep === 0x2d) {
      // RFC 5321 §4.2.1: "ddd-" continues the reply.
      this.lines.push(keepText ? b.toString('latin1', start + 4, end) : '');
      if (this.lines.length >= MAX_LINES) {
        this.fail({ kind: 'protocol', error: `reply still not finished after ${MAX_LINES} lines` });
        return false;
      }
      return true;
    }
    const last = keepText && end > start + 4 ? b.toString('latin1', start + 4, end) : '';
    const lines = keepText ? (this.lines.length ? [...this.lines, last] : [last]) : undefined;
    const text = lines ? lines.join(' ') : '';
    this.lines = [];
    if (this.queue.length >= MAX_QUEUED) {
      this.fail({ kind: 'protocol', error: `more than ${MAX_QUEUED} replies that were not asked for` });
      return false;
    }
    this.queue.push(this.full && lines ? { code, text, lines } : { code, text });
    return true;
  }

  private fail(f: WireFailure): void {
    if (!this.failure) {
      this.failure = f;
      if (f.kind === 'protocol') this.socket.destroy();
    }
    this.waiter?.();
  }
}

export function isFailure(r: WireReply | WireFailure): r is WireFailure {
  return 'kind' in r;
}
