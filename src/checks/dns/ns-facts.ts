// What every authoritative name server of a domain says, asked directly (no recursion):
// the SOA at the zone apex and the mail records at the domain. Facts only; ns.ts judges.
import type { CheckContext } from '../../core/check.js';
import type { DnsResponse, QueryOptions } from '../../io/resolver.js';
import { isIndeterminate, txtTexts } from '../../io/resolver.js';
import { findZoneApex } from './zone-apex.js';

export interface NsHost {
  host: string;
  a: DnsResponse;
  aaaa: DnsResponse;
  addresses: string[];
}

/** One authoritative server (one address of one NS host) and its answers. */
export interface ServerView {
  ns: string;
  address: string;
  soa: DnsResponse;
  mx: DnsResponse;
  spf: DnsResponse;
  dmarc: DnsResponse;
}

export interface NsFacts {
  apex?: string;
  /** The lookup that stopped us (apex walk or NS query). */
  failure?: DnsResponse;
  ns?: DnsResponse;
  hosts: NsHost[];
  servers: ServerView[];
}

export async function getNsFacts(ctx: CheckContext, domain: string): Promise<NsFacts> {
  // RFC 1034 §4.2.1: NS records sit at the zone apex, which may be above the domain.
  const { apex, failure } = await findZoneApex(ctx, domain);
  if (apex === undefined) return { failure, hosts: [], servers: [] };
  const ns = await ctx.resolver.query(apex, 'NS');
  if (isIndeterminate(ns)) return { apex, failure: ns, ns, hosts: [], servers: [] };
  const names = [...new Set(ns.records.map((r) => String(r.data).toLowerCase()).filter(Boolean))].sort();
  const hosts = await Promise.all(names.map(async (host) => {
    const [a, aaaa] = await Promise.all([ctx.resolver.query(host, 'A'), ctx.resolver.query(host, 'AAAA')]);
    return { host, a, aaaa, addresses: [...a.records, ...aaaa.records].map((r) => String(r.data)) };
  }));
  const servers = await Promise.all(hosts.flatMap((h) => h.addresses.map((address) => askServer(ctx, h.host, address, apex, domain))));
  return { apex, ns, hosts, servers };
}

async function askServer(ctx: CheckContext, ns: string, address: string, apex: string, domain: string): Promise<ServerView> {
  const opts: QueryOptions = { server: { host: address, port: ctx.options.authPort }, recursion: false };
  const [soa, mx, spf, dmarc] = await Promise.all([
    ctx.resolver.query(apex, 'SOA', opts),
    ctx.resolver.query(domain, 'MX', opts),
    ctx.resolver.query(domain, 'TXT', opts),
    ctx.resolver.query(`_dmarc.${domain}`, 'TXT', opts),
  ]);
  return { ns, address, soa, mx, spf, dmarc };
}

/** The comparable content of each answer: order-insensitive sets as sorted strings. */
export function views(s: ServerView) {
  return {
    serial: s.soa.records[0] ? Number(s.soa.records[0].data?.serial) : undefined,
    mx: s.mx.records.map((r) => `${r.data?.preference} ${String(r.data?.exchange ?? '').toLowerCase() || '.'}`).sort(),
    // RFC 7208 §4.5: the version tag is case-insensitive; only SPF records count.
    spf: txtTexts(s.spf).filter((t) => /^v=spf1(\s|$)/i.test(t)).sort(),
    // RFC 7489 §6.6.3: records not starting with "v=DMARC1" are ignored.
    dmarc: txtTexts(s.dmarc).filter((t) => /^v=DMARC1\s*(;|$)/i.test(t)).sort(),
  };
}
