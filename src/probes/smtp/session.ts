// One SMTP connection: send a command, read its (possibly multi-line) reply under a
// deadline and caps, upgrade to TLS. One command at a time: strict servers such as Exim
// answer early talkers with "554 SMTP synchronization error" (testssl.sh #218/#274);
// mxdoctor load pipelines on its own reader (src/load/connection.ts), only when offered.
import type net from 'node:net';
import type { NetClient, TlsConnected, NetFailure, TlsParams } from '../../io/net.js';
import { LineReader } from '../line-reader.js';
import type { ReadResult } from '../line-reader.js';
import type { Transcript } from '../transcript.js';
import { parseReplyLine } from '../../parsers/smtp-reply.js';
import type { SmtpFailureKind, SmtpReply } from './types.js';

/** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it a little. */
const MAX_LINE_BYTES = 2048;
/** A reply longer than this is a tarpit or garbage, not an SMTP reply. */
const MAX_REPLY_LINES = 100;
const MAX_REPLY_BYTES = 64 * 1024;
/** Everything one session may receive. */
const MAX_SESSION_BYTES = 1024 * 1024;

export type ReplyResult = { ok: true; reply: SmtpReply } | { ok: false; kind: SmtpFailureKind; error: string; partial?: string };

export class SmtpSession {
  private reader: LineReader;

  constructor(public socket: net.Socket, readonly transcript: Transcript) {
    this.reader = new LineReader(socket, { maxLineBytes: MAX_LINE_BYTES, maxTotalBytes: MAX_SESSION_BYTES, redactor: transcript.redactor });
  }

  send(line: string): void {
    this.transcript.sent(line);
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  /** Send raw bytes (the smuggling test's message body); the transcript gets a description. */
  sendRaw(data: string, description: string): void {
    this.transcript.sent(description);
    if (!this.socket.destroyed) this.socket.write(data);
  }

  async command(line: string, timeoutMs: number): Promise<ReplyResult> {
    this.send(line);
    return this.readReply(timeoutMs);
  }

  /** One complete reply; `timeoutMs` bounds the whole reply, not each line (a tarpit trickles lines). */
  async readReply(timeoutMs: number): Promise<ReplyResult> {
    const t0 = performance.now();
    const deadline = t0 + timeoutMs;
    const lines: string[] = [];
    let code = 0;
    let bytes = 0;
    let firstLineMs = 0;
    for (;;) {
      const left = Math.max(0, deadline - performance.now());
      const r = await this.reader.readLine(left);
      if (!r.ok) return readFailure(r, lines, timeoutMs);
      this.transcript.received(r.line);
      const parsed = parseReplyLine(r.line);
      if (!parsed || (lines.length && parsed.code !== code)) {
        return { ok: false, kind: 'protocol', error: parsed ? `reply code changed from ${code} to ${parsed.code} within one reply` : 'not an SMTP reply line', partial: r.line.slice(0, 200) };
      }
      if (!lines.length) {
        code = parsed.code;
        firstLineMs = Math.round(performance.now() - t0);
      }
      lines.push(parsed.text);
      bytes += r.line.length + 2;
      if (!parsed.more) return { ok: true, reply: { code, lines, ms: Math.round(performance.now() - t0), firstLineMs } };
      if (lines.length >= MAX_REPLY_LINES || bytes > MAX_REPLY_BYTES) {
        this.socket.destroy();
        return { ok: false, kind: 'protocol', error: `reply still not finished after ${lines.length} lines (${bytes} bytes)`, partial: lines.slice(0, 3).join(' | ') };
      }
    }
  }

  /** Whatever the server sent beyond the last reply (must be nothing before a TLS handshake). */
  async drainPending(): Promise<string | undefined> {
    if (!this.reader.pending()) return undefined;
    const parts: string[] = [];
    while (this.reader.pending() && parts.length < 10) {
      const r = await this.reader.readLine(0);
      if (r.ok) parts.push(r.line);
      else {
        if (r.partial) parts.push(r.partial);
        break;
      }
    }
    return parts.join('\n').slice(0, 500);
  }

  /** STARTTLS (or implicit TLS): hand the socket to TLS and read from the TLS socket from now on. */
  async upgrade(net: NetClient, servername: string, timeoutMs: number, extra: Pick<TlsParams, 'ca'> = {}): Promise<TlsConnected | NetFailure> {
    this.reader.detach();
    const r = await net.upgradeTls(this.socket, { ...extra, servername, timeoutMs });
    if (!r.ok) {
      this.transcript.event(`TLS handshake failed: ${r.error}`);
      this.socket.destroy();
      return r;
    }
    this.transcript.event(`TLS handshake ok in ${r.ms} ms: ${r.protocol ?? '?'} ${r.cipher?.name ?? ''}`);
    this.socket = r.socket;
    this.reader = new LineReader(r.socket, { maxLineBytes: MAX_LINE_BYTES, maxTotalBytes: MAX_SESSION_BYTES, redactor: this.transcript.redactor });
    return r;
  }

  /** Stop reading and hand the socket over (the TLS probe starts its own handshake on it). */
  release(): net.Socket {
    this.reader.detach();
    return this.socket;
  }

  /** QUIT politely (short wait for the 221), then close. Never throws. */
  async quit(timeoutMs: number): Promise<void> {
    if (!this.socket.destroyed && this.socket.writable) {
      this.send('QUIT');
      await this.readReply(Math.min(timeoutMs, 2000));
    }
    this.close();
  }

  close(): void {
    this.reader.detach();
    this.socket.destroy();
  }
}

function readFailure(r: Extract<ReadResult, { ok: false }>, lines: string[], timeoutMs: number): ReplyResult {
  const partial = r.partial ?? (lines.length ? lines.join(' | ').slice(0, 200) : undefined);
  const extra = partial !== undefined ? { partial } : {};
  switch (r.kind) {
    case 'timeout': {
      // Bytes that are not SMTP and no line end: a non-SMTP service (or binary garbage).
      // (A tarpit that has sent "22" so far is slow, not another protocol.)
      if (r.partial && !lines.length && !/^\d{0,3}$|^\d{3}/.test(r.partial)) return { ok: false, kind: 'protocol', error: `no SMTP reply within ${timeoutMs} ms; the server sent bytes that are not SMTP`, ...extra };
      return { ok: false, kind: 'timeout', error: lines.length ? `reply not finished within ${timeoutMs} ms (${lines.length} lines so far)` : `no reply within ${timeoutMs} ms`, ...extra };
    }
    case 'line-too-long':
    case 'too-much-data': return { ok: false, kind: 'protocol', error: r.error, ...extra };
    case 'closed': return { ok: false, kind: /ECONNRESET|EPIPE/.test(r.error) ? 'reset' : 'closed', error: r.error, ...extra };
    default: return { ok: false, kind: /ECONNRESET|EPIPE/.test(r.error) ? 'reset' : 'error', error: r.error, ...extra };
  }
}
