// The queue's structured result (report.facts.queue): a QueueTally turned into plain JSON,
// delay reasons explained with the knowledge base once per group, never per recipient.
import { explain } from '../knowledge/explain.js';
import { topN } from '../logs/tally.js';
import type { ReasonTable } from '../logs/reasons.js';
import { BUCKETS_MIN, type HistRow, type QueueTally } from './queue-model.js';

export interface QueueReason {
  code: string;
  enhanced: string;
  /** Normalised text: hosts, addresses and numbers replaced, so one cause is one group. */
  reason: string;
  recipients: number;
  /** Distinct recipient domains with this reason (counted up to 200). */
  domains: number;
  topDomains: { domain: string; recipients: number }[];
  /** Age range of the messages with this reason. */
  newestSeconds: number;
  oldestSeconds: number;
  sample: string;
  explanation?: { title: string; summary: string; fixes: string[]; keys: string[] };
}

export interface QueueInstance {
  /** Postfix config directory (-c), or "default". */
  instance: string;
  command: string;
  ok: boolean;
  messages: number;
  error?: string;
}

export interface QueueFacts {
  mta: 'postfix' | 'exim' | null;
  /** Messages in all queues; null when no queue could be read. */
  total: number | null;
  byQueue: Record<string, number>;
  bytes: number;
  oldestSeconds: number | null;
  oldestByQueue: Record<string, number>;
  /** Exim only: frozen messages. */
  frozen?: number;
  forcedExpire: number;
  recipients: number;
  deferredRecipients: number;
  ageHistogram: { bucketsMinutes: number[]; deferred: HistRow[]; pending: HistRow[] };
  topDestinations: { domain: string; recipients: number; share: number }[];
  topReasons: QueueReason[];
  instances: QueueInstance[];
  truncated: boolean;
  unparsedLines: number;
  corrupt?: number;
}

export function reasonsOf(t: ReasonTable, top: number): QueueReason[] {
  return topN(t.groups.values(), top, (g) => g.count).map((g) => {
    const out: QueueReason = {
      code: g.code, enhanced: g.enhanced, reason: g.reason, recipients: g.count, domains: g.by.size,
      topDomains: g.by.top(5).map((r) => ({ domain: r.key, recipients: r.count })),
      newestSeconds: g.first, oldestSeconds: g.last, sample: g.sample,
    };
    const e = explain(g.sample);
    if (e.recognised) {
      out.explanation = {
        title: e.messages[0]?.title ?? e.enhancedCode?.title ?? e.replyCode?.title ?? e.summary,
        summary: e.summary, fixes: e.fixes.slice(0, 3), keys: e.messages.map((m) => m.key),
      };
    }
    return out;
  });
}

export function queueFacts(mta: QueueFacts['mta'], t: QueueTally, o: { instances: QueueInstance[]; truncated: boolean; unparsed: number; corrupt?: number; countOverride?: number; top?: number }): QueueFacts {
  const anyOk = o.instances.some((i) => i.ok);
  const top = o.top ?? 10;
  const total = anyOk ? Math.max(t.messages, o.countOverride ?? 0) : null;
  const facts: QueueFacts = {
    mta, total, byQueue: { ...t.byQueue }, bytes: t.bytes,
    oldestSeconds: anyOk && t.messages ? t.oldestSeconds : null, oldestByQueue: { ...t.oldestByQueue },
    forcedExpire: t.forcedExpire, recipients: t.recipients, deferredRecipients: t.deferredRecipients,
    ageHistogram: { bucketsMinutes: [...BUCKETS_MIN], deferred: t.deferred.top(top), pending: t.pending.top(top) },
    topDestinations: t.destinations.top(top).map((r) => ({ domain: r.key, recipients: r.count, share: share(r.count, t.deferredRecipients) })),
    topReasons: reasonsOf(t.reasons, top),
    instances: o.instances, truncated: o.truncated, unparsedLines: o.unparsed,
  };
  if (mta === 'exim') facts.frozen = t.frozen;
  if (o.corrupt !== undefined) facts.corrupt = o.corrupt;
  return facts;
}

export function share(n: number, of: number): number {
  return of ? Math.round((n / of) * 1000) / 1000 : 0;
}
