// MX records (RFC 5321 §5.1, RFC 7505 null MX, RFC 2181 §10.3 no CNAME targets).
import net from 'node:net';
import type { Check } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import { getMxFacts, MAX_ADDRESSES_PER_HOST, MAX_MX_HOSTS } from './mx-facts.js';
import type { MxFacts } from './mx-facts.js';

const F = {
  present: { id: 'mx.present', severity: 'ok', title: 'MX records found', meaning: 'The domain publishes MX records naming the hosts that receive its mail.' },
  lookupFailed: {
    id: 'mx.lookup-failed', severity: 'unknown', title: 'Could not look up the MX records',
    meaning: 'The resolver timed out, answered SERVFAIL or refused, so whether the domain has MX records is unknown.',
    remediation: 'Retry, or use another resolver with --resolver; a persistent SERVFAIL from a validating resolver often means broken DNSSEC.',
  },
  domainMissing: {
    id: 'mx.domain-not-found', severity: 'critical', title: 'The domain does not exist',
    meaning: 'The resolver answered NXDOMAIN for the domain itself: mail to it bounces everywhere.',
    remediation: 'Check the spelling, that the domain is registered and delegated, and that its name servers serve the zone.',
    refs: ['RFC 1035 §4.1.1'],
  },
  implicit: {
    id: 'mx.implicit', severity: 'warning', title: 'No MX records: mail falls back to the domain\'s A/AAAA address',
    meaning: 'Without MX records senders deliver to the domain\'s own address (implicit MX). It works, but it is fragile and often unintended.',
    remediation: 'Publish an MX record naming your mail server, e.g. "@ MX 10 mail.<domain>.", or a null MX ("MX 0 .") if the domain receives no mail.',
    refs: ['RFC 5321 §5.1'],
  },
  none: {
    id: 'mx.none', severity: 'critical', title: 'No MX records and no address: the domain cannot receive mail',
    meaning: 'The domain has neither MX records nor an A/AAAA address to fall back to, so mail to it cannot be delivered.',
    remediation: 'Publish an MX record for your mail server, or a null MX ("MX 0 .") to say explicitly that the domain receives no mail.',
    refs: ['RFC 5321 §5.1', 'RFC 7505'],
  },
  nullMx: {
    id: 'mx.null', severity: 'info', title: 'Null MX: the domain declares it receives no mail',
    meaning: 'A single "MX 0 ." record (RFC 7505) tells senders to fail at once rather than retry. Correct for domains that never receive mail.',
    refs: ['RFC 7505 §3'],
  },
  nullMixed: {
    id: 'mx.null-with-others', severity: 'critical', title: 'Null MX published together with other MX records',
    meaning: 'RFC 7505 §3 says a null MX must be the only MX record; mixed with others, senders behave unpredictably.',
    remediation: 'Remove either the "MX 0 ." record (if the domain receives mail) or all other MX records.',
    refs: ['RFC 7505 §3'],
  },
  noAddress: {
    id: 'mx.target-no-address', severity: 'critical', title: 'An MX host has no A or AAAA address',
    meaning: 'Senders cannot connect to an MX host that does not resolve; they fall back to other MX hosts, or bounce if none works.',
    remediation: 'Add A (and AAAA) records for the MX host, or point the MX record at a host that has them.',
    refs: ['RFC 5321 §5.1'],
  },
  targetLookupFailed: {
    id: 'mx.target-lookup-failed', severity: 'unknown', title: 'Could not resolve an MX host',
    meaning: 'The address lookup of an MX host timed out or failed, so whether it resolves is unknown.',
    remediation: 'Retry, or try another resolver with --resolver.',
  },
  capped: {
    id: 'mx.fanout-capped', severity: 'warning', title: 'Only part of the MX set was examined',
    meaning: `A domain with more than ${MAX_MX_HOSTS} MX hosts, or a host with more than ${MAX_ADDRESSES_PER_HOST} addresses, is not examined in full: mxdoctor looks at the ${MAX_MX_HOSTS} most preferred hosts and ${MAX_ADDRESSES_PER_HOST} addresses of each (both IPv4 and IPv6 when there are both), so that a hostile or broken zone cannot make it send thousands of queries and connections. Senders stop early too (Postfix tries smtp_mx_address_limit = 5 addresses). A warning when hosts were left out, info when only addresses were.`,
    remediation: 'Publish a handful of MX hosts: senders never try more than a few, so the rest only add lookups and confusion.',
    refs: ['RFC 5321 §5.1'],
  },
  cname: {
    id: 'mx.target-cname', severity: 'warning', title: 'An MX record points to a CNAME',
    meaning: 'MX targets must be host names with address records, not aliases (RFC 2181 §10.3); some senders refuse or mishandle them.',
    remediation: 'Point the MX record at the canonical host name the CNAME leads to.',
    refs: ['RFC 2181 §10.3', 'RFC 5321 §5.1'],
  },
  ipLiteral: {
    id: 'mx.target-ip-literal', severity: 'critical', title: 'An MX record names an IP address instead of a host',
    meaning: 'An MX target must be a domain name. "MX 10 192.0.2.1" is looked up as a host name called 192.0.2.1, which does not exist.',
    remediation: 'Create a host name (e.g. mail.<domain>) with an A record for the address and use it as the MX target.',
    refs: ['RFC 5321 §5.1', 'RFC 7505 §3'],
  },
  duplicate: {
    id: 'mx.duplicate', severity: 'warning', title: 'The same host is listed in several MX records',
    meaning: 'A host listed twice (often with different preferences) adds no redundancy and confuses the intended order.',
    remediation: 'Keep one MX record per host.',
  },
  singleHost: {
    id: 'mx.single-host', severity: 'info', title: 'Only one MX host: no fallback when it is down',
    meaning: 'With one MX host, senders queue and retry when it is unreachable. A second MX at another preference (or site) takes mail meanwhile; it must accept the same recipients.',
    remediation: 'Consider a backup MX with a higher preference value that accepts mail for the same recipients.',
  },
  noIpv6: {
    id: 'mx.no-ipv6', severity: 'info', title: 'No MX host has an IPv6 address',
    meaning: 'Senders on IPv6-only networks cannot reach the domain. Internet.nl rates IPv6 on MX hosts as required.',
    remediation: 'Add AAAA records for the MX hosts (and make sure port 25 answers on IPv6).',
  },
} satisfies Record<string, FindingDef>;

