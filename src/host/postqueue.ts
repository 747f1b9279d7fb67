// `postqueue -j` (Postfix ≥ 3.1): one JSON object per queue file per line, members as in
// postqueue(1) "JSON OBJECT FORMAT"; unknown members are ignored, as the manual asks.
import type { QueuedMessage, QueuedRecipient } from './queue-model.js';

/** One line → a message, or null when it is not a queue-file object (garbage, a cut line). */
export function parsePostqueueLine(line: string, nowSeconds: number): QueuedMessage | null {
  const t = line.trim();
  if (!t.startsWith('{')) return null;
  let o: unknown;
  try { o = JSON.parse(t); } catch { return null; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  // A queue name is a directory name (active, deferred, hold...): anything else is not a queue file
  // object, and never becomes an object key such as "__proto__".
  if (typeof r.queue_name !== 'string' || !/^[a-z]{1,32}$/.test(r.queue_name) || typeof r.queue_id !== 'string') return null;
  const arrival = typeof r.arrival_time === 'number' ? r.arrival_time : Number(r.arrival_time);
  const recipients: QueuedRecipient[] = [];
  if (Array.isArray(r.recipients)) {
    for (const x of r.recipients) {
      if (!x || typeof x !== 'object') continue;
      const rr = x as Record<string, unknown>;
      if (typeof rr.address !== 'string') continue;
      recipients.push(typeof rr.delay_reason === 'string' && rr.delay_reason ? { address: rr.address, reason: rr.delay_reason } : { address: rr.address });
    }
  }
  return {
    queue: r.queue_name,
    id: r.queue_id,
    // A clock behind the arrival time (NTP step) gives age 0, never a negative age.
    ageSeconds: Number.isFinite(arrival) ? Math.max(0, nowSeconds - arrival) : 0,
    size: typeof r.message_size === 'number' && r.message_size >= 0 ? r.message_size : 0,
    sender: typeof r.sender === 'string' ? r.sender : '',
    recipients,
    forcedExpire: r.forced_expire === true,
  };
}
