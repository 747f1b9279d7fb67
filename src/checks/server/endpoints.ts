// Which mail servers a domain uses, and on which ports: every MX address on port 25;
// submission and mailbox hosts from SRV records (RFC 6186, RFC 8314 §5.1), else the hosts
// the user named, else the MX hosts. Shared by every server check of a target.
import type { CheckContext, ServicePorts } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import type { HostLookupDefs } from './host-addresses.js';
import { hostLookupFinding } from './host-addresses.js';
import type { DnsResponse } from '../../io/resolver.js';
import { capAddresses, getMxFacts, MAX_ADDRESSES_PER_HOST } from '../dns/mx-facts.js';
import type { HostAddresses } from './host-addresses.js';
import { hostAddresses } from './host-addresses.js';

export type Service = keyof ServicePorts;
export type Role = 'mx' | 'submission' | 'mailbox';

export interface Endpoint {
  service: Service;
  role: Role;
  /** Host name as published (MX target, SRV target or user option). */
  host: string;
  /** One address of the host; each address is its own endpoint. */
  address: string;
  port: number;
  /** TLS from the first byte (465, 993, 995) rather than STARTTLS. */
  implicitTls: boolean;
  source: 'mx' | 'implicit-mx' | 'srv' | 'option' | 'mx-fallback';
}

export const ROLE_OF: Record<Service, Role> = {
  smtp: 'mx', submission: 'submission', submissions: 'submission', imap: 'mailbox', imaps: 'mailbox', pop3: 'mailbox', pop3s: 'mailbox',
};
export const IMPLICIT_TLS: Record<Service, boolean> = {
  smtp: false, submission: false, submissions: true, imap: false, imaps: true, pop3: false, pop3s: true,
};

/** SRV owner names per service (RFC 6186 §3.1, RFC 8314 §5.1). */
const SRV_NAME: Record<Exclude<Service, 'smtp'>, string> = {
  submission: '_submission._tcp', submissions: '_submissions._tcp', imap: '_imap._tcp', imaps: '_imaps._tcp', pop3: '_pop3._tcp', pop3s: '_pop3s._tcp',
};

export interface EndpointFacts {
  endpoints: Endpoint[];
  /** SRV answers by service, for evidence (and to tell "not published" from "could not look up"). */
  srv: Partial<Record<Service, DnsResponse>>;
  /**
   * SRV targets and named hosts that gave no address: they are still servers clients are
   * told to use, so the service's check reports them (not found, or could not look up).
   */
  unresolved: UnresolvedHost[];
}

export interface UnresolvedHost {
  service: Service;
  host: string;
  source: 'srv' | 'option';
  lookup: Extract<HostAddresses, { ok: false }>;
}

export function getEndpoints(ctx: CheckContext, domain: string): Promise<EndpointFacts> {
  return ctx.memo(`endpoints:${domain}`, async () => {
    const ports = ctx.options.ports;
    const mx = await getMxFacts(ctx, domain);
    const mxHosts = mx.hosts.map((h) => ({ host: h.host, addresses: h.addresses }));
    if (!mxHosts.length && mx.implicit) {
      const addresses = capAddresses(mx.implicit.a.records.map((r) => String(r.data)), mx.implicit.aaaa.records.map((r) => String(r.data)));
      if (addresses.length) mxHosts.push({ host: domain, addresses });
    }
    const endpoints: Endpoint[] = [];
    const add = (service: Service, host: string, addresses: string[], port: number, source: Endpoint['source']) => {
      for (const address of addresses) endpoints.push({ service, role: ROLE_OF[service], host, address, port, implicitTls: IMPLICIT_TLS[service], source });
    };
    for (const h of mxHosts) add('smtp', h.host, h.addresses, ports.smtp, mx.hosts.length ? 'mx' : 'implicit-mx');

    const srv: EndpointFacts['srv'] = {};
    const unresolved: UnresolvedHost[] = [];
    const addResolved = async (service: Service, host: string, port: number, source: 'srv' | 'option') => {
      const r = await hostAddresses(ctx, host);
      // The same per-host cap as the MX hosts (mx.fanout-capped explains it).
      if (r.ok) add(service, host, r.addresses.slice(0, MAX_ADDRESSES_PER_HOST), port, source);
      else unresolved.push({ service, host, source, lookup: r });
    };
    await Promise.all((Object.keys(SRV_NAME) as (keyof typeof SRV_NAME)[]).map(async (service) => {
      const r = await ctx.resolver.query(`${SRV_NAME[service]}.${domain}`, 'SRV');
      srv[service] = r;
      const named = ROLE_OF[service] === 'submission' ? ctx.options.submissionHosts : ctx.options.mailboxHosts;
      // "." as target: the service is decidedly not available (RFC 6186 §3.4).
      const targets = r.records.filter((rec) => rec.data.target).sort((a, b) => a.data.priority - b.data.priority);
      if (named.length) {
        for (const host of named) await addResolved(service, host, ports[service], 'option');
      } else if (targets.length) {
        // A hostile zone may list hundreds of SRV targets: the most preferred few only.
        for (const rec of targets.slice(0, 4)) await addResolved(service, rec.data.target, rec.data.port, 'srv');
      } else if (!r.records.length) {
        for (const h of mxHosts) add(service, h.host, h.addresses, ports[service], 'mx-fallback');
      }
    }));
    return { endpoints, srv, unresolved };
  });
}

/** Findings for the hosts of these services that gave no address (one per host, not per service). */
export function unresolvedFindings(u: UnresolvedHost[], services: Service[], defs: HostLookupDefs): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const h of u) {
    if (!services.includes(h.service) || seen.has(h.host)) continue;
    seen.add(h.host);
    const f = hostLookupFinding(defs, h.lookup, h.host);
    const via = h.source === 'srv' ? `Published in the _${h.service}._tcp SRV record` : 'Named on the command line';
    f.detail = `${via}. ${f.detail}`;
    f.evidence = { services: u.filter((x) => x.host === h.host).map((x) => x.service), source: h.source };
    out.push(f);
  }
  return out;
}

/** "mx1.example.com:25 (192.0.2.1)": how findings name an endpoint. */
export function endpointLabel(e: Pick<Endpoint, 'host' | 'address' | 'port'>): string {
  const addr = e.address.includes(':') ? `[${e.address}]` : e.address;
  return e.host === e.address ? `${addr}:${e.port}` : `${e.host}:${e.port} (${addr})`;
}
