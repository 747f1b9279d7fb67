// A stub resolver: UDP with TCP fallback on truncation (RFC 7766), EDNS0 with the DO/CD
// bits, per-attempt timeouts, retries across servers, an in-flight cap and a per-run cache.
// Replaces node:dns, which has no TLSA/DS, no AD bit and no way to tell SERVFAIL from a
// timeout reliably. The wire format is in dns-wire.ts, the UDP sockets in dns-udp.ts, the
// attempts of one question (retries, servers, TCP, outcome) in dns-lookup.ts.
import net from 'node:net';
import type { DnsResponse, QueryOptions, RRType, Resolver, ServerAddr } from './resolver.js';
import { formatServer, isIndeterminate } from './resolver.js';
import { AnswerCache, approxBytes } from './dns-cache.js';
import { UdpTransport } from './dns-udp.js';
import type { UdpSocketFactory } from './dns-udp.js';
import { Lookup } from './dns-lookup.js';
import type { LookupHost } from './dns-lookup.js';

export interface DnsClientOptions {
  servers: ServerAddr[];
  /** Per attempt, per server. */
  timeoutMs?: number;
  /** Extra attempts per server after the first. */
  retries?: number;
  /** Most queries on the wire at once; the rest wait. */
  maxInflight?: number;
  /** Bytes of cached answers kept, estimated (default 16 MiB). 0 disables the cache. */
  cacheBytes?: number;
  /** Called for every wire query (tests and the lookup counter use it). */
  onQuery?: (name: string, type: RRType, server: ServerAddr) => void;
  /** Makes the UDP sockets (tests: one whose connect() fails with ENETUNREACH). */
  udpSocket?: UdpSocketFactory;
}

const MAX_TCP_MESSAGE = 65535;
/**
 * A bulk audit asks some names for every domain (provider SPF includes, shared name servers)
 * and most only once: a few MiB of answers hold the shared ones. Per client, so per worker
 * thread in `check --file` (issue 15: 100,000 domains in 250 MB).
 */
export const DEFAULT_CACHE_BYTES = 16 << 20;
/** A pending answer, until its size is known: the cache entry, the key and the promise. */
const PENDING_BYTES = 400;

export class DnsClient implements Resolver {
  readonly servers: ServerAddr[];
  private readonly cache: AnswerCache<Promise<DnsResponse>>;
  private readonly host: Host;
  /** Wire queries in flight by cache key, with who waits for them (cancellation). */
  private readonly askers = new Map<string, Askers>();
  /** Keys whose cached promise ended cancelled: asked again, never answered from the cache. */
  private readonly cancelledKeys = new Set<string>();

  constructor(options: DnsClientOptions) {
    if (!options.servers.length) throw new Error('DnsClient needs at least one server');
    this.servers = options.servers;
    this.cache = new AnswerCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.host = new Host(options);
  }

  /** Wire queries sent, for evidence and benchmarks. */
  get queriesSent(): number {
    return this.host.queriesSent;
  }

  query(name: string, type: RRType, opts: QueryOptions = {}): Promise<DnsResponse> {
    const qname = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase() || '.';
    const rest = `${opts.cd ? 1 : 0}${opts.recursion === false ? 0 : 1}${opts.server ? `|${formatServer(opts.server)}` : ''}`;
    const key = `${qname}|${type}|${opts.dnssec ? 1 : 0}${rest}`;
    const hit = this.cancelledKeys.has(key) ? undefined : this.cache.get(key);
    if (hit) {
      this.askers.get(key)?.join(opts.signal);
      return hit;
    }
    this.cancelledKeys.delete(key);
    // The same question with DO set, already asked: its answer is this one's plus what only
    // DNSSEC-aware askers get (RFC 3225 §3: the AD bit, RRSIG/NSEC records). Take it without
    // them, unless it could not tell (then this question goes out itself).
    const withDo = opts.dnssec ? undefined : this.cache.get(`${qname}|${type}|1${rest}`);
    const p = withDo
      ? withDo.then((r) => (isIndeterminate(r) ? this.lookup(qname, type, opts) : withoutDnssec(r)))
      : this.lookup(qname, type, opts, key);
    this.cache.set(key, p, PENDING_BYTES + key.length);
    p.then((r) => this.cache.resize(key, PENDING_BYTES + key.length + approxBytes(r)), () => undefined);
    return p;
  }

