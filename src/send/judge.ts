// Facts of one submission → `send.*` findings. Every refusal by the server goes through
// explain() (reply code, enhanced code, known texts), so the finding says what it means
// and what to do, not only the number.
import { finding } from '../core/finding.js';
import type { Finding, FindingDef } from '../core/finding.js';
import { isLoopback } from '../io/net.js';
import { explain } from '../knowledge/explain.js';
import { SEND } from './findings.js';
import type { SubmitRequest, SubmitResult } from './types.js';

const STEP_WORDS: Record<string, string> = {
  connect: 'the connection', greeting: 'the greeting', ehlo: 'EHLO', helo: 'HELO', starttls: 'STARTTLS', tls: 'the TLS handshake',
  'ehlo-after-tls': 'EHLO after TLS', auth: 'AUTH', mail: 'MAIL FROM', rcpt: 'RCPT TO', data: 'DATA', body: 'the end of the message',
};

export function judgeSend(r: Omit<SubmitResult, 'findings'>, req: SubmitRequest): Finding[] {
  const out: Finding[] = [];
  const where = `${req.host}:${req.port}`;
  if (r.accepted) {
    out.push(finding(SEND.accepted, {
      subject: where,
      detail: `${r.queueId ? `Queued as ${r.queueId}` : 'No queue id recognised in the reply'}; accepted for ${r.acceptedRecipients.join(', ')}. The server said: ${r.finalReply ? `${r.finalReply.code} ${r.finalReply.text}` : ''}`,
      evidence: { queueId: r.queueId, finalReply: r.finalReply, acceptedRecipients: r.acceptedRecipients, size: r.size },
    }));
  }
  if (r.quitAfter) out.push(finding(SEND.quitAfter, { subject: where, detail: `Stopped after ${r.quitAfter}; no message was sent.` }));
  if (r.tls && !r.tls.authorized && r.failure?.kind !== 'untrusted' && r.failure?.kind !== 'untrusted-auth') {
    out.push(finding(SEND.certUntrusted, { subject: where, detail: `Certificate not trusted (${r.tls.authorizationError ?? 'unknown reason'}); the session went on.`, evidence: { tls: r.tls } }));
  }
  if (r.plaintextAuth && !isLoopback(req.host) && !isLoopback(r.address ?? '')) out.push(finding(SEND.plaintextAuth, { subject: where }));
  else if (r.insecureAuth) out.push(finding(SEND.insecureAuth, { subject: where, detail: `Certificate not trusted (${r.tls?.authorizationError ?? 'unknown reason'}); the password was sent because of --insecure.` }));
  for (const rej of r.rejectedRecipients) {
    out.push(explained(SEND.recipientRejected, rej.reply, `RCPT TO:<${rej.address}> was refused`, rej.address));
  }
  const f = r.failure;
  if (!f) return out;
  const at = STEP_WORDS[f.step] ?? f.step;
  const plain = (def: FindingDef, extra: { severity?: Finding['severity'] } = {}) =>
    finding(def, { ...extra, subject: where, detail: `At ${at}: ${f.error ?? f.reply ?? f.kind}`, evidence: { step: f.step, kind: f.kind, ...(f.reply ? { reply: f.reply } : {}) } });
  switch (f.kind) {
    case 'refused':
      out.push(plain(SEND.connectFailed));
      break;
    case 'reset':
      out.push(f.step === 'connect' ? plain(SEND.connectFailed) : plain(SEND.serverClosed));
      break;
    case 'closed':
      out.push(plain(SEND.serverClosed));
      break;
    case 'unreachable':
    case 'error':
      out.push(f.step === 'connect' ? plain(SEND.connectFailed, { severity: 'unknown' }) : plain(SEND.serverClosed));
      break;
    case 'timeout': out.push(plain(SEND.timeout)); break;
    case 'lookup': out.push(plain(SEND.lookupFailed)); break;
    case 'no-address': out.push(plain(SEND.hostNotFound)); break;
    case 'protocol': out.push(plain(SEND.protocolError)); break;
    case 'tls-not-offered': out.push(plain(SEND.tlsNotOffered)); break;
    case 'untrusted': out.push(plain(SEND.certUntrusted, { severity: 'critical' })); break;
    case 'plaintext-auth': out.push(plain(SEND.plaintextAuthRefused)); break;
    case 'untrusted-auth': out.push(plain(SEND.untrustedAuthRefused)); break;
    case 'auth-not-offered': out.push(plain(SEND.authNotOffered)); break;
    case 'too-large': out.push(plain(SEND.messageTooLarge)); break;
    case 'tls': out.push(f.reply ? explained(SEND.tlsFailed, f.reply, 'STARTTLS was refused', where) : plain(SEND.tlsFailed)); break;
    case 'auth': out.push(explained(SEND.authFailed, f.reply ?? '', `AUTH was refused for user ${req.auth?.user ?? '?'}`, where)); break;
    case 'no-recipients': break; // each refused recipient is a finding already
    case 'rejected': out.push(explained(rejectionDef(f.step, f.reply ?? ''), f.reply ?? '', `${at} was refused`, where)); break;
    default: out.push(plain(SEND.protocolError));
  }
  return out;
}

function rejectionDef(step: string, reply: string): FindingDef {
  // 552 / x.3.4 (and the legacy 552 at RCPT for size) mean the message is too big (RFC 1870 §6).
  if ((step === 'mail' || step === 'body' || step === 'data') && /^552\b|\b[45]\.3\.4\b/.test(reply)) return SEND.messageTooLarge;
  switch (step) {
    case 'greeting': return SEND.greetingRejected;
    case 'ehlo': case 'ehlo-after-tls': return SEND.ehloRejected;
    case 'mail': return SEND.senderRejected;
    case 'rcpt': return SEND.recipientRejected;
    default: return SEND.dataRejected;
  }
}

/** A finding about a server refusal, with the reply explained: meaning, retry, causes, fixes. */
export function explained(def: FindingDef, reply: string, context: string, subject: string): Finding {
  const e = explain(reply);
  const title = e.messages[0]?.title ?? e.enhancedCode?.title ?? e.replyCode?.title;
  const codes = [e.replyCode?.code, e.enhancedCode?.code].filter(Boolean).join(' ');
  // explain()'s outcome sentence speaks of a queued message and bounces; a live send needs its own.
  const next = e.outcome === 'temporary' ? ' Temporary: the same send may work later.' : e.outcome === 'permanent' ? ' Permanent: sending again unchanged fails the same way.' : '';
  const meaning = e.recognised && title ? ` ${codes ? `${codes}: ` : ''}${title}.${next}` : '';
  const detail = `${context}: the server answered "${reply}".${meaning}${e.causes.length ? ` Likely: ${e.causes.slice(0, 3).join(' ')}` : ''}`;
  const f = finding(def, {
    subject, detail,
    evidence: {
      reply,
      explanation: {
        replyCode: e.replyCode?.code, enhancedCode: e.enhancedCode?.code, title,
        outcome: e.outcome, willRetry: e.willRetry, causes: e.causes, fixes: e.fixes, keys: e.messages.map((m) => m.key),
      },
    },
  });
  // The explanation's fixes are specific to this reply; the definition's is the general one.
  if (e.fixes.length) f.remediation = e.fixes.slice(0, 3).join(' ');
  return f;
}
