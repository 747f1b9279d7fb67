// A line-oriented client connection shared by the IMAP, POP3 and LMTP probes: one
// LineReader with caps, every line and event in the Transcript, one deadline per step,
// and a STARTTLS upgrade that refuses to go on when the server sent data after its
// "go ahead" reply (plaintext injection, RFC 3207 §4.2 / RFC 2595 §3.1, CVE-2011-0411).
import type net from 'node:net';
import type { NetClient, NetFailure, TlsConnected, TlsParams } from '../io/net.js';
import { LineReader } from './line-reader.js';
import type { ReadResult } from './line-reader.js';
import type { Transcript } from './transcript.js';

/** Facts about the TLS session a probe negotiated, for summaries and evidence. */
export interface TlsSummary {
  protocol: string | null;
  cipher: string;
  authorized: boolean;
  authorizationError?: string;
  /** Certificate notAfter as an ISO date, when a certificate was presented. */
  validTo?: string;
  ms: number;
}

export type UpgradeResult = { ok: true; tls: TlsSummary } | { ok: false; kind: 'injected' | NetFailure['kind']; error: string };

export class LineConn {
  private reader: LineReader;
  private sockets: net.Socket[];

  constructor(socket: net.Socket, readonly transcript: Transcript, readonly timeoutMs: number) {
    this.sockets = [socket];
    this.reader = new LineReader(socket, { maxLineBytes: 8192, maxTotalBytes: 1024 * 1024, redactor: transcript.redactor });
  }

  /** Send a command; `shown` is what the transcript records (never a credential). */
  send(line: string, shown: string = line): void {
    this.transcript.sent(shown);
    const s = this.sockets[this.sockets.length - 1]!;
    if (!s.destroyed && s.writable) s.write(`${line}\r\n`);
  }

  /** A deadline for one protocol step (greeting, one command and its reply). */
  deadline(): number {
    return performance.now() + this.timeoutMs;
  }

  /** Next line before the deadline; failures are recorded as transcript events. */
  async read(deadline: number = this.deadline()): Promise<ReadResult> {
    const r = await this.reader.readLine(Math.max(1, deadline - performance.now()));
    if (r.ok) this.transcript.received(r.line);
    else this.transcript.event(`${r.kind}: ${r.error}${r.partial ? ` (partial: ${JSON.stringify(r.partial.slice(0, 80))})` : ''}`);
    return r;
  }

  /** STARTTLS/STLS after the server's go-ahead: TLS over this socket, a fresh reader on top. */
  async upgrade(netClient: NetClient, params: Omit<TlsParams, 'timeoutMs'>): Promise<UpgradeResult> {
    if (this.reader.pending() > 0) {
      this.transcript.event(`server sent ${this.reader.pending()} bytes after its STARTTLS reply, before the TLS handshake`);
      return { ok: false, kind: 'injected', error: 'the server sent data after its STARTTLS go-ahead (possible plaintext command injection)' };
    }
    this.reader.detach();
    const r = await netClient.upgradeTls(this.sockets[0]!, { ...params, timeoutMs: this.timeoutMs });
    if (!r.ok) {
      this.transcript.event(`TLS handshake failed (${r.kind}): ${r.error}`);
      return { ok: false, kind: r.kind, error: r.error };
    }
    const tls = summarizeTls(r);
    this.transcript.event(`TLS ${tls.protocol ?? '?'} ${tls.cipher}${tls.authorized ? '' : ` (certificate not trusted: ${tls.authorizationError ?? 'unknown'})`} in ${r.ms} ms`);
    this.sockets.push(r.socket);
    this.reader = new LineReader(r.socket, { maxLineBytes: 8192, maxTotalBytes: 1024 * 1024, redactor: this.transcript.redactor });
    return { ok: true, tls };
  }

  /** LOGOUT/QUIT: send and wait briefly (at most 1 s) for the final line; its absence is no finding. */
  async goodbye(line: string, isLast: (line: string) => boolean): Promise<void> {
    this.send(line);
    const deadline = performance.now() + Math.min(this.timeoutMs, 1000);
    for (let i = 0; i < 20; i++) {
      const r = await this.read(deadline);
      if (!r.ok || isLast(r.line)) return;
    }
  }

  /** Bytes received but not yet read as lines. */
  pending(): number {
    return this.reader.pending();
  }

  /** Hand the socket over (a TlsOpener stops here); the reader stops consuming it. */
  release(): net.Socket {
    this.reader.detach();
    return this.sockets[this.sockets.length - 1]!;
  }

  close(): void {
    this.reader.detach();
    for (const s of this.sockets.reverse()) s.destroy();
  }
}

export function summarizeTls(r: TlsConnected): TlsSummary {
  const out: TlsSummary = { protocol: r.protocol, cipher: r.cipher?.name ?? '?', authorized: r.authorized, ms: r.ms };
  if (r.authorizationError) out.authorizationError = r.authorizationError;
  const to = r.peer?.valid_to ? Date.parse(r.peer.valid_to) : NaN;
  if (!Number.isNaN(to)) out.validTo = new Date(to).toISOString();
  return out;
}
