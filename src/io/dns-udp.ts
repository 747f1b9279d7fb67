// UDP for the stub resolver: one connected socket per server, answers matched to queries by
// id, and one timer for all the deadlines instead of a timer per query (every query has the
// same timeout, so deadlines expire in the order the queries were sent).
import dgram from 'node:dgram';
import net from 'node:net';
import { randomFillSync } from 'node:crypto';
import type { ServerAddr } from './resolver.js';
import { formatServer } from './resolver.js';

/** Told the outcome of one UDP exchange: the answer, or an error, or neither (the timeout). */
export interface UdpWaiter {
  udpDone(buf: Buffer | undefined, error?: string): void;
}

export interface Endpoint {
  socket: dgram.Socket;
  /** "host:port", as DnsResponse.server shows it. */
  key: string;
  connected: boolean;
  /** Why connect() failed (no route, ...): every query to this server fails with it at once. */
  failed?: string;
  ready: Promise<void>;
}

/** Makes the UDP socket for a server (tests inject one whose connect() fails as the kernel's would). */
export type UdpSocketFactory = (type: 'udp4' | 'udp6') => dgram.Socket;

const defaultSocket: UdpSocketFactory = (type) =>
  // A large receive buffer: a burst of answers in a bulk run must not be dropped before we read it.
  dgram.createSocket({ type, recvBufferSize: 4 * 1024 * 1024 });

interface Pending {
  id: number;
  endpoint: Endpoint;
  deadline: number;
  done: boolean;
  waiter: UdpWaiter;
}

export class UdpTransport {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly byAddr = new WeakMap<ServerAddr, Endpoint>();
  private readonly pending = new Map<number, Pending>();
  /** Pending queries in the order sent, hence of deadline; `head` is the oldest not yet swept. */
  private queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly timeoutMs: number, private readonly createSocket: UdpSocketFactory = defaultSocket) {}

  /** A query id that is unpredictable (RFC 5452 §9.2) and not in flight. */
  freeId(): number {
    for (;;) {
      const id = randomId();
      if (!this.pending.has(id)) return id;
    }
  }

  /** The socket for a server, or undefined when it cannot be one (closed, not an IP address). */
  endpoint(server: ServerAddr): Endpoint | undefined {
    if (this.closed) return undefined;
    const known = this.byAddr.get(server);
    if (known) return known;
    if (!net.isIP(server.host)) return undefined;
    const key = formatServer(server);
    const e = this.endpoints.get(key) ?? this.open(server, key);
    this.byAddr.set(server, e);
    return e;
  }

  /** Send `msg` (whose id is `id`); the waiter hears the answer, an error, or the timeout. */
  send(id: number, msg: Buffer, endpoint: Endpoint, waiter: UdpWaiter): void {
    const p: Pending = { id, endpoint, deadline: performance.now() + this.timeoutMs, done: false, waiter };
    this.pending.set(id, p);
    this.queue.push(p);
    if (!this.timer) this.timer = setTimeout(() => this.sweep(), this.timeoutMs);
    if (endpoint.connected || endpoint.failed) this.write(p, msg);
    // send() on a socket whose connect() is still pending is rejected: wait for it.
    else endpoint.ready.then(() => this.write(p, msg), () => undefined);
  }

  /** Stop waiting for query `id` (its asker gave up): its waiter hears a timeout now. */
  abandon(id: number): void {
    const p = this.pending.get(id);
    if (p) this.settle(p, undefined);
  }

  /** Close the sockets; pending queries end as timeouts. */
  close(): void {
    this.closed = true;
    for (const e of this.endpoints.values()) e.socket.close();
    this.endpoints.clear();
    for (const p of this.pending.values()) this.settle(p, undefined);
  }

  private write(p: Pending, msg: Buffer): void {
    if (p.done) return;
    // An unconnected socket's send() wants a port and address: never call it, say why instead.
    if (p.endpoint.failed) return this.settle(p, undefined, p.endpoint.failed);
    try {
      p.endpoint.socket.send(msg, (err) => { if (err) this.settle(p, undefined, unreachable(err)); });
    } catch (err) {
      // A socket closed under us (close() racing a retry): an error for this query, never a throw.
      this.settle(p, undefined, (err as Error).message);
    }
  }

  private settle(p: Pending, buf: Buffer | undefined, error?: string): void {
    if (p.done) return;
    p.done = true;
    this.pending.delete(p.id);
    if (this.pending.size === 0) {
      // Nothing in flight: no timer may keep the process alive, and the queue starts afresh.
      clearTimeout(this.timer);
      this.timer = undefined;
      this.queue = [];
      this.head = 0;
    }
    p.waiter.udpDone(buf, error);
  }

  private sweep(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.head < this.queue.length) {
      const p = this.queue[this.head]!;
      if (!p.done && p.deadline > now) break;
      this.head++;
      this.settle(p, undefined);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    // (A retry sent from within settle() above may have armed the timer already.)
    const next = this.queue[this.head];
    if (next && !this.timer) this.timer = setTimeout(() => this.sweep(), Math.max(1, Math.ceil(next.deadline - now)));
  }

  private open(server: ServerAddr, key: string): Endpoint {
    const socket = this.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    const e: Endpoint = { socket, key, connected: false, ready: Promise.resolve() };
    socket.on('message', (buf) => {
      if (buf.length < 12) return;
      // A connected socket only receives from the server it is connected to; the id must be one sent there.
      const p = this.pending.get(buf.readUInt16BE(0));
      if (p && p.endpoint === e) this.settle(p, buf);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNREFUSED: ICMP port unreachable, nothing listens there. Fail that server's queries now.
      for (const p of this.pending.values()) if (p.endpoint === e) this.settle(p, undefined, `${err.code ?? 'error'}: nothing answers DNS at ${key}`);
    });
    e.ready = new Promise<void>((resolve) => {
      // connect() reports ENETUNREACH/EHOSTUNREACH (offline, a namespace with only loopback, an
      // unroutable --resolver) to this callback only: remember it, or a later send() throws.
      socket.connect(server.port, server.host, (err?: Error) => {
        if (err) {
          e.failed = unreachable(err);
          for (const p of this.pending.values()) if (p.endpoint === e) this.settle(p, undefined, e.failed);
        } else {
          e.connected = true;
        }
        resolve();
      });
    });
    socket.unref();
    this.endpoints.set(key, e);
    return e;
  }
}

const REASONS: Record<string, string> = {
  ENETUNREACH: 'no route', EHOSTUNREACH: 'no route to host', EADDRNOTAVAIL: 'no route (no local address can reach it)',
  EACCES: 'not permitted', EPERM: 'not permitted', ECONNREFUSED: 'nothing answers DNS there',
};

/** "resolver unreachable: no route (ENETUNREACH)": what a user can act on, with the system's code. */
function unreachable(err: NodeJS.ErrnoException): string {
  const code = err.code ?? 'error';
  return `resolver unreachable: ${REASONS[code] ?? err.message} (${code})`;
}

// Query ids must be unpredictable (RFC 5452 §9.2), but a CSPRNG call per query showed in
// bulk profiles: draw them from a pool refilled 2,048 ids at a time.
const ID_POOL = Buffer.alloc(4096);
let idPos = ID_POOL.length;
function randomId(): number {
  if (idPos >= ID_POOL.length) {
    randomFillSync(ID_POOL);
    idPos = 0;
  }
  const id = ID_POOL.readUInt16BE(idPos);
  idPos += 2;
  return id;
}
