// Reverse DNS of every MX address: a PTR exists and is forward-confirmed (FCrDNS: the
// PTR name resolves back to the same address). Receivers commonly reject or score
// mail from addresses without it (RFC 1912 §2.1; M3AAWG and large providers' rules),
// and MX hosts usually send mail too.
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import { canonicalIp, isIpv4, reverseName } from '../../parsers/reverse-name.js';
import { getMxFacts } from './mx-facts.js';

export const PTR_FINDINGS = {
  confirmed: {
    id: 'ptr.confirmed', severity: 'ok', title: 'MX addresses have forward-confirmed reverse DNS',
    meaning: 'Each MX address has a PTR record whose name resolves back to the same address.',
    refs: ['RFC 1912 §2.1'],
  },
  missing: {
    id: 'ptr.missing', severity: 'warning', title: 'An MX address has no PTR record',
    meaning: 'Many receivers reject or heavily score mail from addresses without reverse DNS, and MX hosts usually send mail as well (bounces, forwards).',
    remediation: 'Ask whoever controls the address block (your hosting or ISP) to set a PTR naming the mail host, e.g. mail.<domain>, and make that name resolve back to the address.',
    refs: ['RFC 1912 §2.1', 'RFC 1035 §3.5', 'RFC 3596 §2.5'],
  },
  notConfirmed: {
    id: 'ptr.not-confirmed', severity: 'warning', title: 'Reverse DNS is not forward-confirmed',
    meaning: 'The PTR name does not resolve back to the address (FCrDNS fails). Receivers that check FCrDNS treat it like a missing PTR.',
    remediation: 'Make the PTR name resolve to the address (add the A/AAAA record), or change the PTR to a name that does.',
    refs: ['RFC 1912 §2.1'],
  },
  multiple: {
    id: 'ptr.multiple', severity: 'warning', title: 'An MX address has several PTR records',
    meaning: 'Receivers pick one PTR name, often at random, so checks against the HELO name or FCrDNS pass only some of the time.',
    remediation: 'Keep a single PTR record per address, naming the host\'s HELO name.',
    refs: ['RFC 1912 §2.1'],
  },
  lookupFailed: {
    id: 'ptr.lookup-failed', severity: 'unknown', title: 'Could not check reverse DNS for an MX address',
    meaning: 'The PTR lookup, or the forward lookup of the PTR name, timed out or failed, so whether reverse DNS is right is unknown.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
} satisfies Record<string, FindingDef>;
const F = PTR_FINDINGS;

export interface AddressResult {
  address: string;
  ptr: string[];
  forward: Record<string, string[]>;
  findings: Finding[];
}

export const ptrCheck: Check = {
  family: 'ptr',
  area: 'Reverse DNS',
  description: 'Reverse DNS of every MX address: PTR present, single, and forward-confirmed.',
  findings: Object.values(F),
  async run(target, ctx) {
    const facts = await getMxFacts(ctx, target.domain);
    const addresses = [...new Set(facts.hosts.flatMap((h) => h.addresses))];
    const results = await Promise.all(addresses.map((a) => checkAddress(ctx, a)));
    const out = results.flatMap((r) => r.findings);
    const good = results.filter((r) => !r.findings.length);
    if (good.length) {
      out.unshift(finding(F.confirmed, {
        detail: good.map((r) => `${r.address} → ${r.ptr[0]}`).join(', '),
        evidence: { addresses: good.map(({ address, ptr, forward }) => ({ address, ptr, forward })) },
      }));
    }
    return out;
  },
};

/** Reverse DNS of one address (the MX addresses here; `doctor --ip` for the sending address). */
export async function checkAddress(ctx: CheckContext, address: string): Promise<AddressResult> {
  const res: AddressResult = { address, ptr: [], forward: {}, findings: [] };
  const name = reverseName(address);
  if (!name) return res; // not an address (the MX check reports odd MX data)
  const r = await ctx.resolver.query(name, 'PTR');
  const evidence = () => ({ address, reverseName: name, ptr: res.ptr, forward: res.forward });
  if (isIndeterminate(r)) {
    res.findings.push(finding(F.lookupFailed, { subject: address, detail: `PTR ${name}: ${describeFailure(r)}`, evidence: evidence() }));
    return res;
  }
  res.ptr = [...new Set(r.records.map((p) => String(p.data).toLowerCase()))];
  if (!res.ptr.length) {
    res.findings.push(finding(F.missing, { subject: address, detail: `${name}: ${r.status === 'nxdomain' ? 'NXDOMAIN' : 'no PTR record'}.`, evidence: evidence() }));
    return res;
  }
  if (res.ptr.length > 1) res.findings.push(finding(F.multiple, { subject: address, detail: `${address} → ${res.ptr.join(', ')}`, evidence: evidence() }));
  // Forward-confirm with the record type of the address family.
  const type = isIpv4(address) ? 'A' : 'AAAA';
  const want = canonicalIp(address);
  let confirmed = false;
  let failed: string | undefined;
  for (const host of res.ptr) {
    const f = await ctx.resolver.query(host, type);
    if (isIndeterminate(f)) failed ??= `${type} ${host}: ${describeFailure(f)}`;
    res.forward[host] = f.records.map((x) => String(x.data));
    if (res.forward[host]!.some((x) => canonicalIp(x) === want)) confirmed = true;
  }
  if (confirmed) return res;
  if (failed) res.findings.push(finding(F.lookupFailed, { subject: address, detail: failed, evidence: evidence() }));
  else {
    const seen = Object.entries(res.forward).map(([h, a]) => `${h} → ${a.length ? a.join(', ') : `no ${type}`}`).join('; ');
    res.findings.push(finding(F.notConfirmed, { subject: address, detail: `${address} → ${res.ptr.join(', ')}, but ${seen}.`, evidence: evidence() }));
  }
  return res;
}
