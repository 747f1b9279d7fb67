// mailauth's resolver hook over our own Resolver, so `--resolver` holds for the DKIM, SPF
// and DMARC verification and tests stay hermetic. mailauth wants dns.promises.resolve's
// answer shapes and its error codes (ENOTFOUND, ENODATA; others mean "temporary").
import type { DnsResponse, Resolver, RRType } from '../io/resolver.js';

export type MailauthResolver = (name: string, type: string) => Promise<any[]>;

const CODES: Record<string, string> = {
  nxdomain: 'ENOTFOUND', nodata: 'ENODATA', timeout: 'ETIMEOUT', servfail: 'ESERVFAIL', refused: 'EREFUSED', error: 'EBADRESP',
};
const TYPES = new Set<string>(['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'PTR', 'SOA', 'SRV', 'CAA']);

export function mailauthResolver(resolver: Resolver, asked?: string[]): MailauthResolver {
  return async (name, type) => {
    const t = type.toUpperCase();
    asked?.push(`${name} ${t}`);
    if (!TYPES.has(t)) throw Object.assign(new Error(`queryNotImplemented ${t}`), { code: 'ENOTIMP' });
    const r = await resolver.query(name, t as RRType);
    if (r.status !== 'answer' || !r.records.length) throw dnsError(r);
    return r.records.map((rec) => shape(t, rec.data));
  };
}

function dnsError(r: DnsResponse): Error {
  const code = r.status === 'answer' ? 'ENODATA' : CODES[r.status] ?? 'EBADRESP';
  return Object.assign(new Error(`${code} ${r.name} ${r.type}`), { code, hostname: r.name });
}

// dns.promises.resolve(): TXT → string[] per record (character-strings), MX → {exchange,
// priority}, SRV → {name, port, priority, weight}, A/AAAA/NS/CNAME/PTR → string.
function shape(type: string, data: any): unknown {
  switch (type) {
    case 'TXT': return (data as (string | Buffer)[]).map(String);
    case 'MX': return { exchange: String(data.exchange ?? '').replace(/\.$/, ''), priority: Number(data.preference ?? 0) };
    case 'SRV': return { name: String(data.target ?? '').replace(/\.$/, ''), port: data.port, priority: data.priority, weight: data.weight };
    case 'SOA': return { nsname: data.mname, hostmaster: data.rname, serial: data.serial, refresh: data.refresh, retry: data.retry, expire: data.expire, minttl: data.minimum };
    default: return typeof data === 'string' ? data.replace(/\.$/, '') : data;
  }
}
