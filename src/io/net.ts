// TCP and TLS connections for the server probes: every step has a timeout, failures
// are classified (refused, timeout = filtered, unreachable, reset), and a per-host cap
// keeps a full check from opening too many connections to one server at once.
import net from 'node:net';
import tls from 'node:tls';
import { signalOf } from './deadline.js';
import type { SignalSource } from './deadline.js';

export type NetFailureKind = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'tls' | 'error';

export interface NetFailure {
  ok: false;
  kind: NetFailureKind;
  error: string;
  ms: number;
}

export interface Connected {
  ok: true;
  socket: net.Socket;
  ms: number;
}

export interface TlsConnected {
  ok: true;
  socket: tls.TLSSocket;
  ms: number;
  /** e.g. "TLSv1.3" */
  protocol: string | null;
  cipher: tls.CipherNameAndProtocol;
  /** The leaf with its issuer chain (`issuerCertificate` links), as presented. */
  peer: tls.DetailedPeerCertificate | undefined;
  /** Chain verified against the system store (+ extra CAs); with a servername, Node also checks the name (ERR_TLS_CERT_ALTNAME_INVALID). */
  authorized: boolean;
  authorizationError?: string;
  /** Key exchange: { type: 'ECDH', name: 'X25519', size: 253 } (absent for TLS 1.3 resumption/PSK). */
  ephemeral?: tls.EphemeralKeyInfo | object;
}

export interface TlsParams {
  /** SNI and the name the certificate is checked against by the caller. */
  servername?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher string; probes of TLS 1.0/1.1 need "DEFAULT:@SECLEVEL=0". */
  ciphers?: string;
  /** Extra trust anchors (PEM) for this handshake only, beside the system store and the client's (mxdoctor send --ca). */
  ca?: string[];
  timeoutMs: number;
  /** Cancels the handshake, and later destroys the socket, when it fires (the run's deadline). */
  signal?: AbortSignal;
}

export interface NetClient {
  /** `signal` cancels the attempt and, once connected, destroys the socket when it fires. */
  connect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Connected | NetFailure>;
  /** STARTTLS: TLS over an already connected socket. */
  upgradeTls(socket: net.Socket, params: TlsParams): Promise<TlsConnected | NetFailure>;
  /** Implicit TLS (465, 993, 995). */
  connectTls(host: string, port: number, params: TlsParams): Promise<TlsConnected | NetFailure>;
}

export interface NetClientOptions {
  /** Extra trust anchors (PEM) beside the system store. */
  ca?: string[];
  /** Most simultaneous connections to one address (default 4). */
  maxPerHost?: number;
  /**
   * Refuse every address outside 127.0.0.0/8 and ::1 (tests, the demo, benchmarks: nothing
   * they run may reach another machine). Also on when MXDOCTOR_LOOPBACK_ONLY=1.
   */
  loopbackOnly?: boolean;
}

/** Loopback-only mode asked for by the environment (npm test, bench, CI): the one place that reads it. */
export function loopbackOnlyByEnv(): boolean {
  return process.env.MXDOCTOR_LOOPBACK_ONLY === '1';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host);
}

