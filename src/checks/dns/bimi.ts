// BIMI (draft-brand-indicators-for-message-identification): the default._bimi record's
// syntax (nothing is fetched) and its precondition, an enforced DMARC policy.
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import type { DnsResponse } from '../../io/resolver.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import { isBimiCandidate, parseBimi } from '../../parsers/bimi.js';
import { effectivePolicy, isUsable } from '../../parsers/dmarc.js';
import { getDmarcFacts, orgDomainOf } from './dmarc-facts.js';

const DRAFT = 'draft-brand-indicators-for-message-identification';
const F = {
  valid: { id: 'bimi.valid', severity: 'ok', title: 'BIMI record found and valid', meaning: 'default._bimi publishes a logo location (and possibly a mark certificate) with valid syntax. The logo and certificate themselves are not fetched.', refs: [`${DRAFT} §4`] },
  missing: { id: 'bimi.missing', severity: 'info', title: 'No BIMI record', meaning: 'The domain does not publish a BIMI logo. BIMI is optional: it lets supporting mailbox providers show your logo next to authenticated mail.', refs: [`${DRAFT} §4`] },
  declined: { id: 'bimi.declined', severity: 'info', title: 'BIMI explicitly declined', meaning: 'An empty l= says the domain does not want a logo shown.', refs: [`${DRAFT} §4.3`] },
  multiple: {
    id: 'bimi.multiple', severity: 'warning', title: 'More than one BIMI record',
    meaning: 'With several v=BIMI1 records at one name, receivers treat BIMI as absent.',
    remediation: 'Keep exactly one v=BIMI1 TXT record at default._bimi.<domain>.',
    refs: [`${DRAFT} §4`],
  },
  syntax: {
    id: 'bimi.syntax-error', severity: 'warning', title: 'The BIMI record has a syntax error',
    meaning: 'A record that does not parse (v=BIMI1 first, tag=value pairs, l= present) is ignored, so no logo is shown.',
    remediation: 'Write it as "v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem".',
    refs: [`${DRAFT} §4.2`],
  },
  invalidUri: {
    id: 'bimi.invalid-uri', severity: 'warning', title: 'A BIMI location is not an HTTPS URL',
    meaning: 'l= (the SVG logo) and a= (the PEM mark certificate) must each be one https: URL; anything else is ignored.',
    remediation: 'Serve the files over HTTPS and put their https:// URLs in l= and a=.',
    refs: [`${DRAFT} §4.2`],
  },
  noCert: { id: 'bimi.no-certificate', severity: 'info', title: 'BIMI record without a mark certificate (a=)', meaning: 'Most mailbox providers (Gmail, Apple Mail, Yahoo) show a BIMI logo only with a Verified Mark Certificate or Common Mark Certificate in a=.', refs: [`${DRAFT} §4.2`] },
  dmarcWeak: {
    id: 'bimi.dmarc-not-enforced', severity: 'warning', title: 'BIMI needs an enforced DMARC policy',
    meaning: 'Receivers show a BIMI logo only when DMARC is enforced: p=quarantine or p=reject on 100% of mail (pct=100), and sp not none. With a weaker policy the record has no effect.',
    remediation: 'Move DMARC to p=quarantine or p=reject with pct=100 (and no sp=none) once your reports are clean.',
    refs: [`${DRAFT} §4.4`, 'RFC 7489 §6.3'],
  },
  lookupFailed: {
    id: 'bimi.lookup-failed', severity: 'unknown', title: 'Could not look up the BIMI record',
    meaning: 'The default._bimi TXT query timed out, answered SERVFAIL or was refused.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
} satisfies Record<string, FindingDef>;

export const bimiCheck: Check = {
  family: 'bimi',
  area: 'BIMI',
  description: 'BIMI record at default._bimi: syntax of v=BIMI1, l= and a= (not fetched), and the enforced-DMARC precondition.',
  findings: Object.values(F),
  async run(target, ctx) {
    const org = orgDomainOf(target.domain);
    let name = `default._bimi.${target.domain}`;
    let r = await ctx.resolver.query(name, 'TXT');
    // A subdomain without its own record uses the organizational domain's (§4.4 discovery).
    if (!isIndeterminate(r) && !bimiTexts(r).length && org !== target.domain) {
      name = `default._bimi.${org}`;
      r = await ctx.resolver.query(name, 'TXT');
    }
    if (isIndeterminate(r)) return [finding(F.lookupFailed, { subject: name, detail: describeFailure(r) })];
    const texts = bimiTexts(r);
    if (!texts.length) return [finding(F.missing, { subject: `default._bimi.${target.domain}` })];
    if (texts.length > 1) return [finding(F.multiple, { subject: name, detail: texts.map((t) => `"${t}"`).join(', '), evidence: { records: texts } })];
    const rec = parseBimi(texts[0]!);
    const evidence = { record: rec.raw, tags: rec.tags };
    const out: Finding[] = rec.errors.length ? [finding(F.syntax, { subject: name, detail: `${rec.errors.join('; ')}.`, evidence: { ...evidence, errors: rec.errors } })] : [];
    for (const u of rec.badUris) out.push(finding(F.invalidUri, { subject: `${u.tag}=`, detail: `${u.tag}=${u.value}: ${u.message}.` }));
    if (out.length) return out;
    if (rec.declined) return [finding(F.declined, { subject: name, evidence })];
    out.push(finding(F.valid, { subject: name, detail: rec.raw, evidence }));
    if (!rec.authority) out.push(finding(F.noCert, { subject: name }));
    const weak = await dmarcWeakness(ctx, target.domain);
    if (weak) out.push(finding(F.dmarcWeak, { detail: weak }));
    return out;
  },
};

function bimiTexts(r: DnsResponse): string[] {
  return txtTexts(r).filter(isBimiCandidate);
}

/** Why DMARC does not meet BIMI's requirement, or undefined when it does (or could not be told: the DMARC family says so). */
async function dmarcWeakness(ctx: CheckContext, domain: string): Promise<string | undefined> {
  const { result } = await getDmarcFacts(ctx, domain);
  if (result.kind === 'failed') return undefined;
  if (result.kind === 'missing') return 'The domain has no DMARC record.';
  if (result.kind === 'multiple') return 'The domain has several DMARC records, so none applies.';
  const { record: rec, inherited } = result;
  if (!isUsable(rec)) return 'The DMARC record is invalid, so receivers ignore it.';
  const policy = effectivePolicy(rec, inherited) ?? 'none';
  if (policy === 'none') return `The DMARC policy that applies is ${inherited && rec.sp ? 'sp' : 'p'}=${policy}.`;
  if (rec.pct < 100) return `DMARC pct=${rec.pct}: the policy covers only part of the mail.`;
  if (rec.sp === 'none') return 'DMARC sp=none leaves subdomains unprotected.';
  if (rec.testing) return 'DMARC is in testing mode (t=y).';
  return undefined;
}
