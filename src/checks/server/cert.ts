// The server certificate on every TLS endpoint: validity and expiry (thresholds from
// --cert-warn-days/--cert-crit-days), name match, trust, self-signed, chain, key, SHA-1.
// Facts come from the TLS probe (tls-facts.ts); this only judges.
import type { Check, CheckOptions } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding, FindingDef, Severity } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { chainValidity, checkChain, describeCert, expiryLevel, isSelfSigned, keyInfo, matchesName, weakSignatures } from '../../parsers/certificate.js';
import type { TlsProbeResult } from '../../probes/tls-probe.js';
import { endpointLabel } from './endpoints.js';
import { getDomainTls, verifyingClients } from './tls-facts.js';
import type { TlsEndpoint } from './tls-facts.js';
import { CERT_FINDINGS as F } from './cert-findings.js';

export const certCheck: Check = {
  family: 'cert',
  area: 'Certificates',
  connects: true,
  skip: skipUnlessProbing,
  description: 'Server certificates: expiry, not yet valid, name match, trust, self-signed, chain, key size, SHA-1.',
  findings: Object.values(F),
  async run(target, ctx) {
    const all = await getDomainTls(ctx, target.domain);
    const now = new Date(ctx.clock.now());
    return all.flatMap(({ endpoint, probe }) => judgeCert(endpoint, probe, now, ctx.options));
  },
};

export function judgeCert(e: TlsEndpoint, p: TlsProbeResult, now: Date, o: Pick<CheckOptions, 'certWarnDays' | 'certCritDays'>): Finding[] {
  const h = p.handshake;
  if (!h?.chain.length) return [];
  const chain = h.chain;
  const leaf = chain[0]!;
  const subject = endpointLabel(e);
  // Clients that verify make trust problems critical; port 25 senders mostly do not (cert-findings.ts).
  const trustSeverity: Severity = verifyingClients(e) ? 'critical' : 'warning';
  const certs = chain.map((c) => describeCert(c, now));
  const evidence = { chain: certs, authorized: h.authorized, ...(h.authorizationError ? { authorizationError: h.authorizationError } : {}) };
  const out: Finding[] = [];
  const mk = (def: FindingDef, detail: string, severity?: Severity) => finding(def, { subject, detail, evidence, ...(severity ? { severity } : {}) });

  // Validity: the leaf and any intermediate (an expired intermediate breaks the chain as well).
  const { expired, future, soonest } = chainValidity(chain, now);
  const who = (i: number) => (i === 0 ? 'The certificate' : `Intermediate "${certs[i]!.subject}"`);
  if (expired) out.push(mk(F.expired, `${who(expired.i)} expired on ${expired.v.notAfter.slice(0, 10)} (${-expired.v.daysLeft} days ago).`));
  if (future) out.push(mk(F.notYetValid, `${who(future.i)} is valid only from ${future.v.notBefore.slice(0, 10)}.`));
  if (!expired && !future) {
    const level = expiryLevel(soonest.v.daysLeft, o.certWarnDays, o.certCritDays);
    const text = `${who(soonest.i)} expires on ${soonest.v.notAfter.slice(0, 10)}, in ${soonest.v.daysLeft} days.`;
    out.push(level === 'ok' ? mk(F.validityOk, text) : mk(F.expiresSoon, text, level));
  }

  out.push(matchesName(leaf, e.host)
    ? mk(F.nameOk, `${e.host} matches ${certs[0]!.san.join(', ') || certs[0]!.subject}.`)
    : mk(F.nameMismatch, `${e.host} is not among the certificate's names: ${certs[0]!.san.join(', ') || certs[0]!.subject}.`, trustSeverity));

  // Trust: name the cause once (self-signed, incomplete, SHA-1, dates); cert.untrusted only for other causes.
  const selfSigned = chain.length === 1 && isSelfSigned(leaf);
  const links = checkChain(chain);
  const weakSig = weakSignatures(chain);
  const explained: string[] = [];
  if (selfSigned && !h.authorized) out.push(mk(F.selfSigned, `Subject and issuer are both "${certs[0]!.subject}".`, trustSeverity)), explained.push('self-signed');
  if (!selfSigned && !links.complete) {
    out.push(mk(F.chainIncomplete, `No certificate for issuer "${(links.missingIssuer ?? '').replace(/\n/g, ', ')}" was sent, and the trust store does not have it.`, trustSeverity));
    explained.push('incomplete');
  }
  if (weakSig.length) {
    out.push(mk(F.sha1Signature, weakSig.map((w) => `${w.index === 0 ? 'leaf' : `"${w.subject.replace(/\n/g, ', ')}"`} signed with ${w.algorithm.name}`).join('; ') + '.', trustSeverity));
    explained.push('sha1');
  }
  if (expired || future) explained.push('dates');
  if (h.authorized) out.push(mk(F.trusted, `Verified up to "${certs[certs.length - 1]!.subject}".`));
  else if (!explained.length) out.push(mk(F.untrusted, `Verification failed: ${h.authorizationError ?? 'unknown reason'}.`, trustSeverity));

  const key = keyInfo(leaf);
  if (key.strength === 'good' || key.strength === 'sufficient') out.push(mk(F.keyOk, key.text));
  else out.push(mk(F.weakKey, `${key.text}.`, key.type.startsWith('rsa') && (key.bits ?? 0) < 1024 ? 'critical' : undefined));
  return out;
}
