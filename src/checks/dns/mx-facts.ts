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

/**
 * Fan-out caps per domain: a hostile zone with 1,000 MX records must not make thousands of
 * queries and connections. Senders stop early too (Postfix smtp_mx_address_limit = 5).
 */
export const MAX_MX_HOSTS = 10;
export const MAX_ADDRESSES_PER_HOST = 4;

export interface MxFacts {
  domain: string;
  mx: DnsResponse;
  /** RFC 7505 null MX: a single MX with preference 0 and target ".". */
  nullMx: boolean;
  hosts: MxHost[];
  /** No MX records: mail goes to the domain's own A/AAAA (RFC 5321 §5.1). */
  implicit?: { a: DnsResponse; aaaa: DnsResponse };
  /** What the caps left out: MX hosts beyond MAX_MX_HOSTS, addresses beyond MAX_ADDRESSES_PER_HOST. */
  capped?: { hostsTotal: number; hostsExamined: number; addressesCapped: { host: string; total: number }[] };
}

/** At most `max` addresses, both families kept when there are both (2 IPv4 and 2 IPv6 of 4). */
export function capAddresses(v4: string[], v6: string[], max = MAX_ADDRESSES_PER_HOST): string[] {
  if (v4.length + v6.length <= max) return [...v4, ...v6];
  const six = Math.min(v6.length, Math.max(max - v4.length, Math.floor(max / 2)));
  return [...v4.slice(0, max - six), ...v6.slice(0, six)];
}

export function getMxFacts(ctx: CheckContext, domain: string): Promise<MxFacts> {
  return ctx.memo(`mx:${domain}`, async () => {
    const mx = await ctx.resolver.query(domain, 'MX');
    const records = mx.records.map((r) => ({ host: String(r.data.exchange ?? '').toLowerCase(), preference: Number(r.data.preference) }));
    const nullMx = records.some((r) => r.host === '');
    const unique = [...new Map(records.filter((r) => r.host !== '').map((r) => [r.host, r])).values()]
      .sort((a, b) => a.preference - b.preference || a.host.localeCompare(b.host));
    const addressesCapped: { host: string; total: number }[] = [];
    const hosts = await Promise.all(unique.slice(0, MAX_MX_HOSTS).map(async ({ host, preference }) => {
      const [a, aaaa] = await Promise.all([ctx.resolver.query(host, 'A'), ctx.resolver.query(host, 'AAAA')]);
      const v4 = a.records.map((r) => String(r.data));
      const v6 = aaaa.records.map((r) => String(r.data));
      if (v4.length + v6.length > MAX_ADDRESSES_PER_HOST) addressesCapped.push({ host, total: v4.length + v6.length });
      return { host, preference, a, aaaa, addresses: capAddresses(v4, v6) };
    }));
    const facts: MxFacts = { domain, mx, nullMx, hosts };
    if (unique.length > MAX_MX_HOSTS || addressesCapped.length) facts.capped = { hostsTotal: unique.length, hostsExamined: hosts.length, addressesCapped };
    if (mx.status === 'nodata' || mx.status === 'nxdomain') {
      const [a, aaaa] = await Promise.all([ctx.resolver.query(domain, 'A'), ctx.resolver.query(domain, 'AAAA')]);
      facts.implicit = { a, aaaa };
    }
    return facts;
  });
}
