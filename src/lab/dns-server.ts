// An in-process DNS server for the lab, the demo and the tests: serves zone records
// over UDP and TCP on one port, answers like a validating recursive resolver would
// (AD for "secure" zones, SERVFAIL for "bogus" ones unless CD is set), and can be
// told to misbehave per name (timeout, SERVFAIL, REFUSED, garbage, delay).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { ZoneRecord } from './zone-file.js';

export type Misbehaviour = 'timeout' | 'servfail' | 'refused' | 'garbage' | 'mismatch';

export interface LabDnsOptions {
  records: ZoneRecord[];
  /** Zone apexes whose answers carry AD when the query sets DO. */
  secureZones?: string[];
  /** Zone apexes whose DNSSEC chain is broken: SERVFAIL unless the CD bit is set. */
  bogusZones?: string[];
  /** Names (exact) that misbehave, for any type. */
  misbehave?: Record<string, Misbehaviour>;
  /** Added to every answer, to model a distant server. */
  delayMs?: number;
  /** Answer REFUSED for everything (a lame server). */
  refuseAll?: boolean;
}

export interface LabDnsServer {
  host: string;
  port: number;
  queries: number;
  close(): Promise<void>;
}

export async function startLabDns(opts: LabDnsOptions, bind: { host?: string; port?: number } = {}): Promise<LabDnsServer> {
  const host = bind.host ?? '127.0.0.1';
  const index = buildIndex(opts.records, opts.secureZones, opts.bogusZones);
  const { udp, tcp, port } = await bindBoth(host, bind.port);
  const state: LabDnsServer = { host, port, queries: 0, close: async () => {
    udp.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => tcp.close(() => r()));
  } };
  const sockets = new Set<net.Socket>();
  const later = (fn: () => void) => (opts.delayMs ? setTimeout(fn, opts.delayMs) : fn());

  udp.on('message', (msg, rinfo) => {
    state.queries++;
    const reply = answer(msg, opts, index, true);
    if (reply) later(() => udp.send(reply, rinfo.port, rinfo.address, () => undefined));
  });
  udp.on('error', () => undefined);
  tcp.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        state.queries++;
        const reply = answer(msg, opts, index, false);
        if (!reply) continue;
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length);
        later(() => sock.write(Buffer.concat([len, reply])));
      }
    });
  });
  return state;
}

/**
 * A UDP socket and a TCP listener on the same port. With a random port, the TCP side can
 * find it taken by another process (UDP and TCP ports are separate): try another port.
 */
async function bindBoth(host: string, wanted?: number): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(wanted ?? 0, host, () => { udp.off('error', reject); resolve(); });
    });
    const port = udp.address().port;
    const tcp = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => { tcp.off('error', reject); resolve(); });
      });
      return { udp, tcp, port };
    } catch (e) {
      udp.close();
      if (wanted !== undefined || attempt >= 20) throw e;
    }
  }
}

interface Index {
  byName: Map<string, ZoneRecord[]>;
  /** Every name that exists, including empty non-terminals (RFC 8020). */
  exists: Set<string>;
  soas: Map<string, ZoneRecord>;
  secure: Set<string>;
  bogus: Set<string>;
}

function buildIndex(records: ZoneRecord[], secureZones: string[] = [], bogusZones: string[] = []): Index {
  const byName = new Map<string, ZoneRecord[]>();
  const exists = new Set<string>();
  const soas = new Map<string, ZoneRecord>();
  for (const r of records) {
    const name = r.name.toLowerCase();
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(r);
    if (r.type === 'SOA') soas.set(name, r);
    const labels = name.split('.');
    for (let i = 0; i < labels.length; i++) exists.add(labels.slice(i).join('.'));
  }
  const lower = (zs: string[]) => new Set(zs.map((z) => z.toLowerCase()));
  return { byName, exists, soas, secure: lower(secureZones), bogus: lower(bogusZones) };
}

/** The longest of `zones` that is `name` or an ancestor of it: a walk up the labels, O(depth). */
function zoneOf(name: string, zones: ReadonlySet<string> | ReadonlyMap<string, unknown>): string | undefined {
  for (let n = name; ; ) {
    if (zones.has(n)) return n;
    const dot = n.indexOf('.');
    if (dot < 0) return zones.has('') ? '' : undefined;
    n = n.slice(dot + 1);
  }
}

