// Caveats that only show when codes and log status are read together: codes that
// disagree, soft_bounce, the legacy 552 for too many recipients, quota vs disk.
import type { Extracted } from './extract.js';
import type { Outcome } from './explain.js';

export function notesFor(x: Extracted, outcome: Outcome, tooMany: boolean): string[] {
  const notes: string[] = [];
  const rc = x.replyCode !== undefined ? String(x.replyCode)[0] : undefined;
  const ec = x.enhancedCode?.[0];
  if (rc && ec && rc !== ec && '245'.includes(rc)) notes.push(`The reply code (${rc}xx) and the enhanced code class (${ec}.x.x) disagree; SMTP clients act on the reply code (RFC 5321 §4.2.1).`);
  if (x.delivery === 'deferred' && rc === '5') notes.push('The log says deferred although the reply is permanent: Postfix soft_bounce=yes (or a similar setting) turns bounces into deferrals.');
  if (x.delivery === 'expired') notes.push('The message expired in the queue: the earlier deferral reasons for it are the real cause.');
  if (tooMany && x.replyCode === 552) notes.push('552 for "too many recipients" is a legacy RFC 821 error; RFC 5321 §4.5.3.1.10 says clients treat it as temporary and the correct code is 452.');
  if (outcome === 'temporary' && x.replyCode === 452 && x.enhancedCode?.endsWith('.2.2')) notes.push('452 with X.2.2: the recipient’s mailbox is over quota and the receiver reports it as temporary; it is not the receiving server’s disk (that would be X.3.1).');
  return notes;
}
