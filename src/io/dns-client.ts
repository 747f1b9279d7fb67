// A stub resolver on dns-packet: UDP with TCP fallback on truncation (RFC 7766),
// EDNS0 with the DO/CD bits, per-attempt timeouts, retries across servers, an
// in-flight cap and a per-run cache. Replaces node:dns, which has no TLSA/DS, no AD
// bit and no way to tell SERVFAIL from a timeout reliably.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomFillSync } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { DnsRecord, DnsResponse, DnsStatus, QueryOptions, RRType, Resolver, ServerAddr } from './resolver.js';
import { formatServer } from './resolver.js';

export interface DnsClientOptions {
  servers: ServerAddr[];
  /** Per attempt, per server. */
  timeoutMs?: number;
  /** Extra attempts per server after the first. */
  retries?: number;
  /** Most queries on the wire at once; the rest wait. */
  maxInflight?: number;
  /** Most cached answers kept (LRU; default 50,000, about 100 MB at most). 0 disables the cache. */
  cacheSize?: number;
  /** Called for every wire query (tests and the lookup counter use it). */
  onQuery?: (name: string, type: RRType, server: ServerAddr) => void;
}

const MAX_TCP_MESSAGE = 65535;
const EDNS_UDP_SIZE = 1232; // DNS flag day 2020 recommendation

interface Pending {
  resolve: (buf: Buffer | undefined, error?: string) => void;
  server: ServerAddr;
}

export class DnsClient implements Resolver {
  readonly servers: ServerAddr[];
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxInflight: number;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, Promise<DnsResponse>>();
  /** One connected UDP socket per server: no per-send address handling, and ICMP "port unreachable" comes back as an error. */
  private readonly sockets = new Map<string, { socket: dgram.Socket; ready: Promise<void> }>();
  private readonly pending = new Map<number, Pending>();
  private inflight = 0;
  private readonly waiters: (() => void)[] = [];
  private closed = false;
  /** Wire queries sent, for evidence and benchmarks. */
  queriesSent = 0;

  constructor(private readonly options: DnsClientOptions) {
    if (!options.servers.length) throw new Error('DnsClient needs at least one server');
    this.servers = options.servers;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 1;
    this.maxInflight = options.maxInflight ?? 256;
    this.cacheSize = options.cacheSize ?? 50_000;
  }

