// Retrieving a domain's SPF record (RFC 7208 §4.4, §4.5): TXT only (type 99 is obsolete,
// §3.1), keep the records that start with "v=spf1", and keep "could not tell" apart.
import type { DnsResponse, Resolver } from '../../io/resolver.js';
import { isIndeterminate, txtStrings } from '../../io/resolver.js';
import { isSpfRecord, parseSpf } from '../../parsers/spf.js';
import type { SpfRecord } from '../../parsers/spf.js';

export type SpfFetch =
  /** Exactly one SPF record. */
  | { status: 'found'; domain: string; record: SpfRecord; strings: string[]; response: DnsResponse }
  /** NXDOMAIN, NODATA or no TXT record starting with v=spf1 (§4.5 result "none"). */
  | { status: 'none'; domain: string; response: DnsResponse; lookalikes: string[] }
  /** More than one SPF record (§4.5 permerror). */
  | { status: 'multiple'; domain: string; response: DnsResponse; records: string[] }
  /** Timeout, SERVFAIL, REFUSED or a malformed answer (§4.4 temperror). */
  | { status: 'error'; domain: string; response: DnsResponse };

export async function fetchSpf(resolver: Resolver, domain: string): Promise<SpfFetch> {
  const response = await resolver.query(domain, 'TXT');
  if (isIndeterminate(response)) return { status: 'error', domain, response };
  const all = response.records.map((r) => txtStrings(r.data));
  const spf = all.filter((strings) => isSpfRecord(strings.join('')));
  if (spf.length > 1) return { status: 'multiple', domain, response, records: spf.map((s) => s.join('')) };
  if (spf.length === 0) {
    // Near misses explain a "none": leading space, "v=spf2.0", "spf1", "v = spf1".
    const lookalikes = all.map((s) => s.join('')).filter((t) => /v\s*=\s*spf/i.test(t.slice(0, 20)));
    return { status: 'none', domain, response, lookalikes };
  }
  return { status: 'found', domain, record: parseSpf(spf[0]!), strings: spf[0]!, response };
}

/** The wire size of the TXT answer, to compare with the 512-byte UDP limit (§3.4). */
export function txtAnswerSize(response: DnsResponse): number {
  const qname = response.name.replace(/\.$/, '').length + 2;
  let size = 12 + qname + 4; // header + question
  for (const r of response.records) {
    const strings = txtStrings(r.data);
    // owner as a compression pointer (2) + type/class/ttl/rdlength (10) + length-prefixed strings
    size += 12 + strings.reduce((n, s) => n + 1 + Buffer.byteLength(s), 0);
  }
  return size;
}
