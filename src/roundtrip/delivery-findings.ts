// Findings about the send, the mailbox session and where (and how fast) the message
// arrived. Pure: facts in, findings out.
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import { explain } from '../knowledge/explain.js';
import type { SubmitResult } from '../send/types.js';
import { ROUNDTRIP_FINDINGS as F } from './findings.js';
import type { OpenFailure } from './mailbox.js';
import type { DeliveryFacts } from './types.js';

export function sendFailed(r: SubmitResult, server: string): Finding {
  const f = r.failure;
  // The refusal to explain: the failed step's reply, else a refused recipient's, else the final reply.
  const reply = f?.reply ?? r.rejectedRecipients[0]?.reply ?? (r.finalReply ? [r.finalReply.code, r.finalReply.enhanced, r.finalReply.text].filter(Boolean).join(' ') : undefined);
  const ex = reply ? explain(reply) : undefined;
  const rejected = r.rejectedRecipients.map((x) => `${x.address}: ${x.reply}`);
  const what = f ? `at ${f.step} (${f.kind})` : 'without a final 250 reply';
  const why = rejected.length ? `refused ${rejected.join('; ')}` : reply ?? f?.error;
  return finding(F.sendFailed, {
    subject: server,
    detail: `${server} did not accept the message ${what}${why ? `: ${why}` : ''}.${ex?.recognised ? ` ${ex.summary}` : ''}`,
    evidence: {
      step: f?.step, kind: f?.kind, reply, error: f?.error, rejectedRecipients: rejected,
      ...(ex?.recognised ? { causes: ex.causes, fixes: ex.fixes } : {}),
      sendFindings: r.findings.filter((x) => x.severity !== 'ok' && x.severity !== 'info').map((x) => x.id),
    },
  });
}

export function imapFailed(fail: OpenFailure, server: string, user: string, insecureHint: boolean): Finding {
  const evidence = { kind: fail.kind, code: fail.code, error: fail.error, serverResponse: fail.serverResponse };
  if (fail.kind === 'login') {
    return finding(F.imapLoginFailed, {
      subject: server, evidence,
      detail: `${server} refused the login of ${user}${fail.serverResponse ? `: ${fail.serverResponse}` : ''}. A wrong password (or user name) is the usual cause; the test message was not sent.`,
    });
  }
  if (fail.kind === 'untrusted') {
    return finding(F.imapTlsUntrusted, {
      subject: server, evidence,
      detail: `${server}: the certificate did not verify (${fail.code ?? fail.error}). The password was not sent and the test message was not sent.${insecureHint ? ' Pass --ca <pem> with the issuing CA, or --insecure for a lab.' : ''}`,
    });
  }
  return finding(F.imapConnectFailed, { subject: server, evidence, detail: `${server}: ${fail.kind} — ${fail.error}. The test message was not sent.` });
}

export function deliveryFindings(d: DeliveryFacts, o: { deadlineSeconds: number; slowSeconds: number; queueId?: string; to: string; error?: string }): Finding[] {
  if (!d.delivered) {
    if (o.error) return [finding(F.imapError, { detail: `the mailbox search failed after ${d.polls} searches: ${o.error}`, evidence: { polls: d.polls } })];
    const queued = o.queueId ? ` The submission server accepted it with queue id ${o.queueId}: follow it in that server's log (\`mxdoctor logs --trace ${o.queueId}\`).` : ' The submission server accepted it.';
    return [finding(F.notDelivered, {
      subject: o.to,
      detail: `not seen within ${o.deadlineSeconds} s in any of ${d.foldersSearched.length} folders (${d.foldersSearched.join(', ') || 'none listed'}) after ${d.polls} searches.${queued}`,
      evidence: { deadlineSeconds: o.deadlineSeconds, polls: d.polls, foldersSearched: d.foldersSearched, queueId: o.queueId },
    })];
  }
  const out: Finding[] = [];
  const secs = d.deliverySeconds;
  const timing = secs === undefined ? '' : ` after ${secs} s (${d.deliveryBasis === 'internaldate' ? 'by the server\'s INTERNALDATE' : 'when we first saw it'})`;
  const evidence = { folder: d.folder, specialUse: d.specialUse, deliverySeconds: secs, deliveryBasis: d.deliveryBasis, uid: d.uid };
  const def = d.folderRole === 'inbox' ? F.deliveredInbox : d.folderRole === 'junk' ? F.deliveredSpam : F.deliveredOtherFolder;
  out.push(finding(def, { subject: d.folder, detail: `found in "${d.folder}"${d.specialUse ? ` (${d.specialUse})` : ''}${timing}.`, evidence }));
  if (secs !== undefined && secs > o.slowSeconds) {
    out.push(finding(F.slowDelivery, { detail: `${secs} s from the submission's final reply to the mailbox (threshold ${o.slowSeconds} s).`, evidence }));
  }
  return out;
}

export function deleteFinding(r: { ok: boolean; method: string; error?: string }, folder: string): Finding {
  return r.ok
    ? finding(F.deleted, { subject: folder, detail: `flagged \\Deleted and removed with ${r.method}.`, evidence: { method: r.method } })
    : finding(F.deleteFailed, { subject: folder, detail: `the server did not remove the message${r.error ? `: ${r.error}` : ''}.`, evidence: { method: r.method } });
}
