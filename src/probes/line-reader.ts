// Reads CRLF-terminated lines from a server with a timeout on every read and caps on
// line and total size, so a tarpit, a 10 MB line or binary garbage ends as a typed
// failure instead of a hang or unbounded memory (DESIGN.md §6).
import type { Duplex } from 'node:stream';
import { Redactor } from '../core/redact.js';

export type ReadFailureKind = 'timeout' | 'closed' | 'line-too-long' | 'too-much-data' | 'error';

export type ReadResult = { ok: true; line: string } | { ok: false; kind: ReadFailureKind; error: string; partial?: string };

export interface LineReaderOptions {
  /** Longest line accepted, without CRLF (RFC 5321 §4.5.3.1.5 says 512 for replies; servers exceed it). */
  maxLineBytes?: number;
  /** Most bytes read over the reader's life. */
  maxTotalBytes?: number;
  /** Secrets of the session: removed from every line and partial line before anyone sees them. */
  redactor?: Redactor;
}

export class LineReader {
  private buf: Buffer = Buffer.alloc(0);
  private total = 0;
  private ended: ReadResult | undefined;
  private wake: (() => void) | undefined;
  private readonly maxLine: number;
  private readonly maxTotal: number;
  private readonly redactor: Redactor;
  private readonly onData = (d: Buffer) => {
    this.total += d.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    if (this.total > this.maxTotal) this.ended ??= { ok: false, kind: 'too-much-data', error: `server sent more than ${this.maxTotal} bytes` };
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended ??= { ok: false, kind: 'closed', error: 'server closed the connection' };
    this.wake?.();
  };
  private readonly onError = (e: NodeJS.ErrnoException) => {
    this.ended ??= { ok: false, kind: e.code === 'ECONNRESET' ? 'closed' : 'error', error: `${e.code ?? 'error'}: ${e.message}` };
    this.wake?.();
  };

  constructor(private readonly socket: Duplex, o: LineReaderOptions = {}) {
    this.maxLine = o.maxLineBytes ?? 4096;
    this.maxTotal = o.maxTotalBytes ?? 1024 * 1024;
    this.redactor = o.redactor ?? Redactor.none;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next line without its line ending (a bare LF is accepted as well). */
  async readLine(timeoutMs: number): Promise<ReadResult> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const end = nl > 0 && this.buf[nl - 1] === 0x0d ? nl - 1 : nl;
        if (end > this.maxLine) return this.tooLong();
        const line = this.redactor.redact(this.buf.subarray(0, end).toString('latin1'));
        this.buf = this.buf.subarray(nl + 1);
        return { ok: true, line };
      }
      if (this.buf.length > this.maxLine) return this.tooLong();
      if (this.ended) return { ...this.ended, ...(this.buf.length ? { partial: this.partial() } : {}) } as ReadResult;
      const left = deadline - performance.now();
      if (left <= 0) {
        return { ok: false, kind: 'timeout', error: `no complete line within ${Math.round(timeoutMs)} ms`, ...(this.buf.length ? { partial: this.partial() } : {}) };
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
      });
    }
  }

  /** Bytes received but not yet read as lines (must be empty before a TLS upgrade: RFC 3207 §4.2). */
  pending(): number {
    return this.buf.length;
  }

  /** Stop reading from the socket (before handing it to TLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  /** The start of an unfinished line, redacted before it is cut (a cut could split a secret). */
  private partial(): string {
    return this.redactor.clip(this.buf.subarray(0, 200 + this.redactor.longest).toString('latin1'), 200, () => '');
  }

  private tooLong(): ReadResult {
    this.ended = { ok: false, kind: 'line-too-long', error: `a line longer than ${this.maxLine} bytes` };
    this.buf = Buffer.alloc(0);
    this.socket.destroy();
    return this.ended;
  }
}
