// The DNS wire format of the stub resolver's hot path: a query (header, one question, an
// EDNS0 OPT RR) written by hand, and a response read up to its authority section, with
// dns-packet decoding each resource record. Both were dns-packet's whole-message codec,
// whose generic passes cost more CPU per query than the UDP round trip (docs/performance.md).
import dnsPacket from 'dns-packet';
import type { DnsRecord, RRType } from './resolver.js';

export const TYPE_CODE: Record<RRType, number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33,
  DS: 43, RRSIG: 46, DNSKEY: 48, TLSA: 52, SPF: 99, CAA: 257,
};

export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, AD: 0x0020, CD: 0x0010 } as const;
const DNSSEC_OK = 0x8000;
export const EDNS_UDP_SIZE = 1232; // DNS flag day 2020 recommendation

// dns-packet's rcodes.toString, so DnsResponse.rcode reads as it always did.
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
export const rcodeName = (n: number): string => RCODES[n] ?? `RCODE_${n}`;

export interface QueryBits {
  rd: boolean;
  cd: boolean;
  dnssecOk: boolean;
}

/**
 * The query message, or why the name cannot go on the wire (RFC 1035 §2.3.4: labels of 1-63
 * bytes, at most 253 bytes of text). `name` has no trailing dot; "." is the root.
 */
export function encodeQuery(id: number, name: string, type: RRType, bits: QueryBits): Buffer | string {
  const text = name === '.' ? 0 : Buffer.byteLength(name);
  if (text > 253) return 'longer than 253 bytes';
  const qlen = text === 0 ? 1 : text + 2;
  const buf = Buffer.allocUnsafe(12 + qlen + 4 + 11);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE((bits.rd ? FLAG.RD : 0) | (bits.cd ? FLAG.CD : 0), 2);
  buf.writeUInt32BE(0x00010000, 4); // QDCOUNT 1, ANCOUNT 0
  buf.writeUInt32BE(0x00000001, 8); // NSCOUNT 0, ARCOUNT 1
  let end = 12;
  if (text) {
    // UTF-8 never puts 0x2e inside a multi-byte character: write the text once, then turn
    // each dot into the length of the label that follows it.
    buf.write(name, 13, 'utf8');
    end = 13 + text;
    let next = end;
    for (let i = end - 1; i >= 12; i--) {
      if (i > 12 && buf[i] !== 0x2e) continue;
      const len = next - i - 1;
      if (len === 0) return 'empty label';
      if (len > 63) return `label of ${len} bytes (limit 63)`;
      buf[i] = len;
      next = i;
    }
  }
  buf[end] = 0;
  buf.writeUInt16BE(TYPE_CODE[type] ?? 0, end + 1);
  buf.writeUInt16BE(1, end + 3); // class IN
  // OPT RR (RFC 6891 §6.1.2): root owner, type 41, UDP size, extended RCODE and version 0, DO bit, no options.
  const o = end + 5;
  buf[o] = 0;
  buf.writeUInt16BE(41, o + 1);
  buf.writeUInt16BE(EDNS_UDP_SIZE, o + 3);
  buf.writeUInt16BE(0, o + 5);
  buf.writeUInt16BE(bits.dnssecOk ? DNSSEC_OK : 0, o + 7);
  buf.writeUInt16BE(0, o + 9);
  return buf;
}

export interface WireResponse {
  id: number;
  flags: number;
  rcode: number;
  qname: string;
  qtype: number;
  answers: DnsRecord[];
  authority: DnsRecord[];
}

/** dns-packet's decoders report the bytes they read in a property of the function. */
type Decoder<T> = ((buf: Buffer, offset: number) => T) & { bytes: number };
const codec = dnsPacket as unknown as { name: { decode: Decoder<string> }; answer: { decode: Decoder<dnsPacket.Answer> } };

/**
 * A response up to its authority section, or undefined when it is not a well-formed
 * response. The additional section (OPT, glue) is not read: nothing uses it.
 */
export function decodeResponse(buf: Buffer): WireResponse | undefined {
  try {
    const flags = buf.readUInt16BE(2);
    if ((flags & FLAG.QR) === 0) return undefined;
    const qd = buf.readUInt16BE(4);
    const an = buf.readUInt16BE(6);
    const ns = buf.readUInt16BE(8);
    let off = 12;
    // The first question is the one answered; no question at all matches nothing (qtype -1).
    let qname = '';
    let qtype = -1;
    for (let i = 0; i < qd; i++) {
      const n = codec.name.decode(buf, off);
      off += codec.name.decode.bytes;
      if (i === 0) {
        qname = n;
        qtype = buf.readUInt16BE(off);
      }
      buf.readUInt16BE(off + 2); // class: throws when the question is cut short
      off += 4;
    }
    const answers: DnsRecord[] = [];
    const authority: DnsRecord[] = [];
    for (let i = 0; i < an + ns; i++) {
      // dns-packet's rdata decoders trust the buffer: check the record fits before decoding it.
      const rdata = skipName(buf, off) + 10;
      const end = rdata + buf.readUInt16BE(rdata - 2);
      if (end > buf.length) return undefined;
      const rr = codec.answer.decode(buf, off);
      off = end;
      (i < an ? answers : authority).push(toRecord(rr));
    }
    return { id: buf.readUInt16BE(0), flags, rcode: flags & 0x0f, qname, qtype, answers, authority };
  } catch {
    return undefined;
  }
}

/** The offset just past the name at `off` (labels, then a zero or a compression pointer). */
function skipName(buf: Buffer, off: number): number {
  for (;;) {
    const len = buf[off];
    if (len === undefined) throw new RangeError('name runs past the message');
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += 1 + len;
  }
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

/** "." (the root, as in a null MX) becomes the empty string; a trailing dot goes. */
function dropDot(name: string): string {
  if (name === '.') return '';
  return name.endsWith('.') ? name.slice(0, -1) : name;
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
