// Findings from the delivered copy's headers: TLS per hop, the receiving server's
// Authentication-Results, our own verification, and the spam filters' scores. Pure.
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import type { AuthResults } from './auth-results.js';
import { resultsFor } from './auth-results.js';
import { ROUNDTRIP_FINDINGS as F } from './findings.js';
import type { ChainHop } from './received-chain.js';
import { hopsWithoutTls } from './received-chain.js';
import { isLoopback } from '../io/net.js';
import type { SpamVerdict } from './spam-headers.js';
import type { MethodVerdict, OwnVerification } from './verify.js';

const METHODS = ['dkim', 'spf', 'dmarc'] as const;

export function chainFindings(chain: ChainHop[]): Finding[] {
  const plain = hopsWithoutTls(chain);
  const hopName = (h: ChainHop) => `hop ${h.hop}: ${h.from ?? '?'}${h.fromIp && !h.from?.includes(h.fromIp) ? ` [${h.fromIp}]` : ''} → ${h.by ?? '?'}`;
  if (plain.length) {
    return plain.map((h) => finding(F.hopWithoutTls, {
      subject: hopName(h), detail: `${hopName(h)} with ${h.with ?? '?'}: no TLS recorded for this hop.`, evidence: { hop: h.hop, with: h.with, raw: h.raw },
    }));
  }
  const network = chain.filter((h) => !h.internal && !(h.fromIp && isLoopback(h.fromIp)) && h.tls === 'yes');
  if (!network.length) return [];
  return [finding(F.hopsTls, {
    detail: network.map((h) => `${hopName(h)} ${h.tlsVersion ?? h.with ?? 'TLS'}`).join('; '),
    evidence: { hops: network.map((h) => ({ hop: h.hop, with: h.with, tlsVersion: h.tlsVersion, tlsCipher: h.tlsCipher })) },
  })];
}

export function receiverFindings(ar: AuthResults[]): Finding[] {
  if (!ar.some((a) => a.results.length)) return [finding(F.receiverAuthMissing, { detail: 'no Authentication-Results field from the receiving side in the delivered copy.' })];
  const out: Finding[] = [];
  const passed: string[] = [];
  for (const m of METHODS) {
    const rs = resultsFor(ar, m);
    if (!rs.length) continue;
    const pass = rs.find((r) => r.result === 'pass');
    if (pass) {
      passed.push(`${m}=pass${pass.properties['header.d'] ? ` (${pass.properties['header.d']})` : pass.properties['header.from'] ? ` (${pass.properties['header.from']})` : ''}`);
      continue;
    }
    const r = rs[0]!;
    const props = Object.entries(r.properties).map(([k, v]) => `${k}=${v}`).join(' ');
    out.push(finding(F.receiverAuthFail, {
      subject: m,
      detail: `${ar[0]?.authservId || 'the receiver'} says ${m}=${r.result}${r.reason ? ` (${r.reason})` : ''}${props ? ` ${props}` : ''}${r.comment ? ` (${r.comment})` : ''}.`,
      evidence: { method: m, result: r.result, reason: r.reason, properties: r.properties },
    }));
  }
  if (passed.length) out.push(finding(F.receiverAuthPass, { detail: `${ar[0]?.authservId || 'the receiver'}: ${passed.join(', ')}.`, evidence: { passed } }));
  return out;
}

export function verificationFindings(v: OwnVerification): Finding[] {
  return METHODS.map((m) => verdictFinding(m, v[m], v));
}

function verdictFinding(method: string, r: MethodVerdict, v: OwnVerification): Finding {
  const inputs = method === 'spf' ? { clientIp: v.clientIp, helo: v.helo, sender: v.sender, hop: v.hop } : {};
  const detail = `${method}=${r.result}${r.domain ? ` for ${r.domain}` : ''}${r.policy ? ` (policy ${r.policy})` : ''}${r.detail ? `: ${r.detail}` : ''}${method === 'spf' && v.clientIp ? ` [client ${v.clientIp} from hop ${v.hop}]` : ''}.`;
  const extra = { subject: method, detail, evidence: { method, ...r, ...inputs } };
  switch (r.result) {
    case 'pass': return finding(F.verifyPass, extra);
    case 'none': return finding(F.verifyNone, extra);
    case 'not-applicable': return finding(F.verifyNotApplicable, {
      ...extra, title: method === 'spf' ? 'SPF does not apply to this path' : `${method.toUpperCase()} not decided: SPF does not apply and DKIM does not pass aligned`,
    });
    case 'unknown': case 'temperror': return finding(F.verifyUnknown, extra);
    default: {
      // DMARC enforcement means other receivers junk or reject such mail (RFC 7489 §6.3).
      const enforced = method === 'dmarc' && (r.policy === 'reject' || r.policy === 'quarantine');
      return finding(F.verifyFail, { ...extra, ...(enforced ? { severity: 'critical' as const } : {}) });
    }
  }
}

export function spamFindings(verdicts: SpamVerdict[]): Finding[] {
  return verdicts.map((s) => {
    const over = s.isSpam === true || (s.score !== undefined && s.threshold !== undefined && s.threshold > 0 && s.score >= s.threshold);
    const score = s.score !== undefined ? `score ${s.score}${s.threshold !== undefined ? ` / ${s.threshold}` : ''}` : 'no score';
    return finding(F.spamScore, {
      subject: s.filter, ...(over ? { severity: 'warning' as const } : {}),
      detail: `${s.filter === 'rspamd' ? 'Rspamd' : 'SpamAssassin'}: ${score}${s.isSpam !== undefined ? `, ${s.isSpam ? 'spam' : 'not spam'}` : ''}${s.rules.length ? ` (rules: ${s.rules.slice(0, 10).join(', ')})` : ''}.`,
      evidence: { ...s },
    });
  });
}
