// One question asked of the stub resolver's servers: each server in turn (RFC 1035 §7.2),
// each with its retries, over UDP with the TCP fallback on truncation (RFC 7766), and the
// outcome classified. A small state machine rather than nested async calls: it runs once per
// wire query, and a promise per step showed in bulk profiles.
import type { DnsResponse, DnsStatus, QueryOptions, RRType, ServerAddr } from './resolver.js';
import { formatServer } from './resolver.js';
import { FLAG, TYPE_CODE, decodeResponse, encodeQuery, rcodeName } from './dns-wire.js';
import type { WireResponse } from './dns-wire.js';
import type { Endpoint, UdpTransport, UdpWaiter } from './dns-udp.js';

/** What a lookup needs from its client: the transport, slots under the in-flight cap, the counters. */
export interface LookupHost {
  readonly udp: UdpTransport;
  readonly retries: number;
  readonly timeoutMs: number;
  /** Call `lookup.go()` now or when a slot frees up; the lookup calls release() when its attempt ends. */
  acquire(lookup: Lookup): void;
  release(): void;
  sent(name: string, type: RRType, server: ServerAddr): void;
  tcp(msg: Buffer, server: ServerAddr, timeoutMs: number, signal?: AbortSignal): Promise<Buffer | undefined>;
}

export class Lookup implements UdpWaiter {
  private serverIndex = 0;
  private attempt = 0;
  private started = 0;
  private msg: Buffer | undefined;
  private last: DnsResponse | undefined;
  /** The current server as DnsResponse.server shows it. */
  private key = '';
  /** Why every asker gave up (cancel()): no retry, no next server, the answer is a timeout. */
  private cancelled: string | undefined;
  /** The UDP query waiting for its answer, or the TCP exchange in progress. */
  private udpId: number | undefined;
  private tcpAbort: AbortController | undefined;

  constructor(
    private readonly host: LookupHost, private readonly name: string, private readonly type: RRType,
    private readonly opts: QueryOptions, private readonly servers: ServerAddr[], private readonly done: (r: DnsResponse) => void,
  ) {}

  run(): void {
    this.host.acquire(this);
  }

  private get server(): ServerAddr {
    return this.servers[this.serverIndex]!;
  }

  /** Every asker gave up: end the attempt in progress (UDP wait, TCP connection) and stop. */
  cancel(why: string): void {
    if (this.cancelled !== undefined) return;
    this.cancelled = why;
    if (this.udpId !== undefined) this.host.udp.abandon(this.udpId);
    this.tcpAbort?.abort();
  }

  /** Send the current attempt (the host calls this once a slot is free). */
  go(): void {
    this.started = performance.now();
    if (this.cancelled !== undefined) return this.end(this.failure('timeout', this.cancelled));
    const id = this.host.udp.freeId();
    const msg = encodeQuery(id, this.name, this.type, { rd: this.opts.recursion !== false, cd: !!this.opts.cd, dnssecOk: !!this.opts.dnssec });
    if (typeof msg === 'string') {
      // A name from a record can be anything (a 70-character label, a space): an error, never a throw.
      // No server could take it, so the answer is the same as after trying them all.
      this.serverIndex = this.servers.length - 1;
      this.key = formatServer(this.server);
      this.host.release();
      this.done(this.failure('error', `cannot query this name: ${msg}`));
      return;
    }
    this.msg = msg;
    this.host.sent(this.name, this.type, this.server);
    const endpoint: Endpoint | undefined = this.host.udp.endpoint(this.server);
    this.key = endpoint?.key ?? formatServer(this.server);
    if (endpoint) {
      this.udpId = id;
      this.host.udp.send(id, msg, endpoint, this);
    } else this.udpDone(undefined);
  }