export const mxCheck: Check = {
  family: 'mx',
  area: 'MX',
  description: 'MX records: presence, null MX, targets that resolve, CNAME or IP-literal targets, duplicates, redundancy, IPv6.',
  findings: Object.values(F),
  async run(target, ctx) {
    const facts = await getMxFacts(ctx, target.domain);
    const { mx } = facts;
    const out: Finding[] = [];
    if (isIndeterminate(mx)) return [finding(F.lookupFailed, { detail: describeFailure(mx), evidence: { server: mx.server, status: mx.status } })];
    if (mx.status === 'nxdomain') return [finding(F.domainMissing, { detail: describeFailure(mx) })];
    if (facts.implicit) {
      const { a, aaaa } = facts.implicit;
      const addrs = [...a.records, ...aaaa.records].map((r) => String(r.data));
      if (addrs.length) return [finding(F.implicit, { detail: `Mail is delivered to ${addrs.join(', ')} (the domain's own address).`, evidence: { addresses: addrs } })];
      if (isIndeterminate(a) || isIndeterminate(aaaa)) return [finding(F.lookupFailed, { detail: `No MX records; the A/AAAA fallback lookup failed: ${describeFailure(isIndeterminate(a) ? a : aaaa)}` })];
      return [finding(F.none)];
    }
    const list = mx.records.map((r) => `${r.data.preference} ${r.data.exchange || '.'}`);
    if (facts.nullMx) {
      if (mx.records.length === 1 && mx.records[0]!.data.preference === 0) return [finding(F.nullMx, { evidence: { mx: list } })];
      out.push(finding(F.nullMixed, { detail: `MX records: ${list.join(', ')}`, evidence: { mx: list } }));
    }
    const seen = new Map<string, number>();
    for (const r of mx.records) {
      const h = String(r.data.exchange).toLowerCase();
      if (h) seen.set(h, (seen.get(h) ?? 0) + 1);
    }
    for (const [host, n] of seen) if (n > 1) out.push(finding(F.duplicate, { subject: host, detail: `${host} appears in ${n} MX records.`, evidence: { mx: list } }));

    for (const h of facts.hosts) {
      if (net.isIP(h.host) || /^\d+(\.\d+){3}$/.test(h.host)) {
        out.push(finding(F.ipLiteral, { subject: h.host, detail: `MX ${h.preference} ${h.host}` }));
        continue;
      }
      const cname = h.a.cnames.length ? h.a.cnames : h.aaaa.cnames;
      if (cname.length) out.push(finding(F.cname, { subject: h.host, detail: `${h.host} is an alias for ${cname.join(' → ')}.`, evidence: { chain: [h.host, ...cname] } }));
      if (h.addresses.length) continue;
      const failed = [h.a, h.aaaa].find(isIndeterminate);
      if (failed) out.push(finding(F.targetLookupFailed, { subject: h.host, detail: describeFailure(failed) }));
      else out.push(finding(F.noAddress, { subject: h.host, detail: `${h.host}: A ${h.a.status}, AAAA ${h.aaaa.status}.` }));
    }
    const hosts = facts.hosts.map((h) => ({ host: h.host, preference: h.preference, addresses: h.addresses }));
    if (!out.some((f) => f.severity === 'critical')) {
      out.unshift(finding(F.present, { detail: list.join(', '), evidence: { hosts } }));
    }
    if (facts.capped) out.push(cappedFinding(facts.capped));
    if (facts.hosts.length === 1) out.push(finding(F.singleHost, { subject: facts.hosts[0]!.host }));
    const resolved = facts.hosts.filter((h) => h.addresses.length);
    if (resolved.length && !resolved.some((h) => h.aaaa.records.length)) out.push(finding(F.noIpv6, { detail: `None of ${resolved.map((h) => h.host).join(', ')} has an AAAA record.` }));
    return out;
  },
};

function cappedFinding(c: NonNullable<MxFacts['capped']>) {
  const parts: string[] = [];
  if (c.hostsTotal > c.hostsExamined) parts.push(`${c.hostsExamined} of ${c.hostsTotal} MX hosts (the most preferred) were examined`);
  if (c.addressesCapped.length) {
    const named = c.addressesCapped.slice(0, 3).map((h) => `${h.host} (${h.total})`).join(', ');
    parts.push(`${MAX_ADDRESSES_PER_HOST} addresses each of ${c.addressesCapped.length} host${c.addressesCapped.length > 1 ? 's' : ''} with more: ${named}${c.addressesCapped.length > 3 ? ', …' : ''}`);
  }
  return finding(F.capped, {
    severity: c.hostsTotal > c.hostsExamined ? 'warning' : 'info',
    detail: `${parts.join('; ')}. The servers checks, reverse DNS, DANE and MTA-STS look at these only.`,
    evidence: { ...c, maxHosts: MAX_MX_HOSTS, maxAddressesPerHost: MAX_ADDRESSES_PER_HOST },
  });
}
