// MTA-STS (RFC 8461): the _mta-sts TXT record (§3.1), the HTTPS policy (§3.2, §3.3)
// and the policy's mx patterns against the domain's real MX hosts (§4.1).
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import { isStsTxtCandidate, looksLikeStsTxt, parseStsTxt } from '../../parsers/mta-sts-txt.js';
import { matchingPattern, mxPatternMatches } from '../../parsers/mta-sts-policy.js';
import type { StsPolicy } from '../../parsers/mta-sts-policy.js';
import { getMxFacts } from './mx-facts.js';
import { F } from './mta-sts-findings.js';
import { fetchPolicy, judgePolicy, judgeResponse, policyUrl } from './mta-sts-fetch.js';

export const mtaStsCheck: Check = {
  family: 'mta-sts',
  area: 'MTA-STS',
  description: 'MTA-STS: the _mta-sts TXT record, the HTTPS policy (certificate, status, content type, syntax, mode, max_age) and its mx patterns against the real MX hosts.',
  findings: Object.values(F),
  async run(target, ctx) {
    const domain = target.domain;
    const name = `_mta-sts.${domain}`;
    const txt = await ctx.resolver.query(name, 'TXT');
    if (isIndeterminate(txt)) return [finding(F.txtLookupFailed, { subject: name, detail: describeFailure(txt) })];
    const texts = txt.status === 'answer' ? txtTexts(txt) : [];
    const counted = texts.filter(isStsTxtCandidate);
    const discarded = texts.filter((t) => !isStsTxtCandidate(t) && looksLikeStsTxt(t));
    if (!counted.length && !discarded.length) return notDeployed(ctx, domain, texts);

    const out: Finding[] = [];
    const evidence = { name, records: texts };
    if (counted.length > 1) {
      out.push(finding(F.txtMultiple, { subject: name, detail: counted.map((t) => `"${t}"`).join(', '), evidence }));
    } else {
      // With no record beginning "v=STSv1;", explain why the one meant as such is discarded.
      const record = counted[0] ?? discarded[0]!;
      const parsed = parseStsTxt(record);
      const ignored = counted.length && discarded.length ? ` Senders discard ${discarded.map((t) => `"${t}"`).join(', ')} (does not begin with "v=STSv1;").` : '';
      if (!parsed.ok) out.push(finding(F.txtInvalid, { subject: name, detail: `"${record}": ${parsed.error}.`, evidence }));
      else {
        const notes = parsed.notes.length ? ` Note: ${parsed.notes.join('; ')}.` : '';
        out.push(finding(F.txtValid, { subject: name, detail: `id=${parsed.record.id}.${notes}${ignored}`, evidence: { ...evidence, id: parsed.record.id } }));
      }
    }
    // Keep going when the TXT is broken: the owner needs to know what else to fix.
    const fetched = await fetchPolicy(ctx, domain);
    out.push(...fetched.findings);
    if (!fetched.response) return out;
    const judged = judgeResponse(domain, fetched.response);
    out.push(...judged.findings);
    if (!judged.policy) return out;
    out.push(...judgePolicy(judged.policy));
    out.push(...(await judgeMx(ctx, domain, judged.policy)));
    return out;
  },
};

async function notDeployed(ctx: CheckContext, domain: string, texts: string[]): Promise<Finding[]> {
  const other = texts.length ? ` (${texts.length} other TXT record(s) at _mta-sts are not MTA-STS)` : '';
  const out = [finding(F.notDeployed, { detail: `No "v=STSv1" TXT record at _mta-sts.${domain}${other}.`, evidence: { records: texts } })];
  // A policy served without the TXT record is inert: worth saying, it is usually a forgotten step.
  const a = await ctx.resolver.query(`mta-sts.${domain}`, 'A');
  if (a.status !== 'answer') return out;
  const r = await ctx.http.get(policyUrl(domain), { maxBytes: 64 * 1024 });
  if (r.ok && r.response.status === 200 && /^version:[ \t]*STSv1[ \t]*\r?$/m.test(r.response.body)) {
    out.push(finding(F.policyWithoutTxt, { detail: `${policyUrl(domain)} serves a policy.`, evidence: { url: policyUrl(domain), policy: r.response.body.slice(0, 4096) } }));
  }
  return out;
}

/** §4.1: every MX host must match a pattern, or senders applying the policy reject it. */
async function judgeMx(ctx: CheckContext, domain: string, policy: StsPolicy): Promise<Finding[]> {
  if (policy.mode === 'none') return [];
  const facts = await getMxFacts(ctx, domain);
  if (isIndeterminate(facts.mx)) return [finding(F.mxLookupFailed, { detail: describeFailure(facts.mx) })];
  if (facts.nullMx && !facts.hosts.length) return [];
  // No MX records: the domain itself is the mail host (RFC 5321 §5.1 implicit MX).
  const hosts = facts.hosts.length ? facts.hosts.map((h) => h.host) : facts.implicit ? [domain] : [];
  if (!hosts.length) return [];
  const matches = hosts.map((host) => ({ host, pattern: matchingPattern(policy.mx, host) ?? null }));
  const evidence = { url: policyUrl(domain), mode: policy.mode, patterns: policy.mx, mx: matches };
  const out: Finding[] = [];
  for (const m of matches.filter((x) => !x.pattern)) {
    const effect = policy.mode === 'enforce'
      ? 'senders enforcing the policy will not deliver to it'
      : 'senders will report deliveries to it as policy failures';
    out.push(finding(F.mxNotCovered, {
      severity: policy.mode === 'enforce' ? 'critical' : 'warning', subject: m.host,
      detail: `${m.host} matches none of: ${policy.mx.join(', ')}; ${effect}.`, evidence,
    }));
  }
  if (!out.length) out.push(finding(F.mxCovered, { detail: matches.map((m) => `${m.host} ← ${m.pattern}`).join(', '), evidence }));
  for (const p of policy.mx.filter((p) => !hosts.some((h) => mxPatternMatches(p, h)))) {
    out.push(finding(F.mxPatternUnused, { subject: p, detail: `mx: ${p} matches none of the MX hosts (${hosts.join(', ')}).`, evidence }));
  }
  return out;
}
