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
    const hit = this.cache.get(key);
    if (hit) return hit;
    // The same question with DO set, already asked: its answer is this one's plus what only
    // DNSSEC-aware askers get (RFC 3225 §3: the AD bit, RRSIG/NSEC records). Take it without
    // them, unless it could not tell (then this question goes out itself).
    const withDo = opts.dnssec ? undefined : this.cache.get(`${qname}|${type}|1${rest}`);
    const p = withDo
      ? withDo.then((r) => (isIndeterminate(r) ? this.lookup(qname, type, opts) : withoutDnssec(r)))
      : this.lookup(qname, type, opts);
    this.cache.set(key, p, PENDING_BYTES + key.length);
    p.then((r) => this.cache.resize(key, PENDING_BYTES + key.length + approxBytes(r)), () => undefined);
    return p;
  }

  private lookup(qname: string, type: RRType, opts: QueryOptions): Promise<DnsResponse> {
    const servers = opts.server ? [opts.server] : this.servers;
    return new Promise<DnsResponse>((resolve) => new Lookup(this.host, qname, type, opts, servers, resolve).run());
  }

  /** Close the sockets; pending queries end as timeouts. */
  close(): void {
    this.host.udp.close();
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

  tcp(msg: Buffer, server: ServerAddr, timeoutMs: number): Promise<Buffer | undefined> {
    return tcpExchange(msg, server, timeoutMs);
  }
}

function tcpExchange(msg: Buffer, server: ServerAddr, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (buf: Buffer | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(buf);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
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