export function createNetClient(o: NetClientOptions = {}): NetClient {
  // One trust store for every handshake (parsing the roots per connection is expensive).
  const caList = o.ca?.length ? [...tls.rootCertificates, ...o.ca] : undefined;
  // One context per (ciphers, versions): the TLS probe's pinned handshakes would otherwise
  // re-parse ~150 roots each (measured ~130 ms per handshake with --ca, vs ~12 ms).
  const contexts = new Map<string, tls.SecureContext>();
  const contextFor = (c: tls.ConnectionOptions): tls.SecureContext | undefined => {
    if (!caList) return undefined;
    const key = `${c.ciphers ?? ''}|${c.minVersion ?? ''}|${c.maxVersion ?? ''}`;
    let sc = contexts.get(key);
    if (!sc) contexts.set(key, (sc = tls.createSecureContext({ ca: caList, ciphers: c.ciphers, minVersion: c.minVersion, maxVersion: c.maxVersion })));
    return sc;
  };
  const limiter = new HostLimiter(o.maxPerHost ?? 4);
  const loopbackOnly = o.loopbackOnly ?? loopbackOnlyByEnv();
  const blocked = (host: string): NetFailure | undefined =>
    loopbackOnly && !isLoopback(host) ? { ok: false, kind: 'error', error: `not connecting to ${host}: loopback-only mode (tests, demo, benchmarks)`, ms: 0 } : undefined;

  const connect = async (host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Connected | NetFailure> => {
    const refused = blocked(host) ?? cancelled(signal, 0);
    if (refused) return refused;
    const release = await limiter.acquire(host, signal);
    if (!release) return cancelled(signal, 0)!;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const fail = (kind: NetFailureKind, error: string) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ok: false, kind, error, ms: ms(t0) });
      };
      const onAbort = () => fail('timeout', cancelled(signal, 0)!.error);
      const timer = setTimeout(() => fail('timeout', `no TCP answer within ${timeoutMs} ms (filtered or down)`), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('close', release);
      socket.once('error', (e: NodeJS.ErrnoException) => fail(classify(e), `${e.code ?? 'error'}: ${e.message}`));
      socket.once('connect', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        closeOnAbort(socket, signal);
        socket.removeAllListeners('error');
        socket.on('error', () => undefined); // later errors surface through the reader
        resolve({ ok: true, socket, ms: ms(t0) });
      });
    });
  };

  const handshake = (opts: tls.ConnectionOptions, timeoutMs: number, t0: number, release?: () => void, signal?: AbortSignal): Promise<TlsConnected | NetFailure> =>
    new Promise((resolve) => {
      const socket = tls.connect({ ...opts, rejectUnauthorized: false, ...(caList && !opts.ca ? { secureContext: contextFor(opts) } : {}) });
      if (release) socket.once('close', release);
      let settled = false;
      const done = (r: TlsConnected | NetFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!r.ok) socket.destroy();
        else closeOnAbort(socket, signal);
        resolve(r);
      };
      const onAbort = () => done(cancelled(signal, ms(t0))!);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => done({ ok: false, kind: 'timeout', error: `TLS handshake not finished within ${timeoutMs} ms`, ms: ms(t0) }), timeoutMs);
      socket.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, kind: opts.socket ? 'tls' : tlsOrNet(e), error: `${e.code ?? 'error'}: ${e.message}`, ms: ms(t0) }));
      socket.once('secureConnect', () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        const err = socket.authorizationError;
        done({
          ok: true, socket, ms: ms(t0), protocol: socket.getProtocol(), cipher: socket.getCipher(),
          peer: socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined,
          authorized: socket.authorized, authorizationError: err ? String(err) : undefined,
          ephemeral: socket.getEphemeralKeyInfo() ?? undefined,
        });
      });
    });

  const tlsOpts = (p: TlsParams): tls.ConnectionOptions => ({
    // SNI carries host names only (RFC 6066 §3); an IP literal still names the identity to
    // verify, which Node takes from `host` (else it checks an upgraded socket against "localhost").
    ...(p.servername && net.isIP(p.servername) ? { host: p.servername } : { servername: p.servername }),
    minVersion: p.minVersion, maxVersion: p.maxVersion, ciphers: p.ciphers,
    // A one-off trust store: parsed per handshake, fine for the one connection of a send.
    ...(p.ca?.length ? { ca: [...tls.rootCertificates, ...(o.ca ?? []), ...p.ca] } : {}),
  });

  return {
    connect,
    upgradeTls: async (socket, p) => cancelled(p.signal, 0, socket) ?? handshake({ ...tlsOpts(p), socket }, p.timeoutMs, performance.now(), undefined, p.signal),
    async connectTls(host, port, p) {
      const refused = blocked(host) ?? cancelled(p.signal, 0);
      if (refused) return refused;
      const release = await limiter.acquire(host, p.signal);
      if (!release) return cancelled(p.signal, 0)!;
      return handshake({ ...tlsOpts(p), host, port }, p.timeoutMs, performance.now(), release, p.signal);
    },
  };
}

/**
 * The same client with `signal` passed to every call: a check or service hands this to code
 * that does not know about cancellation, and every socket it opens closes when the signal fires.
 */
export function bindSignal(client: NetClient, signal: SignalSource | undefined): NetClient {
  if (!signal) return client;
  return {
    connect: (host, port, timeoutMs, s) => client.connect(host, port, timeoutMs, s ?? signalOf(signal)),
    upgradeTls: (socket, p) => client.upgradeTls(socket, { ...p, signal: p.signal ?? signalOf(signal) }),
    connectTls: (host, port, p) => client.connectTls(host, port, { ...p, signal: p.signal ?? signalOf(signal) }),
  };
}

/** A failure for work the signal cancelled (reported as a timeout: the run's deadline passed). */
function cancelled(signal: AbortSignal | undefined, elapsed: number, socket?: net.Socket): NetFailure | undefined {
  if (!signal?.aborted) return undefined;
  socket?.destroy();
  const r = signal.reason;
  return { ok: false, kind: 'timeout', error: `cancelled: ${r instanceof Error ? r.message : 'the run was stopped'}`, ms: elapsed };
}

/** Destroy an open socket when the signal fires; forget the listener once the socket closes. */
function closeOnAbort(socket: net.Socket, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const kill = () => socket.destroy();
  signal.addEventListener('abort', kill, { once: true });
  socket.once('close', () => signal.removeEventListener('abort', kill));
}

function ms(t0: number): number {
  return Math.round(performance.now() - t0);
}

function classify(e: NodeJS.ErrnoException): NetFailureKind {
  switch (e.code) {
    case 'ECONNREFUSED': return 'refused';
    case 'ECONNRESET': case 'EPIPE': return 'reset';
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL': case 'EAFNOSUPPORT': return 'unreachable';
    case 'ETIMEDOUT': return 'timeout';
    default: return 'error';
  }
}

function tlsOrNet(e: NodeJS.ErrnoException): NetFailureKind {
  const k = classify(e);
  return k === 'error' ? 'tls' : k;
}

/** At most `max` open connections per host; the rest wait their turn. */
class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  constructor(private readonly max: number) {}

  /** The release function, or undefined when the signal fired while waiting. */
  acquire(host: string, signal?: AbortSignal): Promise<(() => void) | undefined> {
    const n = this.active.get(host) ?? 0;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.get(host)?.shift();
      if (next) next();
      else this.active.set(host, (this.active.get(host) ?? 1) - 1);
    };
    if (n < this.max) {
      this.active.set(host, n + 1);
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      const q = this.waiting.get(host) ?? [];
      const turn = () => {
        signal?.removeEventListener('abort', giveUp);
        resolve(release);
      };
      const giveUp = () => {
        const i = q.indexOf(turn);
        if (i >= 0) q.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      q.push(turn);
      this.waiting.set(host, q);
    });
  }
}
