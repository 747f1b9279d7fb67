// The lab DNS server's data: zone records indexed by owner name, and the resolution of one
// question against them (CNAME chain, wildcards, NXDOMAIN vs NODATA, the SOA for negative
// answers, AD for secure zones), shared by the server's two encoders (dns-server.ts).
import dnsPacket from 'dns-packet';
import type { ZoneRecord } from './zone-file.js';

export interface Index {
  byName: Map<string, ZoneRecord[]>;
  /** Every name that exists, including empty non-terminals (RFC 8020). */
  exists: Set<string>;
  soas: Map<string, ZoneRecord>;
  secure: Set<string>;
  bogus: Set<string>;
}

export function buildIndex(records: ZoneRecord[], secureZones: string[] = [], bogusZones: string[] = []): Index {
  const byName = new Map<string, ZoneRecord[]>();
  const exists = new Set<string>();
  const soas = new Map<string, ZoneRecord>();
  for (const r of records) {
    const name = r.name.toLowerCase();
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(r);
    if (r.type === 'SOA') soas.set(name, r);
    for (let n = name; ; ) {
      exists.add(n);
      const dot = n.indexOf('.');
      if (dot < 0) break;
      n = n.slice(dot + 1);
    }
  }
  const lower = (zs: string[]) => new Set(zs.map((z) => z.toLowerCase()));
  return { byName, exists, soas, secure: lower(secureZones), bogus: lower(bogusZones) };
}

/** The longest of `zones` that is `name` or an ancestor of it: a walk up the labels, O(depth). */
export function zoneOf(name: string, zones: ReadonlySet<string> | ReadonlyMap<string, unknown>): string | undefined {
  if (zones.size === 0) return undefined;
  for (let n = name; ; ) {
    if (zones.has(n)) return n;
    const dot = n.indexOf('.');
    if (dot < 0) return zones.has('') ? '' : undefined;
    n = n.slice(dot + 1);
  }
}

/**
 * Whether `name` is in one of a few named zones (the secure and bogus lists): the same as a
 * non-empty zoneOf(), without walking up the labels; the root ("") never counts.
 */
export function inZones(name: string, zones: ReadonlySet<string>): boolean {
  for (const z of zones) if (z && (name === z || (name.endsWith(z) && name.charCodeAt(name.length - z.length - 1) === 0x2e))) return true;
  return false;
}

const NONE: ZoneRecord[] = [];

/** Exact name first, then the closest wildcard (RFC 4592, simplified: no closer encloser check). */
function lookup(idx: Index, name: string): ZoneRecord[] {
  const exact = idx.byName.get(name);
  if (exact) return exact;
  if (idx.exists.has(name)) return NONE;
  for (let n = name, dot = n.indexOf('.'); dot >= 0; dot = n.indexOf('.')) {
    n = n.slice(dot + 1);
    const wild = idx.byName.get(`*.${n}`);
    if (wild) return wild;
    if (idx.exists.has(n)) break;
  }
  return NONE;
}

export interface Resolution {
  /** Header flags with the RCODE (NXDOMAIN = 3), without QR. */
  flags: number;
  /** Answer records and the owner each is served under (the CNAME chain, wildcard expansion). */
  answers: { owner: string; rec: ZoneRecord }[];
  authority: ZoneRecord[];
}

/** Answer `name` (lower case, no trailing dot) / `type` from the index, like a validating resolver would. */
export function resolve(idx: Index, name: string, type: string, dnssecOk: boolean): Resolution {
  const answers: Resolution['answers'] = [];
  let owner = name;
  let here = lookup(idx, owner);
  for (let hop = 0; hop < 8; hop++) {
    const cname = type === 'CNAME' ? undefined : here.find((r) => r.type === 'CNAME');
    if (cname) {
      answers.push({ owner, rec: cname });
      owner = String(cname.data).toLowerCase();
      here = lookup(idx, owner);
      continue;
    }
    for (const r of here) if (r.type === type) answers.push({ owner, rec: r });
    break;
  }
  const exists = idx.exists.has(owner) || here.length > 0;
  const zone = zoneOf(owner, idx.soas);
  // (A root zone, "", counts as no zone here, as it always has in the lab.)
  const authority = !answers.some((a) => a.rec.type === type) && zone ? [idx.soas.get(zone)!] : [];
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER;
  if (dnssecOk && inZones(name, idx.secure)) flags |= dnsPacket.AUTHENTIC_DATA;
  if (!exists && answers.length === 0) flags |= 3; // NXDOMAIN
  return { flags, answers, authority };
}

/** A zone record in dns-packet's answer shape, served under `owner`. */
export function toPacket(r: ZoneRecord, owner = r.name): dnsPacket.Answer {
  let data = r.data;
  if (r.type === 'TXT') data = (data as string[]).flatMap(chunk255);
  // dns-packet has no SPF (type 99) codec: send the TXT wire form as raw rdata.
  if (r.type === 'SPF') data = Buffer.concat((data as string[]).flatMap(chunk255).map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
  if (r.type === 'MX' && data.exchange === '') data = { ...data, exchange: '.' };
  return { type: r.type as any, name: owner, ttl: r.ttl, class: 'IN', data } as dnsPacket.Answer;
}

/** A zone file cannot hold a character-string over 255 bytes (RFC 1035 §3.3); split like a provider would. */
function chunk255(s: string): string[] {
  const b = Buffer.from(s);
  if (b.length <= 255) return [s];
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 255) out.push(b.subarray(i, i + 255).toString());
  return out;
}
