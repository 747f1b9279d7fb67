// The server side of one lab mail connection (SMTP, IMAP, POP3): capped line reads with
// an idle timeout, replies, and the STARTTLS upgrade. The lab's clients are our own probes,
// but a lab server must not hang or grow without bound either, whatever connects to it.
import type net from 'node:net';
import tls from 'node:tls';

export interface ConnLimits {
  /** Longest line accepted, CRLF excluded (RFC 5321 §4.5.3.1.4: 1000 octets for SMTP commands). */
  maxLineBytes: number;
  /** Everything one connection may send. */
  maxTotalBytes: number;
  /** A client silent this long is dropped. */
  idleMs: number;
}

export const DEFAULT_LIMITS: ConnLimits = { maxLineBytes: 2048, maxTotalBytes: 256 * 1024, idleMs: 15_000 };

export type LineRead = { ok: true; line: string } | { ok: false; why: 'closed' | 'idle' | 'too-long' | 'too-much' };

export class MailConn {
  private buf = '';
  private total = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(public socket: net.Socket, public tls: boolean, private readonly limits: ConnLimits = DEFAULT_LIMITS) {
    this.attach(socket);
  }

  private readonly onData = (d: Buffer) => {
    this.total += d.length;
    this.buf += d.toString('latin1');
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  private attach(s: net.Socket): void {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('close', this.onEnd);
    s.on('error', this.onEnd);
  }

  private detach(s: net.Socket): void {
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onEnd);
    s.off('error', this.onEnd);
  }

  /** The next line without its CRLF (bare LF accepted), or why there is none. */
  async readLine(): Promise<LineRead> {
    const deadline = Date.now() + this.limits.idleMs;
    for (;;) {
      if (this.total > this.limits.maxTotalBytes) return { ok: false, why: 'too-much' };
      const i = this.buf.indexOf('\n');
      if (i >= 0 && i <= this.limits.maxLineBytes + 1) {
        const line = this.buf.slice(0, i).replace(/\r$/, '');
        this.buf = this.buf.slice(i + 1);
        return { ok: true, line };
      }
      if (i > this.limits.maxLineBytes + 1 || (i < 0 && this.buf.length > this.limits.maxLineBytes + 1)) return { ok: false, why: 'too-long' };
      if (this.ended) return { ok: false, why: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, why: 'idle' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = () => {
          this.wake = undefined;
          done();
        };
      });
    }
  }

  /** One reply; several lines are joined with CRLF and written at once. */
  send(...lines: string[]): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(`${lines.join('\r\n')}\r\n`);
  }

  /**
   * The server half of STARTTLS, called right after the "go ahead" reply was written and
   * before any await, so no byte of the ClientHello reaches the plaintext reader. Anything
   * the client sent after the command is discarded (RFC 3207 §4.2, RFC 2595 §3.1).
   */
  async startTls(secureContext: tls.SecureContext, timeoutMs = 10_000): Promise<boolean> {
    const plain = this.socket;
    this.detach(plain);
    this.buf = '';
    const secure = new tls.TLSSocket(plain, { isServer: true, secureContext });
    this.socket = secure;
    this.tls = true;
    this.attach(secure);
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      secure.once('secure', () => { clearTimeout(timer); resolve(true); });
      secure.once('error', () => { clearTimeout(timer); resolve(false); });
      secure.once('close', () => { clearTimeout(timer); resolve(false); });
    });
    if (!ok) this.destroy();
    return ok;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Half-close after the last reply; the socket is destroyed if the client lingers. */
  close(): void {
    const s = this.socket;
    if (s.destroyed) return;
    s.end();
    setTimeout(() => s.destroy(), 1000).unref();
  }

  /** Only ever the outermost socket: destroying the plain socket under a live TLSSocket crashes Node 20 (src/probes/tls-probe.ts). */
  destroy(): void {
    this.socket.destroy();
  }
}
