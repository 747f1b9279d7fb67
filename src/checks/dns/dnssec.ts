// DNSSEC of the mail domain and of each MX host's zone, as a validating resolver sees
// it (AD bit, RFC 4035 §3.2.3), with DS at the parent as the signed/unsigned fact.
// An unsigned mail domain is a warning: its MX and TLSA answers can be forged and DANE
// cannot apply to its MX hosts (RFC 7672 §2.2.1); internet.nl fails it, Hardenize warns.
// Mail still flows, so not critical. A broken chain is critical: validating resolvers
// (most large receivers) cannot resolve it.
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';
import { getMxFacts } from './mx-facts.js';
import { findZoneApex } from './zone-apex.js';
import { dsString, querySecure } from './dnssec-status.js';
import type { Security } from './dnssec-status.js';
import { DNSSEC_FINDINGS as F } from './dnssec-findings.js';

/** RFC 8624 §3.1: algorithms that MUST NOT or are NOT RECOMMENDED for signing. */
const WEAK_ALGORITHMS: Record<number, string> = {
  1: 'RSAMD5', 3: 'DSA', 5: 'RSASHA1', 6: 'DSA-NSEC3-SHA1', 7: 'RSASHA1-NSEC3-SHA1', 10: 'RSASHA512', 12: 'ECC-GOST',
};
/** RFC 8624 §3.3: DS digest types that MUST NOT be used (0 reserved, 1 SHA-1, 3 GOST). */
const WEAK_DIGESTS: Record<number, string> = { 0: 'reserved', 1: 'SHA-1', 3: 'GOST R 34.11-94' };

export const dnssecCheck: Check = {
  family: 'dnssec',
  area: 'DNSSEC',
  description: 'DNSSEC: whether the domain and each MX host\'s zone are signed and validate, DS at the parent, broken chains.',
  findings: Object.values(F),
  async run(target, ctx) {
    const domain = target.domain;
    const out: Finding[] = [];
    const unverifiable: string[] = [];
    const sec = await querySecure(ctx, domain, 'SOA', domain);
    if (sec.state !== 'bogus' && sec.response.status === 'nxdomain') return []; // the MX check reports a missing domain
    out.push(...await judgeDomain(ctx, domain, sec, unverifiable));

    const facts = await getMxFacts(ctx, domain);
    const secured: string[] = [];
    const domainApex = sec.apex ?? (await findZoneApex(ctx, domain)).apex;
    await Promise.all(facts.hosts.map(async ({ host }) => {
      const s = await querySecure(ctx, host, 'A', domain);
      const evidence = evidenceOf(s);
      // An MX host in the domain's own (unsigned or unvalidated) zone is covered by the domain's finding.
      if (s.state !== 'secure' && s.state !== 'bogus' && s.state !== 'indeterminate' && s.apex === domainApex && sec.state === s.state) return;
      switch (s.state) {
        case 'secure': secured.push(host); break;
        case 'bogus': out.push(finding(F.mxBogus, { subject: host, detail: `${host} answers SERVFAIL unless validation is switched off (CD bit).`, evidence })); break;
        case 'unsigned': out.push(finding(F.mxUnsigned, { subject: host, detail: `No DS for ${s.apex}: ${host} cannot be validated, so DANE cannot protect mail to it.`, evidence })); break;
        case 'not-validated': out.push(finding(F.mxNotValidated, { subject: host, detail: `${s.apex} has DS records, but the resolver does not authenticate ${host}.`, evidence })); break;
        case 'unverifiable': unverifiable.push(host); break;
        case 'indeterminate': out.push(finding(F.mxLookupFailed, { subject: host, detail: describeFailure(s.failure ?? s.response), evidence })); break;
      }
    }));
    if (secured.length) out.push(finding(F.mxSigned, { detail: `Validated: ${secured.sort().join(', ')}.`, evidence: { hosts: secured } }));
    if (unverifiable.length) {
      out.push(finding(F.resolverNotValidating, {
        detail: `DS records say ${unverifiable.join(', ')} ${unverifiable.length > 1 ? 'are' : 'is'} signed, but the resolver sets the AD bit on nothing (not even the root zone or the TLD), so it does not validate and the chain cannot be checked.`,
        evidence: { names: unverifiable },
      }));
    }
    return out;
  },
};

async function judgeDomain(ctx: CheckContext, domain: string, sec: Security, unverifiable: string[]): Promise<Finding[]> {
  const evidence = evidenceOf(sec);
  switch (sec.state) {
    case 'bogus':
      return [finding(F.bogus, { subject: domain, detail: `The resolver answers SERVFAIL for ${domain} SOA, but answers with the CD bit set (validation off): the DNSSEC chain is broken.`, evidence })];
    case 'indeterminate':
      return [finding(F.lookupFailed, { subject: domain, detail: describeFailure(sec.failure ?? sec.response), evidence })];
    case 'unsigned':
      return [finding(F.unsigned, { subject: domain, detail: `No DS record for ${sec.apex} at its parent zone: nothing authenticates its answers, so its MX and TLSA records can be forged on the path, and senders apply no DANE to its MX hosts (RFC 7672 §2.2.1).`, evidence })];
    case 'not-validated':
      return [finding(F.notValidated, { subject: domain, detail: `DS at the parent: ${sec.ds?.join('; ')}. The resolver validates, yet does not authenticate ${domain}.`, evidence }), ...weakDs(sec.ds ?? [])];
    case 'unverifiable':
      unverifiable.push(domain);
      return weakDs(sec.ds ?? []);
    case 'secure': {
      // AD says the chain works; still show DS at the parent and flag deprecated algorithms.
      const { apex } = await findZoneApex(ctx, domain);
      const ds = apex === undefined ? undefined : await ctx.resolver.query(apex, 'DS', { dnssec: true });
      const dsText = ds && !isIndeterminate(ds) ? ds.records.map(dsString) : [];
      return [finding(F.signed, { subject: domain, detail: dsText.length ? `DS at the parent: ${dsText.join('; ')}.` : 'Answers carry the AD bit.', evidence: { ...evidence, apex, ds: dsText } }), ...weakDs(dsText)];
    }
  }
}

/** DS records that use deprecated algorithms or digests, unless a strong DS covers the same key. */
function weakDs(ds: string[]): Finding[] {
  const parsed = ds.map((t) => { const [tag, alg, dig] = t.split(' ').map(Number); return { t, tag, alg: alg!, dig: dig! }; });
  const strongDigest = new Set(parsed.filter((d) => !(d.dig in WEAK_DIGESTS)).map((d) => d.tag));
  const weak = parsed.filter((d) => d.alg in WEAK_ALGORITHMS || (d.dig in WEAK_DIGESTS && !strongDigest.has(d.tag)));
  if (!weak.length) return [];
  const why = weak.map((d) => (d.alg in WEAK_ALGORITHMS ? `${d.t.slice(0, 40)}: algorithm ${WEAK_ALGORITHMS[d.alg]}` : `${d.t.slice(0, 40)}: digest ${WEAK_DIGESTS[d.dig]}`));
  return [finding(F.weakDs, { detail: why.join('; '), evidence: { ds: weak.map((d) => d.t) } })];
}

function evidenceOf(s: Security): Record<string, unknown> {
  const e: Record<string, unknown> = { state: s.state, status: s.response.status, ad: s.response.ad, server: s.response.server };
  if (s.apex !== undefined) e.zone = s.apex;
  if (s.ds) e.ds = s.ds;
  if (s.failure) e.failure = describeFailure(s.failure);
  return e;
}
