// DMARC (RFC 7489, noting DMARCbis): one record at _dmarc.<domain> or its organizational
// domain, syntax, the policy that applies, alignment and report destinations.
import type { Check } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure } from '../../io/resolver.js';
import { effectivePolicy, isUsable, POLICY_STRENGTH } from '../../parsers/dmarc.js';
import type { DmarcIssueKind, DmarcRecord, Policy } from '../../parsers/dmarc.js';
import { F } from './dmarc-findings.js';
import { getDmarcFacts } from './dmarc-facts.js';
import { checkReportDestinations } from './dmarc-reports.js';

/** The finding for each kind of parser issue. */
const ISSUE_FINDING: Record<DmarcIssueKind, (typeof F)[keyof typeof F]> = {
  'syntax': F.syntax, 'duplicate-tag': F.duplicateTag, 'invalid-policy': F.invalidPolicy, 'invalid-value': F.invalidValue,
  'rejected-value': F.rejectedValue,  'missing-p': F.policyMissing, 'tag-order': F.tagOrder, 'unknown-tag': F.unknownTag, 'obsolete-tag': F.obsoleteTag, 'size-limit': F.sizeLimit,
};

export const dmarcCheck: Check = {
  family: 'dmarc',
  area: 'DMARC',
  description: 'DMARC record: one v=DMARC1 record (with organizational-domain fallback), syntax, policy, pct, alignment, report URIs and external report authorization.',
  findings: Object.values(F),
  async run(target, ctx) {
    const facts = await getDmarcFacts(ctx, target.domain);
    const { result } = facts;
    const evidence = { queried: facts.queried, organizationalDomain: facts.orgDomain };
    const out: Finding[] = [];
    const spfHere = facts.queried.find((q) => q.texts.some((t) => /^\s*v=spf1(\s|$)/i.test(t)));
    if (spfHere) out.push(finding(F.spfAtDmarc, { subject: spfHere.name, evidence }));
    if (result.kind === 'failed') return [...out, finding(F.lookupFailed, { subject: result.response.name, detail: describeFailure(result.response), evidence })];
    if (result.kind === 'missing') {
      const where = facts.orgDomain !== target.domain ? ` nor at _dmarc.${facts.orgDomain} (the organizational domain)` : '';
      return [...out, finding(F.missing, { detail: `No v=DMARC1 record at _dmarc.${target.domain}${where}.`, evidence })];
    }
    if (result.kind === 'multiple') {
      return [...out, finding(F.multiple, { subject: `_dmarc.${result.domain}`, detail: `${result.texts.length} v=DMARC1 records: ${result.texts.map((t) => `"${t}"`).join(', ')}`, evidence })];
    }
    const { record: rec, inherited, domain: policyDomain } = result;
    const recEvidence = { ...evidence, record: rec.raw, tags: rec.tags };
    if (inherited) out.push(finding(F.inherited, { subject: `_dmarc.${policyDomain}`, detail: `${target.domain} has no record; the one at _dmarc.${policyDomain} applies, with policy ${rec.sp ? `sp=${rec.sp}` : `p=${rec.p ?? 'none'} (no sp)`}.` }));
    for (const i of rec.issues) {
      const rejected = i.kind === 'rejected-value' ? { tag: i.tag, value: i.tag ? rec.tags[i.tag] : undefined, discardedBy: 'OpenDMARC: opendmarc_policy_parse_dmarc returns DMARC_PARSE_ERROR_BAD_VALUE' } : {};
      out.push(finding(ISSUE_FINDING[i.kind], { subject: i.tag ?? `_dmarc.${policyDomain}`, detail: i.message, evidence: { record: rec.raw, ...rejected } }));
    }
    if (!isUsable(rec)) return out;
    out.unshift(finding(F.valid, { subject: `_dmarc.${policyDomain}`, detail: rec.raw, evidence: recEvidence }));
    out.push(...judgePolicy(rec, inherited));
    out.push(finding(F.alignment, {
      detail: `DKIM alignment ${rec.adkim === 's' ? 'strict' : 'relaxed'}${rec.tags.adkim ? '' : ' (default)'}, SPF alignment ${rec.aspf === 's' ? 'strict' : 'relaxed'}${rec.tags.aspf ? '' : ' (default)'}.`,
      evidence: { adkim: rec.adkim, aspf: rec.aspf },
    }));
    if (!rec.rua.length) {
      // p=none exists to collect reports: without rua the record does nothing at all.
      const none = (effectivePolicy(rec, inherited) ?? 'none') === 'none';
      out.push(finding(F.noRua, none
        ? { severity: 'warning', detail: 'The record has no rua tag, and with p=none reports are all it is for: it currently has no effect.' }
        : { detail: 'The record has no rua tag.' }));
    }
    out.push(...await checkReportDestinations(ctx, policyDomain, rec));
    return out;
  },
};

function judgePolicy(rec: DmarcRecord, inherited: boolean): Finding[] {
  const out: Finding[] = [];
  const policy: Policy = effectivePolicy(rec, inherited) ?? 'none';
  const which = inherited && rec.sp ? `sp=${policy} (inherited)` : `p=${policy}${inherited ? ' (inherited)' : ''}`;
  // A missing p already has its own finding; do not report "none" twice.
  if (policy === 'none' && rec.p === undefined && !(inherited && rec.sp)) return out;
  if (policy === 'none') {
    out.push(finding(F.policyNone, { detail: `The policy that applies is ${which}.` }));
  } else {
    out.push(finding(F.enforced, { detail: `The policy that applies is ${which}${rec.pct < 100 ? `, pct=${rec.pct}` : ''}.` }));
    if (rec.pct < 100) out.push(finding(F.pct, { detail: `pct=${rec.pct}: ${rec.pct}% of failing mail gets ${policy}, the rest is treated one level weaker.` }));
    if (rec.testing) out.push(finding(F.testing, { detail: `t=y: receivers apply ${policy === 'reject' ? 'quarantine' : 'none'} instead of ${policy}.` }));
  }
  if (!inherited && rec.p) {
    for (const tag of ['sp', 'np'] as const) {
      const v = rec[tag];
      if (!v || POLICY_STRENGTH[v] >= POLICY_STRENGTH[rec.p]) continue;
      const scope = tag === 'sp' ? 'existing subdomains' : 'non-existent subdomains';
      out.push(finding(F.subWeaker, {
        subject: tag, severity: v === 'none' ? 'warning' : 'info',
        detail: `${tag}=${v} is weaker than p=${rec.p}: mail from ${scope} gets ${v}.`,
      }));
    }
  }
  return out;
}
