// The lab DNS server's fast path for the queries a stub resolver sends (one question of a
// known type, at most an OPT RR without options): read by hand, answered by copying the
// question and each record's wire form (encoded once, then kept), byte for byte what the
// dns-packet path in dns-server.ts would send (test/dns-lab-server.test.ts compares them).
// The bench's bulk audit runs against this server on the same cores as mxdoctor.
import dnsPacket from 'dns-packet';
import type { ZoneRecord } from './zone-file.js';
import type { Resolution } from './dns-index.js';
import { toPacket } from './dns-index.js';
import { TYPE_CODE } from '../io/dns-wire.js';

const TYPE_NAME: Record<number, string> = Object.fromEntries(Object.entries(TYPE_CODE).map(([name, code]) => [code, name]));

export interface FastQuery {
  id: number;
  /** Lower case, no trailing dot. */
  name: string;
  type: string;
  /** The question section as received (name in its original case, type, class). */
  question: Buffer;
  /** Bytes of the name in `question`. */
  nameLength: number;
  cd: boolean;
  dnssecOk: boolean;
  /** The OPT RR's UDP payload size, when there is one. */
  udpSize?: number;
}

const SCRATCH = Buffer.alloc(256);

/** The query, when it is one the fast path answers exactly like the dns-packet path; else undefined. */
export function parseFast(msg: Buffer): FastQuery | undefined {
  if (msg.length < 17 || msg.readUInt32BE(4) !== 0x00010000 || msg.readUInt16BE(8) !== 0) return undefined;
  const arcount = msg.readUInt16BE(10);
  if (arcount > 1) return undefined;
  let off = 12;
  // Labels of printable ASCII without dots, so the name decodes and encodes back to the same
  // bytes. The name is spelt into SCRATCH in lower case with dots, then read as one string.
  for (let len = msg[off]!; len !== 0; len = msg[off]!) {
    if (len > 63 || off + 1 + len + 5 > msg.length) return undefined;
    if (off > 12) SCRATCH[off - 13] = 0x2e;
    for (let i = off + 1; i <= off + len; i++) {
      const c = msg[i]!;
      if (c < 0x21 || c > 0x7e || c === 0x2e) return undefined;
      SCRATCH[i - 13] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    }
    off += 1 + len;
  }
  if (off === 12 || off - 12 + 1 > 255) return undefined;
  const nameLength = off + 1 - 12;
  const type = TYPE_NAME[msg.readUInt16BE(off + 1)];
  if (!type || msg.readUInt16BE(off + 3) !== 1) return undefined; // class IN
  const qEnd = off + 5;
  const q: FastQuery = {
    id: msg.readUInt16BE(0), name: SCRATCH.toString('latin1', 0, off - 13), type, question: msg.subarray(12, qEnd), nameLength,
    cd: (msg.readUInt16BE(2) & dnsPacket.CHECKING_DISABLED) !== 0, dnssecOk: false,
  };
  if (arcount === 0) return qEnd === msg.length ? q : undefined;
  // OPT RR (RFC 6891 §6.1.2): root owner, type 41, UDP size, extended RCODE, version, flags, no options.
  if (msg.length !== qEnd + 11 || msg[qEnd] !== 0 || msg.readUInt16BE(qEnd + 1) !== 41 || msg.readUInt16BE(qEnd + 9) !== 0) return undefined;
  q.udpSize = msg.readUInt16BE(qEnd + 3);
  q.dnssecOk = (msg.readUInt16BE(qEnd + 7) & dnsPacket.DNSSEC_OK) !== 0;
  return q;
}

const codec = dnsPacket as unknown as { answer: { encode(a: dnsPacket.Answer): Buffer }; name: { encode(n: string): Buffer } };
/** Type, class, TTL, length and rdata of a record: everything after the owner name. */
const tails = new WeakMap<ZoneRecord, Buffer>();
/** Whole records served under their own name (the SOA of negative answers). */
const whole = new WeakMap<ZoneRecord, Buffer>();

function tailOf(r: ZoneRecord): Buffer {
  let t = tails.get(r);
  if (!t) tails.set(r, (t = codec.answer.encode(toPacket(r, '.')).subarray(1)));
  return t;
}

function wholeOf(r: ZoneRecord): Buffer {
  let w = whole.get(r);
  if (!w) whole.set(r, (w = codec.answer.encode(toPacket(r))));
  return w;
}

/** The response; truncated to the header and question (TC set) when it exceeds `limit` bytes. */
export function encodeFast(q: FastQuery, res: Resolution, limit: number): Buffer {
  const parts: Buffer[] = [];
  let lowerName: Buffer | undefined;
  let size = 12 + q.question.length;
  for (const { owner, rec } of res.answers) {
    let ownerBytes: Buffer;
    if (owner === q.name) ownerBytes = lowerName ??= lowerAscii(q.question.subarray(0, q.nameLength));
    else ownerBytes = codec.name.encode(owner);
    const tail = tailOf(rec);
    parts.push(ownerBytes, tail);
    size += ownerBytes.length + tail.length;
  }
  for (const rec of res.authority) {
    const w = wholeOf(rec);
    parts.push(w);
    size += w.length;
  }
  const truncated = size > limit;
  const out = Buffer.allocUnsafe(truncated ? 12 + q.question.length : size);
  out.writeUInt16BE(q.id, 0);
  out.writeUInt16BE(((res.flags | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0)) & 0x7fff) | 0x8000, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(truncated ? 0 : res.answers.length, 6);
  out.writeUInt16BE(truncated ? 0 : res.authority.length, 8);
  out.writeUInt16BE(0, 10);
  q.question.copy(out, 12);
  if (truncated) return out;
  let off = 12 + q.question.length;
  for (const p of parts) off += p.copy(out, off);
  return out;
}

function lowerAscii(b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i < out.length; i++) if (out[i]! >= 0x41 && out[i]! <= 0x5a) out[i] = out[i]! | 0x20;
  return out;
}