function answer(msg: Buffer, opts: LabDnsOptions, idx: Index, udp: boolean): Buffer | undefined {
  let q: dnsPacket.Packet;
  try {
    q = dnsPacket.decode(msg);
  } catch {
    return undefined;
  }
  const question = q.questions?.[0];
  if (!question) return undefined;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const opt = (q.additionals ?? []).find((a) => a.type === 'OPT') as any;
  const dnssecOk = !!opt && ((opt.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0;
  const cd = ((q.flags ?? 0) & dnsPacket.CHECKING_DISABLED) !== 0;
  const base = { type: 'response' as const, id: q.id, questions: q.questions };
  const mis = opts.misbehave?.[name];
  if (mis === 'timeout') return undefined;
  if (mis === 'garbage') return Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80, 0xff, 0xff, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef])]);
  const rcodeOnly = (rcode: number) => dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode });
  if (opts.refuseAll || mis === 'refused') return rcodeOnly(5);
  if (mis === 'servfail') return rcodeOnly(2);
  if (mis === 'mismatch') return dnsPacket.encode({ ...base, questions: [{ type: 'A', name: 'other.invalid', class: 'IN' }], flags: 0x8180 });
  const bogus = zoneOf(name, idx.bogus);
  if (bogus && !cd) return rcodeOnly(2);

  const answers: ZoneRecord[] = [];
  let owner = name;
  for (let hop = 0; hop < 8; hop++) {
    const here = lookup(idx, owner);
    const cname = here.find((r) => r.type === 'CNAME');
    if (cname && question.type !== 'CNAME') {
      answers.push({ ...cname, name: owner });
      owner = String(cname.data).toLowerCase();
      continue;
    }
    answers.push(...here.filter((r) => r.type === question.type).map((r) => ({ ...r, name: owner })));
    break;
  }
  const exists = idx.exists.has(owner) || lookup(idx, owner).length > 0;
  const zone = zoneOf(owner, idx.soas);
  const authority = !answers.some((a) => a.type === question.type) && zone ? [idx.soas.get(zone)!] : [];
  const secure = dnssecOk && !!zoneOf(name, idx.secure);
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER;
  if (secure) flags |= dnsPacket.AUTHENTIC_DATA;
  if (!exists && answers.length === 0) flags |= 3; // NXDOMAIN; dns-packet ignores `rcode` on encode
  const full = encode({ ...base, flags, answers: answers.map(toPacket), authorities: authority.map(toPacket) });
  const limit = udp ? Math.max(512, opt?.udpPayloadSize ?? 512) : 65535;
  if (full.length > limit) return dnsPacket.encode({ ...base, flags: flags | dnsPacket.TRUNCATED_RESPONSE });
  return full;
}

function encode(p: dnsPacket.Packet): Buffer {
  return dnsPacket.encode(p);
}

/** Exact name first, then the closest wildcard (RFC 4592, simplified: no closer encloser check). */
function lookup(idx: Index, name: string): ZoneRecord[] {
  const exact = idx.byName.get(name);
  if (exact) return exact;
  if (idx.exists.has(name)) return [];
  const labels = name.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wild = idx.byName.get(`*.${labels.slice(i).join('.')}`);
    if (wild) return wild;
    if (idx.exists.has(labels.slice(i).join('.'))) break;
  }
  return [];
}

function toPacket(r: ZoneRecord): dnsPacket.Answer {
  let data = r.data;
  if (r.type === 'TXT') data = (data as string[]).flatMap(chunk255);
  // dns-packet has no SPF (type 99) codec: send the TXT wire form as raw rdata.
  if (r.type === 'SPF') data = Buffer.concat((data as string[]).flatMap(chunk255).map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
  if (r.type === 'MX' && data.exchange === '') data = { ...data, exchange: '.' };
  return { type: r.type as any, name: r.name, ttl: r.ttl, class: 'IN', data } as dnsPacket.Answer;
}

/** A zone file cannot hold a character-string over 255 bytes (RFC 1035 §3.3); split like a provider would. */
function chunk255(s: string): string[] {
  const b = Buffer.from(s);
  if (b.length <= 255) return [s];
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 255) out.push(b.subarray(i, i + 255).toString());
  return out;
}
