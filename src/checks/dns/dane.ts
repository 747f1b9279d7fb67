// DANE for SMTP (RFC 7672): TLSA records at _25._tcp.<mx host>, parsed and judged on
// what DNS alone can tell, and only when the MX RRset validates (RFC 7672 §2.2.1: else
// senders use no DANE). Matching them against the server certificate needs the SMTP probe
// and is done there.
import type { Check, CheckContext } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { describeFailure } from '../../io/resolver.js';
import { hasRolloverScheme, isUsableForSmtp, parseTlsa } from '../../parsers/tlsa.js';
import { getMxFacts } from './mx-facts.js';
import { querySecure } from './dnssec-status.js';
import type { Security } from './dnssec-status.js';
import { DANE_FINDINGS as F } from './dane-findings.js';

export const daneCheck: Check = {
  family: 'dane',
  area: 'DANE',
  description: 'DANE TLSA records for each MX host (_25._tcp): present, DNSSEC-secure, usable for SMTP, rollover-ready.',
  findings: Object.values(F),
  async run(target, ctx) {
    const facts = await getMxFacts(ctx, target.domain);
    const hosts = facts.hosts.map((h) => h.host).filter((h) => !/^[\d.]+$|:/.test(h));
    if (!hosts.length) return [];
    const mx = await mxRrsetSecurity(ctx, target.domain);
    // RFC 7672 §2.2.1: MX hosts reached through an insecure MX RRset get no DANE at all, so
    // their TLSA records are not judged as if senders used them.
    if (mx.state === 'unsigned' || mx.state === 'not-validated') return notApplicable(ctx, target.domain, hosts, mx);
    const perHost = await Promise.all(hosts.map((h) => judgeHost(ctx, h, target.domain)));
    return perHost.flat();
  },
};

/** The DNSSEC state of the domain's MX RRset (memoised: the tlsa family asks it too). */
export function mxRrsetSecurity(ctx: CheckContext, domain: string): Promise<Security> {
  return ctx.memo(`dane:mx-rrset:${domain}`, () => querySecure(ctx, domain, 'MX', domain));
}

async function notApplicable(ctx: CheckContext, domain: string, hosts: string[], mx: Security): Promise<Finding[]> {
  const answers = await Promise.all(hosts.map((h) => ctx.resolver.query(`_25._tcp.${h}`, 'TLSA')));
  const withTlsa = hosts.filter((_, i) => answers[i]!.records.length > 0);
  // A warning when the domain's own hosts publish TLSA that has no effect; a provider's MX
  // hosts with TLSA only repeat what dnssec.unsigned says (sign the zone to get DANE).
  const own = withTlsa.filter((h) => h === domain || h.endsWith(`.${domain}`));
  const why = mx.state === 'unsigned' ? `no DS for ${mx.apex}` : `DS for ${mx.apex} published but the chain does not validate`;
  const tlsa = withTlsa.length ? ` TLSA records published for ${withTlsa.join(', ')} are therefore ignored by senders.` : '';
  return [finding(F.notApplicable, {
    subject: domain, severity: own.length ? 'warning' : undefined,
    detail: `The MX RRset of ${domain} is not DNSSEC-validated (${why}): senders do not apply DANE to its MX hosts.${tlsa}`,
    evidence: { mxDnssec: mx.state, zone: mx.apex, hosts, hostsWithTlsa: withTlsa },
  })];
}

async function judgeHost(ctx: CheckContext, host: string, domain: string): Promise<Finding[]> {
  const name = `_25._tcp.${host}`;
  const s = await querySecure(ctx, name, 'TLSA', domain);
  const records = s.response.records.map((r) => parseTlsa(r.data));
  const evidence = { name, records: records.map((t) => t.text), dnssec: s.state, ...(s.apex ? { zone: s.apex } : {}) };
  if (s.state === 'bogus') {
    return [finding(F.bogus, { subject: host, detail: `${name} TLSA answers SERVFAIL unless validation is off (CD bit).`, evidence })];
  }
  if (s.state === 'indeterminate') {
    return [finding(F.lookupFailed, { subject: host, detail: `${name} TLSA: ${describeFailure(s.failure ?? s.response)}`, evidence })];
  }
  if (!records.length) return [finding(F.none, { subject: host, detail: `No TLSA record at ${name}.`, evidence })];

  const out: Finding[] = [];
  const invalid = records.filter((t) => t.problems.length);
  if (invalid.length) {
    out.push(finding(F.invalid, { subject: host, detail: invalid.map((t) => `${t.text}: ${t.problems.join('; ')}`).join(' | '), evidence }));
  }
  const pkix = records.filter((t) => t.pkix && !t.problems.length);
  if (pkix.length) out.push(finding(F.pkixUsage, { subject: host, detail: `${pkix.map((t) => t.text).join(', ')}: usage ${pkix.map((t) => t.usage).join('/')} is ignored on port 25.`, evidence }));
  const usable = records.filter(isUsableForSmtp);
  switch (s.state) {
    case 'unsigned':
    case 'not-validated':
      out.push(finding(F.insecure, { subject: host, detail: `${name} has TLSA records, but the answer is not DNSSEC-validated (${s.state === 'unsigned' ? `no DS for ${s.apex}` : `DS for ${s.apex} published but the chain does not validate`}).`, evidence }));
      return out;
    case 'unverifiable':
      out.push(finding(F.validationUnknown, { subject: host, detail: `${s.apex} has DS records, but the resolver does not validate.`, evidence }));
      return out;
    default: break;
  }
  if (!usable.length) return out;
  out.unshift(finding(F.present, { subject: host, detail: `${name}: ${usable.map((t) => t.text).join(', ')}`, evidence }));
  if (!hasRolloverScheme(records)) {
    out.push(finding(F.noRollover, { subject: host, detail: `Usable records: ${usable.map((t) => t.text).join(', ')}.`, evidence }));
  }
  return out;
}
