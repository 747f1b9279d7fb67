// An in-process DNS server for the lab, the demo and the tests: serves zone records
// over UDP and TCP on one port, answers like a validating recursive resolver would
// (AD for "secure" zones, SERVFAIL for "bogus" ones unless CD is set), and can be
// told to misbehave per name (timeout, SERVFAIL, REFUSED, garbage, delay).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { ZoneRecord } from './zone-file.js';
import { buildIndex, inZones, resolve, toPacket } from './dns-index.js';
import type { Index } from './dns-index.js';
import { encodeFast, parseFast } from './dns-fast.js';

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
    // No send callback: a lost answer is the client's timeout to see, and the callback costs CPU per query.
    if (!reply) return;
    if (opts.delayMs) setTimeout(() => udp.send(reply, rinfo.port, rinfo.address), opts.delayMs);
    else udp.send(reply, rinfo.port, rinfo.address);
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

/**
 * The reply to one query message, or undefined for none. Exported for the test that holds
 * the fast path to the dns-packet path byte for byte (`fastPath` false forces the latter).
 */
export function answer(msg: Buffer, opts: LabDnsOptions, idx: Index, udp: boolean, fastPath = true): Buffer | undefined {
  // The common case (one question, no misbehaviour) skips dns-packet's whole-message codec.
  const fast = fastPath ? parseFast(msg) : undefined;
  if (fast && !opts.refuseAll && !opts.misbehave?.[fast.name] && !(inZones(fast.name, idx.bogus) && !fast.cd)) {
    const limit = udp ? Math.max(512, fast.udpSize ?? 512) : 65535;
    return encodeFast(fast, resolve(idx, fast.name, fast.type, fast.dnssecOk), limit);
  }
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
  if (inZones(name, idx.bogus) && !cd) return rcodeOnly(2);

  const res = resolve(idx, name, question.type, dnssecOk);
  // dns-packet ignores `rcode` on encode: the NXDOMAIN code is in res.flags.
  const full = dnsPacket.encode({ ...base, flags: res.flags, answers: res.answers.map((a) => toPacket(a.rec, a.owner)), authorities: res.authority.map((r) => toPacket(r)) });
  const limit = udp ? Math.max(512, opt?.udpPayloadSize ?? 512) : 65535;
  if (full.length > limit) return dnsPacket.encode({ ...base, flags: res.flags | dnsPacket.TRUNCATED_RESPONSE });
  return full;
}