  query(name: string, type: RRType, opts: QueryOptions = {}): Promise<DnsResponse> {
    const qname = name.replace(/\.$/, '').toLowerCase() || '.';
    const key = `${qname}|${type}|${opts.dnssec ? 1 : 0}${opts.cd ? 1 : 0}${opts.recursion === false ? 0 : 1}|${opts.server ? formatServer(opts.server) : ''}`;
    const hit = this.cacheSize > 0 ? this.cache.get(key) : undefined;
    if (hit) {
      // Least recently used goes first: shared names (provider includes, NS hosts) stay cached in bulk runs.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const p = this.resolveUncached(qname, type, opts);
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, p);
    }
    return p;
  }

  /** Close the sockets; pending queries end as timeouts. */
  close(): void {
    this.closed = true;
    for (const s of this.sockets.values()) s.socket.close();
    this.sockets.clear();
  }

  private async resolveUncached(name: string, type: RRType, opts: QueryOptions): Promise<DnsResponse> {
    const servers = opts.server ? [opts.server] : this.servers;
    let last: DnsResponse | undefined;
    // Try each server in turn; move on when one cannot tell (RFC 1035 §7.2 resolver behaviour).
    for (const server of servers) {
      for (let attempt = 0; attempt <= this.retries; attempt++) {
        last = await this.exchange(name, type, opts, server);
        if (last.status !== 'timeout' && last.status !== 'error') break;
      }
      if (last && last.status !== 'timeout' && last.status !== 'error' && last.status !== 'servfail' && last.status !== 'refused') return last;
    }
    return last!;
  }

  private async exchange(name: string, type: RRType, opts: QueryOptions, server: ServerAddr): Promise<DnsResponse> {
    const invalid = wireNameProblem(name);
    if (invalid) return failure(name, type, server, 'error', performance.now(), `cannot query this name: ${invalid}`);
    await this.acquire();
    const started = performance.now();
    try {
      this.queriesSent++;
      this.options.onQuery?.(name, type, server);
      const id = this.freeId();
      let msg: Buffer;
      try {
        msg = encodeQuery(id, name, type, opts);
      } catch (e) {
        // A name from a record can be anything (a 70-character label, a space); never throw for it.
        return failure(name, type, server, 'error', started, `cannot query this name: ${(e as Error).message}`);
      }
      const udp = await this.udpExchange(id, msg, server);
      if (udp.error) return failure(name, type, server, 'error', started, udp.error);
      let raw = udp.buf;
      if (raw === undefined) return failure(name, type, server, 'timeout', started);
      let packet = safeDecode(raw);
      if (!packet) return failure(name, type, server, 'error', started, 'malformed response (could not decode)');
      if (((packet.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) !== 0) {
        raw = await tcpExchange(msg, server, this.timeoutMs);
        if (raw === undefined) return failure(name, type, server, 'timeout', started, 'truncated over UDP and no answer over TCP');
        packet = safeDecode(raw);
        if (!packet) return failure(name, type, server, 'error', started, 'malformed TCP response');
      }
      return interpret(name, type, packet, server, started);
    } finally {
      this.release();
    }
  }

  private freeId(): number {
    for (;;) {
      const id = randomId();
      if (!this.pending.has(id)) return id;
    }
  }

  private socketFor(server: ServerAddr): { socket: dgram.Socket; ready: Promise<void> } {
    const key = formatServer(server);
    let s = this.sockets.get(key);
    if (!s) {
      // A large receive buffer: a burst of answers in a bulk run must not be dropped before we read it.
      const sock = dgram.createSocket({ type: net.isIPv6(server.host) ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      sock.on('message', (buf) => {
        if (buf.length < 12) return;
        // A connected socket only receives from the server it is connected to.
        const p = this.pending.get(buf.readUInt16BE(0));
        if (p && p.server === server) p.resolve(buf);
        else if (p && formatServer(p.server) === key) p.resolve(buf);
      });
      sock.on('error', (e: NodeJS.ErrnoException) => {
        // ECONNREFUSED: ICMP port unreachable, nothing listens there. Fail that server's queries now.
        for (const p of this.pending.values()) if (formatServer(p.server) === key) p.resolve(undefined, `${e.code ?? 'error'}: nothing answers DNS at ${key}`);
      });
      // send() on a socket whose connect() is still pending is rejected: wait for it.
      const ready = new Promise<void>((resolve) => sock.connect(server.port, server.host, () => resolve()));
      sock.unref();
      s = { socket: sock, ready };
      this.sockets.set(key, s);
    }
    return s;
  }

  private udpExchange(id: number, msg: Buffer, server: ServerAddr): Promise<{ buf?: Buffer; error?: string }> {
    if (this.closed || !net.isIP(server.host)) return Promise.resolve({});
    return new Promise((resolve) => {
      const done = (buf: Buffer | undefined, error?: string) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve({ buf, error });
      };
      const timer = setTimeout(() => done(undefined), this.timeoutMs);
      this.pending.set(id, { resolve: done, server });
      const { socket, ready } = this.socketFor(server);
      ready.then(() => socket.send(msg, (err) => { if (err) done(undefined, err.message); }), () => undefined);
    });
  }

  private acquire(): Promise<void> {
    if (this.inflight < this.maxInflight) {
      this.inflight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(() => { this.inflight++; resolve(); }));
  }

  private release(): void {
    this.inflight--;
    this.waiters.shift()?.();
  }
}

/** RFC 1035 §2.3.4 limits that dns-packet does not enforce (it would emit a corrupt packet). */
function wireNameProblem(name: string): string | undefined {
  if (name === '.') return undefined;
  if (Buffer.byteLength(name) > 253) return 'longer than 253 bytes';
  for (const label of name.split('.')) {
    if (!label) return 'empty label';
    if (Buffer.byteLength(label) > 63) return `label of ${Buffer.byteLength(label)} bytes (limit 63)`;
  }
  return undefined;
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

function encodeQuery(id: number, name: string, type: RRType, opts: QueryOptions): Buffer {
  let flags = opts.recursion === false ? 0 : dnsPacket.RECURSION_DESIRED;
  if (opts.cd) flags |= dnsPacket.CHECKING_DISABLED;
  return dnsPacket.encode({
    type: 'query',
    id,
    flags,
    questions: [{ type: type as any, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, flags: opts.dnssec ? dnsPacket.DNSSEC_OK : 0 } as any],
  });
}

function safeDecode(buf: Buffer): dnsPacket.Packet | undefined {
  try {
    const p = dnsPacket.decode(buf);
    return p.type === 'response' ? p : undefined;
  } catch {
    return undefined;
  }
}

export function tcpExchange(msg: Buffer, server: ServerAddr, timeoutMs: number): Promise<Buffer | undefined> {
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

const RCODE_STATUS: Record<string, DnsStatus> = { NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };

function interpret(name: string, type: RRType, p: dnsPacket.Packet, server: ServerAddr, started: number): DnsResponse {
  const q = p.questions?.[0];
  if (!q || canonical(q.name) !== canonical(name) || q.type !== type) {
    return failure(name, type, server, 'error', started, 'response does not match the question');
  }
  const rcode = (p as any).rcode as string ?? 'NOERROR';
  const answers = (p.answers ?? []).map(toRecord);
  const cnames: string[] = [];
  let owner = name.toLowerCase();
  for (let i = 0; i < 16; i++) {
    const c = answers.find((a) => a.type === 'CNAME' && a.name.toLowerCase() === owner);
    if (!c || type === 'CNAME') break;
    owner = String(c.data).toLowerCase().replace(/\.$/, '');
    cnames.push(owner);
  }
  const records = answers.filter((a) => a.type === type && (type === 'CNAME' || a.name.toLowerCase() === owner));
  let status: DnsStatus;
  if (rcode === 'NOERROR') status = records.length ? 'answer' : 'nodata';
  else status = RCODE_STATUS[rcode] ?? 'error';
  const flags = p.flags ?? 0;
  const r: DnsResponse = {
    name, type, status, records, cnames,
    authority: (p.authorities ?? []).map(toRecord),
    ad: (flags & dnsPacket.AUTHENTIC_DATA) !== 0,
    aa: (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    rcode, server: formatServer(server), elapsedMs: Math.round(performance.now() - started),
  };
  if (status === 'error') r.error = `unexpected response code ${rcode}`;
  return r;
}

function toRecord(a: dnsPacket.Answer): DnsRecord {
  const anyA = a as any;
  let data = anyA.data;
  if (a.type === 'TXT') {
    const parts: (Buffer | string)[] = Array.isArray(data) ? data : [data];
    data = parts.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
  } else if ((a.type as string) === 'SPF' && Buffer.isBuffer(data)) {
    data = characterStrings(data); // dns-packet has no codec for type 99
  } else if (typeof data === 'string') {
    data = dropDot(data);
  } else if (a.type === 'MX') {
    data = { preference: data.preference, exchange: dropDot(data.exchange ?? '') };
  } else if (a.type === 'SRV') {
    data = { ...data, target: dropDot(data.target ?? '') };
  } else if (a.type === 'SOA') {
    data = { ...data, mname: dropDot(data.mname ?? ''), rname: dropDot(data.rname ?? '') };
  }
  return { name: dropDot(a.name), type: a.type, ttl: anyA.ttl ?? 0, data };
}

/** Compare names case-insensitively, with or without the trailing dot; the root is "". */
function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** "." (the root, as in a null MX) becomes the empty string. */
function dropDot(name: string): string {
  return name === '.' ? '' : name.replace(/\.$/, '');
}

function characterStrings(buf: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < buf.length; ) {
    const len = buf[i]!;
    out.push(buf.subarray(i + 1, i + 1 + len).toString('utf8'));
    i += 1 + len;
  }
  return out;
}

function failure(name: string, type: RRType, server: ServerAddr, status: DnsStatus, started: number, error?: string): DnsResponse {
  const r: DnsResponse = {
    name, type, status, records: [], cnames: [], authority: [], ad: false, aa: false,
    rcode: status === 'timeout' ? 'TIMEOUT' : 'ERROR', server: formatServer(server),
    elapsedMs: Math.round(performance.now() - started),
  };
  if (error) r.error = error;
  return r;
}