  udpDone(buf: Buffer | undefined, error?: string): void {
    this.udpId = undefined;
    if (error) return this.end(this.failure('error', error));
    if (buf === undefined) return this.end(this.failure('timeout'));
    const packet = decodeResponse(buf);
    if (!packet) return this.end(this.failure('error', 'malformed response (could not decode)'));
    if ((packet.flags & FLAG.TC) === 0) return this.end(this.interpret(packet));
    this.tcpAbort = new AbortController();
    this.host.tcp(this.msg!, this.server, this.host.timeoutMs, this.tcpAbort.signal).then((raw) => {
      this.tcpAbort = undefined;
      if (raw === undefined) return this.end(this.failure('timeout', 'truncated over UDP and no answer over TCP'));
      const tcp = decodeResponse(raw);
      this.end(tcp ? this.interpret(tcp) : this.failure('error', 'malformed TCP response'));
    }, () => this.end(this.failure('timeout', 'truncated over UDP and no answer over TCP')));
  }

  /** One attempt is over: retry, move to the next server, or finish. */
  private end(r: DnsResponse): void {
    this.host.release();
    if (this.cancelled !== undefined) return this.done(this.failure('timeout', this.cancelled));
    this.last = r;
    const failed = r.status === 'timeout' || r.status === 'error';
    if (failed && this.attempt < this.host.retries) {
      this.attempt++;
      return this.run();
    }
    const cannotTell = failed || r.status === 'servfail' || r.status === 'refused';
    if (cannotTell && this.serverIndex < this.servers.length - 1) {
      this.serverIndex++;
      this.attempt = 0;
      return this.run();
    }
    this.done(this.last);
  }

  private interpret(p: WireResponse): DnsResponse {
    const { name, type } = this;
    if (p.qtype !== TYPE_CODE[type] || canonical(p.qname) !== canonical(name)) {
      return this.failure('error', 'response does not match the question');
    }
    const rcode = rcodeName(p.rcode);
    const answers = p.answers;
    const cnames: string[] = [];
    let owner = canonical(name);
    // A CNAME chain that comes back to a name already seen is a loop (apex → a → b → a), and
    // one longer than 16 links is as broken: the name cannot be resolved, which is not "no
    // record" (RFC 1034 §3.6.2, RFC 1912 §2.4). Both are an error (indeterminate), named.
    let broken: string | undefined;
    const seen = new Set([owner]);
    for (let i = 0; type !== 'CNAME'; i++) {
      const c = answers.find((a) => a.type === 'CNAME' && canonical(a.name) === owner);
      if (!c) break;
      owner = canonical(String(c.data));
      cnames.push(owner);
      if (seen.has(owner)) { broken = `CNAME loop: ${[canonical(name), ...cnames].join(' → ')}`; break; }
      if (i >= 16) { broken = `CNAME chain longer than 16 links from ${canonical(name)}`; break; }
      seen.add(owner);
    }
    const records = broken ? [] : answers.filter((a) => a.type === type && (type === 'CNAME' || canonical(a.name) === owner));
    let status: DnsStatus;
    if (broken) status = 'error';
    else if (rcode === 'NOERROR') status = records.length ? 'answer' : 'nodata';
    else status = RCODE_STATUS[rcode] ?? 'error';
    const r: DnsResponse = {
      name, type, status, records, cnames, authority: p.authority,
      ad: (p.flags & FLAG.AD) !== 0,
      aa: (p.flags & FLAG.AA) !== 0,
      rcode, server: this.key, elapsedMs: Math.round(performance.now() - this.started),
    };
    if (status === 'error') r.error = broken ?? `unexpected response code ${rcode}`;
    return r;
  }

  private failure(status: DnsStatus, error?: string): DnsResponse {
    const r: DnsResponse = {
      name: this.name, type: this.type, status, records: [], cnames: [], authority: [], ad: false, aa: false,
      rcode: status === 'timeout' ? 'TIMEOUT' : 'ERROR', server: this.key,
      elapsedMs: Math.round(performance.now() - this.started),
    };
    if (error) r.error = error;
    return r;
  }

}

const RCODE_STATUS: Record<string, DnsStatus> = { NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };

/** Compare names case-insensitively, with or without the trailing dot; the root is "". */
function canonical(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}
