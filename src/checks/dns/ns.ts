// Name-server consistency: ask every authoritative server directly and compare what
// they serve (SOA serial, MX, SPF, DMARC). Catches the outage no resolver-based check
// sees: one provider's server never got the new SPF record, so mail fails at random.
import type { Check } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import type { DnsResponse } from '../../io/resolver.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import { getNsFacts, views } from './ns-facts.js';
import type { ServerView } from './ns-facts.js';
import { NS_FINDINGS as F } from './ns-findings.js';

const label = (s: ServerView) => `${s.ns} (${s.address})`;

/** Why a server is lame for the zone, or undefined when it answered the SOA authoritatively. */
function lameness(r: DnsResponse): string | undefined {
  if (isIndeterminate(r)) return describeFailure(r);
  if (!r.aa) return `${r.server} answered without the Authoritative Answer bit (not authoritative for the zone)`;
  if (r.status !== 'answer') return `${r.server} answered the zone's SOA query with ${r.status}`;
  return undefined;
}

export const nsCheck: Check = {
  family: 'ns',
  area: 'Name servers',
  description: 'Name servers: at least two, all reachable and authoritative, serving the same SOA serial, MX, SPF and DMARC.',
  findings: Object.values(F),
  async run(target, ctx) {
    const domain = target.domain;
    const top = await ctx.resolver.query(domain, 'SOA');
    if (top.status === 'nxdomain') return []; // the MX check reports a missing domain
    const facts = await getNsFacts(ctx, domain);
    if (facts.failure || facts.apex === undefined) {
      return [finding(F.lookupFailed, { detail: facts.failure ? describeFailure(facts.failure) : `No SOA found above ${domain}.` })];
    }
    const zone = facts.apex;
    const out: Finding[] = [];
    if (!facts.hosts.length) return [finding(F.none, { subject: zone, detail: `${zone} NS: ${facts.ns?.status}.` })];
    if (facts.hosts.length < 2) out.push(finding(F.tooFew, { subject: zone, detail: `Only ${facts.hosts[0]!.host}.`, evidence: { ns: facts.hosts.map((h) => h.host) } }));
    for (const h of facts.hosts) {
      if (h.addresses.length) continue;
      const failed = [h.a, h.aaaa].find(isIndeterminate);
      if (failed) out.push(finding(F.hostLookupFailed, { subject: h.host, detail: describeFailure(failed) }));
      else out.push(finding(F.hostNoAddress, { subject: h.host, detail: `${h.host}: A ${h.a.status}, AAAA ${h.aaaa.status}.` }));
    }
    if (!facts.servers.length) return out;
    const before = out.length; // ns.consistent speaks of what follows: reachability and agreement

    // An IPv6 timeout when no IPv6 server answered says more about this machine than the servers.
    const v6 = facts.servers.filter((s) => s.address.includes(':'));
    const v6Down = v6.length > 0 && v6.every((s) => s.soa.status === 'timeout' || s.soa.status === 'error');
    const lame = facts.servers.filter((s) => lameness(s.soa) && !(v6Down && s.address.includes(':')));
    const good = facts.servers.filter((s) => !lameness(s.soa));
    const evidence = { zone, servers: facts.servers.map(serverEvidence) };
    if (v6Down && facts.servers.some((s) => !s.address.includes(':') && !lameness(s.soa))) {
      out.push(finding(F.ipv6Unreachable, { detail: `No answer from ${v6.map(label).join(', ')}.`, evidence }));
    }
    if (!good.length) {
      out.push(finding(F.allLame, { subject: zone, detail: facts.servers.map((s) => `${label(s)}: ${lameness(s.soa)}`).join('; '), evidence }));
      return out;
    }
    for (const s of lame) out.push(finding(F.lame, { subject: label(s), detail: lameness(s.soa), evidence: serverEvidence(s) }));

    // Compare only what authoritative servers answered; a failed query is unknown, not a difference.
    const compared: Record<'mx' | 'spf' | 'dmarc', ServerView[]> = { mx: [], spf: [], dmarc: [] };
    for (const s of good) {
      for (const key of ['mx', 'spf', 'dmarc'] as const) {
        const r = s[key];
        if (isIndeterminate(r) || !r.aa) out.push(finding(F.queryFailed, { subject: label(s), detail: `${r.name} ${r.type}: ${isIndeterminate(r) ? describeFailure(r) : 'answer without the AA bit'}`, evidence: serverEvidence(s) }));
        else compared[key].push(s);
      }
    }
    const mismatch = (servers: ServerView[], pick: (s: ServerView) => unknown) => {
      const groups = new Map<string, string[]>();
      for (const s of servers) {
        const k = JSON.stringify(pick(s));
        groups.set(k, [...(groups.get(k) ?? []), label(s)]);
      }
      return groups.size > 1 ? [...groups].map(([k, who]) => `${who.join(', ')}: ${k}`).join(' | ') : undefined;
    };
    const checks = [
      [F.serialMismatch, mismatch(good, (s) => views(s).serial)],
      [F.mxMismatch, mismatch(compared.mx, (s) => views(s).mx)],
      [F.spfMismatch, mismatch(compared.spf, (s) => views(s).spf)],
      [F.dmarcMismatch, mismatch(compared.dmarc, (s) => views(s).dmarc)],
    ] as const;
    for (const [def, detail] of checks) if (detail) out.push(finding(def, { subject: zone, detail, evidence }));
    if (out.length === before) {
      out.push(finding(F.consistent, { subject: zone, detail: `${good.length} server address(es): ${good.map(label).join(', ')}.`, evidence }));
    }
    return out;
  },
};

function serverEvidence(s: ServerView) {
  const v = views(s);
  const st = (r: DnsResponse) => `${r.status}${r.aa ? '' : ' (no AA)'}`;
  return {
    ns: s.ns, address: s.address,
    soa: { status: st(s.soa), serial: v.serial },
    mx: { status: st(s.mx), records: v.mx },
    spf: { status: st(s.spf), records: v.spf },
    dmarc: { status: st(s.dmarc), records: v.dmarc },
  };
}