  private lookup(qname: string, type: RRType, opts: QueryOptions, key?: string): Promise<DnsResponse> {
    const servers = opts.server ? [opts.server] : this.servers;
    return new Promise<DnsResponse>((resolve) => {
      let askers: Askers | undefined;
      const lookup = new Lookup(this.host, qname, type, opts, servers, (r) => {
        askers?.end();
        resolve(r);
      });
      if (key !== undefined) {
        askers = new Askers(key, this.askers, (why) => {
          this.cancelledKeys.add(key);
          lookup.cancel(why);
        });
        this.askers.set(key, askers);
        askers.join(opts.signal);
      }
      lookup.run();
    });
  }

  /** Close the sockets; pending queries end as timeouts. */
  close(): void {
    this.host.udp.close();
  }
}

/**
 * Who waits for one wire query. An asker without a signal never gives up; when every asker's
 * signal has fired, the query is cut (its answer would reach nobody) and its key is marked so
 * that a later asker queries again instead of taking the cancelled answer from the cache.
 */
class Askers {
  private open = 0;
  private readonly listening: [AbortSignal, () => void][] = [];

  constructor(private readonly key: string, private readonly all: Map<string, Askers>, private readonly cut: (why: string) => void) {}

  join(signal: AbortSignal | undefined): void {
    this.open++;
    if (!signal) return;
    if (signal.aborted) return this.leave(signal);
    const fn = () => this.leave(signal);
    signal.addEventListener('abort', fn, { once: true });
    this.listening.push([signal, fn]);
  }

  /** The query ended: stop listening (signals outlive many queries). */
  end(): void {
    for (const [signal, fn] of this.listening) signal.removeEventListener('abort', fn);
    this.listening.length = 0;
    if (this.all.get(this.key) === this) this.all.delete(this.key);
  }

  private leave(signal: AbortSignal): void {
    if (--this.open > 0) return;
    const r = signal.reason as unknown;
    this.cut(`cancelled: ${r instanceof Error ? r.message : String(r ?? 'aborted')}`);
  }
}

const DNSSEC_TYPES = new Set(['RRSIG', 'NSEC', 'NSEC3']);

/** A DO answer as the same question without DO gets it: no AD bit, no DNSSEC records beside the answer. */
function withoutDnssec(r: DnsResponse): DnsResponse {
  const records = DNSSEC_TYPES.has(r.type) ? r.records : r.records.filter((a) => !DNSSEC_TYPES.has(a.type));
  return { ...r, ad: false, records, authority: r.authority.filter((a) => !DNSSEC_TYPES.has(a.type)) };
}

/** What the lookups share: the UDP transport, the in-flight cap, the counters, TCP. */
class Host implements LookupHost {
  readonly udp: UdpTransport;
  readonly timeoutMs: number;
  readonly retries: number;
  queriesSent = 0;
  private readonly maxInflight: number;
  private inflight = 0;
  /** Lookups waiting for a slot, first in first out (`waitHead` is the next one). */
  private waiters: Lookup[] = [];
  private waitHead = 0;

  constructor(private readonly options: DnsClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 1;
    this.maxInflight = options.maxInflight ?? 256;
    this.udp = new UdpTransport(this.timeoutMs, options.udpSocket);
  }

  acquire(lookup: Lookup): void {
    if (this.inflight < this.maxInflight) {
      this.inflight++;
      lookup.go();
    } else {
      this.waiters.push(lookup);
    }
  }

  release(): void {
    if (this.waitHead < this.waiters.length) {
      const next = this.waiters[this.waitHead++]!;
      if (this.waitHead === this.waiters.length) {
        this.waiters = [];
        this.waitHead = 0;
      }
      next.go(); // the slot passes to the next lookup: inflight stays the same
    } else {
      this.inflight--;
    }
  }

  sent(name: string, type: RRType, server: ServerAddr): void {
    this.queriesSent++;
    this.options.onQuery?.(name, type, server);
  }

  tcp(msg: Buffer, server: ServerAddr, timeoutMs: number, signal?: AbortSignal): Promise<Buffer | undefined> {
    return tcpExchange(msg, server, timeoutMs, signal);
  }
}

function tcpExchange(msg: Buffer, server: ServerAddr, timeoutMs: number, signal?: AbortSignal): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (buf: Buffer | undefined) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cut);
      sock.destroy();
      resolve(buf);
    };
    const cut = () => finish(undefined);
    const timer = setTimeout(cut, timeoutMs);
    if (signal?.aborted) return cut();
    signal?.addEventListener('abort', cut, { once: true });
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      sock.write(Buffer.concat([len, msg]));
    });
    sock.on('data', (d) => {
      chunks.push(d);
      size += d.length;
      if (size > MAX_TCP_MESSAGE + 2) return finish(undefined);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) finish(all.subarray(2, 2 + all.readUInt16BE(0)));
    });
    sock.on('error', () => finish(undefined));
    sock.on('close', () => finish(undefined));
  });
}
