// Judges the RCPT tests: open relay (outside reserved address accepted), postmaster@
// (RFC 5321 §4.5.1) and whether the MX accepts the domain at all (backup MX readiness).
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { enhancedCode } from '../../parsers/smtp-reply.js';
import type { RcptResult, SmtpProbeResult } from '../../probes/smtp/types.js';
import { SMTP as F } from './smtp-findings.js';

/** The outside recipient: an RFC 2606 reserved name, never a real third party. */
export const RELAY_TEST_ADDRESS = 'relay-test@example.net';

/** A refusal aimed at this client (its address on a blocklist), not at the recipient. */
const CLIENT_BLOCKED = /block|listed|blacklist|blocklist|spamhaus|barracuda|spamcop|\brbl\b|dnsbl|client host|reputation/i;
/** A refusal because the server does not handle the recipient's domain. */
const RELAY_DENIED = /relay|not permitted|not local|no such domain|domain (?:is )?not|not accept|not handled|unrouteable/i;

export interface RcptJudgeOptions {
  subject: string;
  /** The domain whose postmaster was tested. */
  domain?: string;
  /** This MX has a higher preference value than the best one: a backup. */
  backup?: boolean;
}

export function judgeRcpt(r: SmtpProbeResult, o: RcptJudgeOptions): Finding[] {
  const { subject } = o;
  if (!r.rcpt) {
    if (r.failure && (r.failure.stage === 'mail' || r.failure.stage === 'rcpt')) {
      return [finding(F.rcptInconclusive, { subject, detail: `The session ended during the RCPT tests: ${r.failure.kind}: ${r.failure.error}.` })];
    }
    return [];
  }
  const m = r.rcpt.mailFrom;
  if (m.code !== 250) return [finding(F.rcptInconclusive, { subject, detail: `MAIL FROM:<> was answered ${m.code} ${m.text}.`, evidence: { mailFrom: m } })];
  const out: Finding[] = [];
  for (const t of r.rcpt.results) {
    const ev = { rcpt: t.address, reply: `${t.code} ${t.text}`, ms: t.ms };
    if (t.code >= 400 && t.code < 500 || (t.code >= 500 && CLIENT_BLOCKED.test(t.text))) {
      out.push(finding(F.rcptInconclusive, { subject, detail: `RCPT TO:<${t.address}> was answered ${t.code} ${t.text}${t.code < 500 ? ' (temporary: greylisting?)' : ' (a refusal of this client, not of the recipient)'}.`, evidence: ev }));
      continue;
    }
    if (t.kind === 'relay') out.push(relayFinding(t, subject, ev));
    else out.push(postmasterFinding(t, o, ev));
  }
  if (r.failure?.stage === 'rcpt') out.push(finding(F.rcptInconclusive, { subject, detail: `The session ended during the RCPT tests: ${r.failure.kind}: ${r.failure.error}.` }));
  return out;
}

function relayFinding(t: RcptResult, subject: string, evidence: Record<string, unknown>): Finding {
  if (t.code < 300) return finding(F.openRelay, { subject, detail: `RCPT TO:<${t.address}> from an unauthenticated client with MAIL FROM:<> was accepted: ${t.code} ${t.text}.`, evidence });
  return finding(F.relayRefused, { subject, detail: `RCPT TO:<${t.address}>: ${t.code} ${t.text}.`, evidence });
}

function postmasterFinding(t: RcptResult, o: RcptJudgeOptions, evidence: Record<string, unknown>): Finding {
  const { subject } = o;
  if (t.code < 300) return finding(F.postmasterAccepted, { subject, detail: `RCPT TO:<${t.address}>: ${t.code} ${t.text}.`, evidence });
  const enh = enhancedCode(t.text);
  if (RELAY_DENIED.test(t.text) || enh === '5.7.1' || enh === '5.1.2' || enh === '5.4.1') {
    const who = o.backup ? 'This backup MX' : 'This MX';
    return finding(F.rcptDomainRefused, {
      subject, detail: `${who} refused RCPT TO:<${t.address}> with ${t.code} ${t.text}: it does not accept mail for ${o.domain ?? 'the domain'}.`, evidence: { ...evidence, backup: !!o.backup },
    });
  }
  return finding(F.postmasterRefused, { subject, detail: `RCPT TO:<${t.address}>: ${t.code} ${t.text}.`, evidence });
}
