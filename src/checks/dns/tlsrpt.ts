// SMTP TLS Reporting (RFC 8460 §3): one v=TLSRPTv1 record at _smtp._tls.<domain> with
// rua URIs (mailto:/https:). Without it, MTA-STS or DANE failures go unnoticed.
import type { Check } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure, isIndeterminate, txtTexts } from '../../io/resolver.js';
import { isTlsRptCandidate, parseTlsRpt } from '../../parsers/tlsrpt.js';

const F = {
  valid: { id: 'tlsrpt.valid', severity: 'ok', title: 'TLS-RPT record found and valid', meaning: 'Sending servers will report TLS failures (MTA-STS, DANE, STARTTLS) to the rua addresses.', refs: ['RFC 8460 §3'] },
  missing: {
    id: 'tlsrpt.missing', severity: 'info', title: 'No TLS-RPT record',
    meaning: 'Without _smtp._tls.<domain> you get no reports when senders fail to establish TLS to your MX hosts.',
    remediation: 'Publish a TXT record "v=TLSRPTv1; rua=mailto:tls-reports@<domain>" at _smtp._tls.<domain>.',
    refs: ['RFC 8460 §3'],
  },
  missingWithSts: {
    id: 'tlsrpt.missing-with-mta-sts', severity: 'warning', title: 'MTA-STS is published but TLS-RPT is not',
    meaning: 'With MTA-STS senders refuse to deliver when TLS to your MX fails; TLS-RPT reports are how you learn about those failures before mail is lost.',
    remediation: 'Publish a TXT record "v=TLSRPTv1; rua=mailto:tls-reports@<domain>" at _smtp._tls.<domain>.',
    refs: ['RFC 8460 §3', 'RFC 8461 §1'],
  },
  multiple: {
    id: 'tlsrpt.multiple', severity: 'warning', title: 'More than one TLS-RPT record',
    meaning: 'When there is not exactly one v=TLSRPTv1 record, senders must assume the domain does not implement TLS-RPT: no reports are sent.',
    remediation: 'Merge the records into one, listing several URIs in one rua separated by commas.',
    refs: ['RFC 8460 §3'],
  },
  syntax: {
    id: 'tlsrpt.syntax-error', severity: 'warning', title: 'The TLS-RPT record has a syntax error',
    meaning: 'Senders treat a syntactically invalid record as absent, so no TLS reports are sent.',
    remediation: 'Write the record as "v=TLSRPTv1; rua=mailto:<address>" (exact case, ";" between fields).',
    refs: ['RFC 8460 §3'],
  },
  invalidUri: {
    id: 'tlsrpt.invalid-uri', severity: 'warning', title: 'A TLS-RPT report URI is invalid',
    meaning: 'Reports go only to mailto: or https: URIs; an invalid entry receives nothing.',
    remediation: 'Use "mailto:<address>" or "https://<host>/<path>", several separated by commas.',
    refs: ['RFC 8460 §3'],
  },
  lookupFailed: {
    id: 'tlsrpt.lookup-failed', severity: 'unknown', title: 'Could not look up the TLS-RPT record',
    meaning: 'The _smtp._tls TXT query timed out, answered SERVFAIL or was refused, so whether the domain publishes TLS-RPT is unknown.',
    remediation: 'Retry, or use another resolver with --resolver.',
  },
} satisfies Record<string, FindingDef>;

export const tlsrptCheck: Check = {
  family: 'tlsrpt',
  area: 'TLS-RPT',
  description: 'TLS-RPT record at _smtp._tls: exactly one v=TLSRPTv1 record, syntax, rua URIs.',
  findings: Object.values(F),
  async run(target, ctx) {
    const name = `_smtp._tls.${target.domain}`;
    const r = await ctx.resolver.query(name, 'TXT');
    if (isIndeterminate(r)) return [finding(F.lookupFailed, { subject: name, detail: describeFailure(r) })];
    const texts = txtTexts(r).filter(isTlsRptCandidate);
    if (!texts.length) {
      // Whether MTA-STS is on decides how much a missing TLS-RPT matters (RFC 8461 §1).
      const sts = await ctx.resolver.query(`_mta-sts.${target.domain}`, 'TXT');
      const hasSts = txtTexts(sts).some((t) => t.startsWith('v=STSv1'));
      return [finding(hasSts ? F.missingWithSts : F.missing, { subject: name, detail: describeFailure(r) })];
    }
    if (texts.length > 1) return [finding(F.multiple, { subject: name, detail: texts.map((t) => `"${t}"`).join(', '), evidence: { records: texts } })];
    const rec = parseTlsRpt(texts[0]!);
    const evidence = { record: rec.raw, rua: rec.rua.map((u) => u.raw), extensions: rec.extensions };
    const out: Finding[] = rec.errors.length ? [finding(F.syntax, { subject: name, detail: `${rec.errors.join('; ')}.`, evidence: { ...evidence, errors: rec.errors } })] : [];
    for (const u of rec.rua) if (u.error) out.push(finding(F.invalidUri, { subject: u.raw, detail: u.error }));
    if (!out.length) out.push(finding(F.valid, { subject: name, detail: rec.raw, evidence }));
    return out;
  },
};
