// SPF (RFC 7208): one record, its syntax, its policy ("all"), the lookup and void-lookup
// limits counted through the whole include tree, and, with --ip, an evaluation.
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate, txtText, txtTexts } from '../../io/resolver.js';
import { parseMacroString } from '../../parsers/spf-macro.js';
import { SPF } from './spf-findings.js';
import { fetchSpf } from './spf-fetch.js';
import type { SpfFetch } from './spf-fetch.js';
import { walkSpfTree } from './spf-tree.js';
import { allFindings, recordFindings, treeFindings } from './spf-judge.js';
import { evaluateSpf } from './spf-eval.js';
import type { SpfResult } from './spf-eval.js';

/** The domain's SPF record, shared with other families (name-server consistency, DMARC). */
export function getSpf(ctx: CheckContext, domain: string): Promise<SpfFetch> {
  return ctx.memo(`spf:${domain}`, () => fetchSpf(ctx.resolver, domain));
}

export const spfCheck: Check = {
  family: 'spf',
  area: 'SPF',
  description: 'SPF record: one record, syntax with error positions, all policy, 10-lookup and void-lookup limits through the include tree, loops, ptr, macros, size, type 99; evaluation with --ip.',
  findings: Object.values(SPF),
  async run(target, ctx) {
    const domain = target.domain;
    const [f, type99] = await Promise.all([getSpf(ctx, domain), ctx.resolver.query(domain, 'SPF')]);
    const out: Finding[] = [];
    if (type99.status === 'answer') {
      const texts = txtTexts(type99);
      out.push(finding(SPF.obsoleteType, { detail: `${domain} has a type-99 SPF record: ${texts.join(' | ')}`, evidence: { spfType99: texts } }));
    }
    if (f.status === 'error') {
      out.push(finding(SPF.lookupFailed, { subject: domain, detail: `TXT ${domain}: ${describeFailure(f.response)}`, evidence: { status: f.response.status, server: f.response.server } }));
    } else if (f.status === 'none') {
      const why = f.response.status === 'nxdomain' ? `${domain} does not exist (NXDOMAIN).` : f.response.status === 'nodata' ? `${domain} has no TXT records.` : `None of the ${f.response.records.length} TXT records at ${domain} starts with "v=spf1".`;
      const near = f.lookalikes.length ? ` Looks like SPF but is not selected (a record must begin exactly with "v=spf1" and a space): ${f.lookalikes.map((l) => JSON.stringify(l)).join(', ')}` : '';
      out.push(finding(SPF.missing, { detail: why + near, evidence: { status: f.response.status, lookalikes: f.lookalikes } }));
    } else if (f.status === 'multiple') {
      out.push(finding(SPF.multiple, { detail: f.records.map((r) => JSON.stringify(r)).join('\n'), evidence: { records: f.records } }));
    } else {
      const rec = recordFindings(f);
      const tree = await walkSpfTree(ctx.resolver, f);
      const judged = [...rec, ...allFindings(tree), ...treeFindings(tree), ...(await expFindings(ctx, f))];
      if (f.record.valid) {
        out.push(finding(SPF.valid, { detail: f.record.text, evidence: { record: f.record.text, strings: f.strings } }), ...judged);
      } else {
        // A record with a syntax error is a permerror as a whole (§4.6): nothing in it is "ok".
        out.push(...judged.filter((x) => x.severity !== 'ok'));
      }
    }
    if (ctx.options.spfIp) out.push(await evaluationFinding(ctx, domain));
    return out;
  },
};

/** exp= without macros can be checked now (§6.2); with macros it depends on the message. */
async function expFindings(ctx: CheckContext, f: SpfFetch & { status: 'found' }): Promise<Finding[]> {
  const exp = f.record.exp;
  if (!exp || exp.value.hasMacros || !f.record.valid) return [];
  const name = exp.value.text.replace(/\.$/, '');
  const r = await ctx.resolver.query(name, 'TXT');
  if (isIndeterminate(r)) return [finding(SPF.lookupFailed, { subject: name, detail: `exp= TXT ${name}: ${describeFailure(r)}` })];
  if (r.records.length !== 1) return [finding(SPF.expInvalid, { subject: name, detail: `${name} has ${r.records.length} TXT records; exp= needs exactly one.` })];
  const text = txtText(r.records[0]!.data);
  const bad = parseMacroString(text, 0, 'explanation').errors[0];
  if (bad) return [finding(SPF.expInvalid, { subject: name, detail: `The explanation "${text}" is not a valid macro-string: ${bad.message}`, evidence: { text, position: bad.position } })];
  return [];
}

const SEVERITY: Record<SpfResult, Finding['severity']> = {
  pass: 'info', fail: 'warning', softfail: 'warning', neutral: 'warning', none: 'warning', permerror: 'critical', temperror: 'unknown',
};

async function evaluationFinding(ctx: CheckContext, domain: string): Promise<Finding> {
  const ip = ctx.options.spfIp!;
  try {
    const r = await evaluateSpf(ctx.resolver, { ip, sender: ctx.options.spfSender, helo: ctx.options.spfHelo, domain, now: ctx.clock.now() });
    const via = r.chain.length ? ` via ${r.chain.map((c) => `${c.term} (${c.domain})`).join(' → ')}` : '';
    return finding(SPF.evaluation, {
      severity: SEVERITY[r.result], title: `SPF result for ${r.ip}: ${r.result}`, subject: r.ip,
      detail: `${r.result}${via}. ${r.reason}. ${r.lookups} DNS lookup${r.lookups === 1 ? '' : 's'}, ${r.voidLookups} void.${r.explanation ? ` Explanation: ${r.explanation}` : ''}`,
      evidence: { ...r },
    });
  } catch (err) {
    return finding(SPF.evaluation, { severity: 'unknown', title: 'SPF evaluation could not run', subject: ip, detail: (err as Error).message });
  }
}
