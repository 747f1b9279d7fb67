// DANE for SMTP, second half: do the TLSA records at _25._tcp.<mx> (RFC 7672 §2.2) match
// the certificate chain the MX host actually presents? Usages 2 (DANE-TA) and 3 (DANE-EE)
// only (RFC 7672 §3.1.3). The records themselves are judged by the `dane` DNS family;
// a family of its own here because finding ids are prefixed by their family.
import type { Check, CheckContext } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { parseTlsa, isUsableForSmtp } from '../../parsers/tlsa.js';
import { matchTlsa } from '../../parsers/tlsa-match.js';
import { querySecure } from '../dns/dnssec-status.js';
import type { Security } from '../dns/dnssec-status.js';
import { mxRrsetSecurity } from '../dns/dane.js';
import { endpointLabel } from './endpoints.js';
import { getDomainTls } from './tls-facts.js';
import type { EndpointTls } from './tls-facts.js';
import { starttlsRefused } from './tls.js';

export const TLSA_FINDINGS = {
  match: {
    id: 'tlsa.match', severity: 'ok', title: 'TLSA record matches the server certificate',
    meaning: 'A DNSSEC-validated DANE-EE/DANE-TA record matches the chain this MX host presents, so DANE-validating senders (Postfix, Exim, Microsoft, ...) deliver over authenticated TLS.',
    refs: ['RFC 7672 §3.1', 'RFC 6698 §2.1'],
  },
  noMatch: {
    id: 'tlsa.no-match', severity: 'critical', title: 'TLSA records do not match the server certificate',
    meaning: 'The MX host publishes DNSSEC-validated TLSA records, but none matches the certificate chain it presents (or it presents none). DANE-validating senders will not deliver: they defer the mail and eventually bounce it (RFC 7672 §2.2). Usually a certificate was renewed with a new key before the TLSA record was updated.',
    remediation: 'Publish a TLSA record for the certificate now served (e.g. "3 1 1 <sha256 of the SPKI>": `openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`), keep the old one until caches expire, and roll keys only after the new record is published (RFC 7671 §8.1).',
    refs: ['RFC 7672 §2.2', 'RFC 7672 §3.1', 'RFC 7671 §8.1'],
  },
  unvalidated: {
    id: 'tlsa.unvalidated', severity: 'info', title: 'TLSA records not DNSSEC-validated: matching is moot',
    meaning: 'TLSA records exist but the answer is not DNSSEC-secure, or the MX RRset that leads to this host is not, so DANE senders ignore them (RFC 7672 §2.2, §2.2.1). The detail still says whether they would match. Unknown when the resolver does not validate and the records do not match: a validating sender may see them as secure.',
    remediation: 'Sign the zone (DNSSEC) for DANE to take effect, or use a validating resolver (--resolver) to check it.',
    refs: ['RFC 7672 §2.2', 'RFC 6698 §4'],
  },
  notTested: {
    id: 'tlsa.not-tested', severity: 'unknown', title: 'TLSA records could not be matched',
    meaning: 'The MX host publishes DNSSEC-validated TLSA records, but the exchange before TLS failed or timed out, so the certificate could not be compared.',
    remediation: 'See the SMTP and TLS findings for this endpoint; re-run with a larger --step-timeout.',
  },
} satisfies Record<string, FindingDef>;
const F = TLSA_FINDINGS;

export const tlsaCheck: Check = {
  family: 'tlsa',
  area: 'DANE',
  connects: true,
  skip: skipUnlessProbing,
  description: 'DANE: TLSA records of each MX host (_25._tcp) matched against the certificate chain it presents.',
  findings: Object.values(F),
  async run(target, ctx) {
    const mx = (await getDomainTls(ctx, target.domain)).filter((x) => x.endpoint.service === 'smtp');
    if (!mx.length) return [];
    const rrset = await mxRrsetSecurity(ctx, target.domain);
    const insecureMx = rrset.state === 'unsigned' || rrset.state === 'not-validated' ? rrset : undefined;
    const out = await Promise.all(mx.map((x) => judgeTlsa(ctx, x, target.domain, insecureMx)));
    return out.flat();
  },
};

/** `insecureMx`: the domain's MX RRset does not validate, so senders apply no DANE (RFC 7672 §2.2.1). */
export async function judgeTlsa(ctx: CheckContext, { endpoint: e, probe: p }: EndpointTls, domain: string, insecureMx?: Security): Promise<Finding[]> {
  if (p.open?.stage === 'connect') return []; // unreachable: the SMTP findings say so
  const name = `_${e.port}._tcp.${e.host}`;
  const s = await querySecure(ctx, name, 'TLSA', domain);
  const records = s.response.records.map((r) => parseTlsa(r.data));
  if (!records.some(isUsableForSmtp)) return []; // none, or none usable: the dane family reports it
  const subject = endpointLabel(e);
  const chain = p.handshake?.chain ?? [];
  const m = matchTlsa(records, chain);
  const evidence = { name, dnssec: s.state, records: m.usable.map((t) => t.text), leaf: chain[0]?.subject.replace(/\n/g, ', ') };
  const matched = m.record ? `${m.record.text} matches the ${m.index === 0 ? 'leaf' : `CA certificate at depth ${m.index}`}` : undefined;
  if (insecureMx || s.state !== 'secure') {
    const would = !chain.length ? 'no certificate was obtained to compare' : matched ? `they would match (${matched})` : 'they would not match';
    if (insecureMx) {
      return [finding(F.unvalidated, { subject, evidence: { ...evidence, mxDnssec: insecureMx.state }, detail: `${name}: the MX RRset of ${domain} is not DNSSEC-validated, so senders apply no DANE to this host (RFC 7672 §2.2.1); ${would}.` })];
    }
    return [finding(F.unvalidated, {
      subject, evidence, severity: s.state === 'unverifiable' && chain.length && !matched ? 'unknown' : undefined,
      detail: `${name}: DNSSEC state ${s.state}; ${would}.`,
    })];
  }
  if (matched) return [finding(F.match, { subject, detail: `${matched}.`, evidence })];
  if (!chain.length && !p.failure && !starttlsRefused(p)) {
    return [finding(F.notTested, { subject, detail: p.open ? `${p.open.stage}: ${p.open.error}` : 'no certificate', evidence })];
  }
  const why = chain.length ? `none of ${m.usable.map((t) => t.text).join(', ')} matches the presented chain (leaf ${chain[0]!.fingerprint256})` : `the server offers no working TLS (${p.open?.error ?? p.failure?.error ?? 'no certificate'})`;
  return [finding(F.noMatch, { subject, detail: `${name}: ${why}.`, evidence })];
}
