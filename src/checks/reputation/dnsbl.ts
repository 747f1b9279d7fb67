// DNS blacklists (RFC 5782): every MX address on the IP lists, the domain on the domain
// lists. `--dnsbl <zone>` replaces the built-in lists (src/data/dnsbl.ts). The domain check
// is registered in DOMAIN_CHECKS; `mxdoctor blacklist` uses dnsblAddressCheck, the same
// family over an address target, which is not registered (its ids are the same).
import { getDomain } from 'tldts';
import type { AddressTarget, Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { selectLists } from '../../data/dnsbl.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import { subjectKind } from '../../parsers/dnsbl.js';
import { canonicalIp } from '../../parsers/reverse-name.js';
import { getMxFacts } from '../dns/mx-facts.js';
import type { DnsblSubject } from './dnsbl-lookup.js';
import { lookupAll } from './dnsbl-lookup.js';
import { DNSBL_FINDINGS as F, judgeResults } from './dnsbl-findings.js';

/** Look subjects up on the selected lists and judge the answers. */
export async function checkDnsbl(ctx: CheckContext, subjects: DnsblSubject[]): Promise<Finding[]> {
  const lists = selectLists(ctx.options.dnsblZones);
  const results = await lookupAll(ctx, subjects, lists, ctx.options.stepTimeoutMs);
  return judgeResults(results, subjects);
}

/**
 * The mail server addresses of a name (its MX hosts, else its own A/AAAA: RFC 5321 §5.1)
 * on the IP lists, and the name (plus its registrable domain, which URI lists key on) on the domain lists.
 */
export async function checkDnsblForName(ctx: CheckContext, name: string): Promise<Finding[]> {
  const facts = await getMxFacts(ctx, name);
  const subjects: DnsblSubject[] = [];
  const seen = new Set<string>();
  const add = (value: string, host: string) => {
    const key = canonicalIp(value) ?? value;
    if (seen.has(key)) return;
    seen.add(key);
    subjects.push({ value, host, label: `${host} (${value})` });
  };
  for (const h of facts.hosts) for (const a of h.addresses) add(a, h.host);
  if (facts.implicit) for (const r of [...facts.implicit.a.records, ...facts.implicit.aaaa.records]) add(String(r.data), name);
  const out: Finding[] = [];
  if (!subjects.length) {
    const failed = [facts.mx, ...facts.hosts.flatMap((h) => [h.a, h.aaaa]), ...(facts.implicit ? [facts.implicit.a, facts.implicit.aaaa] : [])].find(isIndeterminate);
    if (failed) {
      out.push(finding(F.lookupFailed, { subject: name, detail: `Could not find the mail server addresses of ${name} to look up: ${describeFailure(failed)}.` }));
    } else {
      out.push(finding(F.noAddresses, { subject: name, detail: `${name} has no MX host with an address and no A/AAAA record: only domain lists were checked.` }));
    }
  }
  const registrable = getDomain(name, { allowPrivateDomains: false });
  for (const d of new Set([name, ...(registrable && registrable !== name ? [registrable] : [])])) subjects.push({ value: d, label: d });
  out.push(...(await checkDnsbl(ctx, subjects)));
  return out;
}

export const dnsblCheck: Check = {
  family: 'dnsbl',
  area: 'Blacklists',
  description: 'DNS blacklists (RFC 5782): every MX address on the IP lists and the domain on the domain lists, return codes explained, refusals never read as listings.',
  findings: Object.values(F),
  run: (target, ctx) => checkDnsblForName(ctx, target.domain),
};

/** `mxdoctor blacklist <ip|host|domain>`: an IP on the IP lists; a name as checkDnsblForName. Not registered. */
export const dnsblAddressCheck: Check<AddressTarget> = {
  ...dnsblCheck,
  async run(target, ctx) {
    const a = target.address;
    if (subjectKind(a) !== 'domain') return checkDnsbl(ctx, [{ value: a, label: a }]);
    return checkDnsblForName(ctx, a);
  },
};
