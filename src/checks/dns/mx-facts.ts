// The MX set of a domain and the addresses of each host: gathered once per target
// and shared by the MX, reverse DNS, DNSSEC, DANE and MTA-STS checks.
import type { CheckContext } from '../../core/check.js';
import type { DnsResponse } from '../../io/resolver.js';

export interface MxHost {
  host: string;
  preference: number;
  a: DnsResponse;
  aaaa: DnsResponse;
  /** Addresses in A then AAAA order. */
  addresses: string[];
}

export interface MxFacts {
  domain: string;
  mx: DnsResponse;
  /** RFC 7505 null MX: a single MX with preference 0 and target ".". */
  nullMx: boolean;
  hosts: MxHost[];
  /** No MX records: mail goes to the domain's own A/AAAA (RFC 5321 §5.1). */
  implicit?: { a: DnsResponse; aaaa: DnsResponse };
}

export function getMxFacts(ctx: CheckContext, domain: string): Promise<MxFacts> {
  return ctx.memo(`mx:${domain}`, async () => {
    const mx = await ctx.resolver.query(domain, 'MX');
    const records = mx.records.map((r) => ({ host: String(r.data.exchange ?? '').toLowerCase(), preference: Number(r.data.preference) }));
    const nullMx = records.some((r) => r.host === '');
    const unique = [...new Map(records.filter((r) => r.host !== '').map((r) => [r.host, r])).values()]
      .sort((a, b) => a.preference - b.preference || a.host.localeCompare(b.host));
    const hosts = await Promise.all(unique.map(async ({ host, preference }) => {
      const [a, aaaa] = await Promise.all([ctx.resolver.query(host, 'A'), ctx.resolver.query(host, 'AAAA')]);
      return { host, preference, a, aaaa, addresses: [...a.records, ...aaaa.records].map((r) => String(r.data)) };
    }));
    const facts: MxFacts = { domain, mx, nullMx, hosts };
    if (mx.status === 'nodata' || mx.status === 'nxdomain') {
      const [a, aaaa] = await Promise.all([ctx.resolver.query(domain, 'A'), ctx.resolver.query(domain, 'AAAA')]);
      facts.implicit = { a, aaaa };
    }
    return facts;
  });
}
