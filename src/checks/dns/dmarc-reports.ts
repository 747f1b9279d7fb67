// DMARC report destinations: URI validity, the two-URI limit (RFC 7489 §6.2), external
// destination authorization (§7.1) and whether mailto: domains receive mail.
import type { CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import type { DmarcRecord } from '../../parsers/dmarc.js';
import { F } from './dmarc-findings.js';
import { orgDomainOf } from './dmarc-facts.js';

/** `policyDomain` is the domain whose _dmarc record was used (§7.1 step 3). */
export async function checkReportDestinations(ctx: CheckContext, policyDomain: string, rec: DmarcRecord): Promise<Finding[]> {
  const out: Finding[] = [];
  const external = new Set<string>();
  const mailDomains = new Set<string>();
  for (const tag of ['rua', 'ruf'] as const) {
    const uris = rec[tag];
    if (uris.length > 2) out.push(finding(F.tooManyUris, { subject: tag, detail: `${tag} lists ${uris.length} URIs; receivers need to use only the first two.`, evidence: { uris: uris.map((u) => u.raw) } }));
    for (const u of uris) {
      if (u.error) {
        out.push(finding(F.invalidUri, { subject: u.raw, detail: `${tag}: ${u.error}.` }));
        continue;
      }
      if (orgDomainOf(u.host!) !== orgDomainOf(policyDomain)) external.add(u.host!);
      if (u.scheme === 'mailto') mailDomains.add(u.host!);
    }
  }
  const [auth, mx] = await Promise.all([
    Promise.all([...external].map((host) => checkAuthorization(ctx, policyDomain, host))),
    Promise.all([...mailDomains].map((host) => checkMailDomain(ctx, host))),
  ]);
  return [...out, ...auth.flat(), ...mx.flat()];
}

async function checkAuthorization(ctx: CheckContext, policyDomain: string, host: string): Promise<Finding[]> {
  const name = `${policyDomain}._report._dmarc.${host}`;
  const r = await ctx.resolver.query(name, 'TXT');
  if (isIndeterminate(r)) return [finding(F.reportLookupFailed, { subject: host, detail: `${name}: ${describeFailure(r)}` })];
  const texts = txtTexts(r);
  // §7.1: the destination's record must begin with v=DMARC1; unrelated TXT does not authorize.
  if (texts.some((t) => /^v=DMARC1(\s*;|\s*$)/.test(t))) return [finding(F.extAuthorized, { subject: host, detail: `${name} authorizes reports for ${policyDomain}.`, evidence: { name, texts } })];
  const seen = texts.length ? `holds ${texts.map((t) => `"${t}"`).join(', ')}, which does not start with v=DMARC1` : `has no TXT record (${r.status.toUpperCase()})`;
  return [finding(F.extUnauthorized, {
    subject: host,
    detail: `Reports for ${policyDomain} will not be sent to ${host}: ${name} ${seen}.`,
    evidence: { name, status: r.status, texts },
  })];
}

async function checkMailDomain(ctx: CheckContext, host: string): Promise<Finding[]> {
  const r = await ctx.resolver.query(host, 'MX');
  if (isIndeterminate(r)) return [finding(F.reportLookupFailed, { subject: host, detail: `MX of ${host}: ${describeFailure(r)}` })];
  const exchanges = r.records.map((x) => String(x.data.exchange ?? ''));
  if (exchanges.length && !exchanges.every((e) => e === '' || e === '.')) return [];
  const why = exchanges.length ? 'it publishes a null MX (it accepts no mail)' : describeFailure(r);
  return [finding(F.reportNoMx, { subject: host, detail: `Report address domain ${host}: ${why}.`, evidence: { status: r.status, mx: exchanges } })];
}
