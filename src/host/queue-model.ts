// One queued message as both MTAs list it, and the streaming tally over a whole queue:
// counts per queue, ages, a qshape(1)-style age histogram per recipient domain, deferred
// destinations and delay reasons. Memory follows the number of distinct domains and
// reasons (capped), never the number of messages.
import { ReasonTable } from '../logs/reasons.js';
import { Tally, domainOf } from '../logs/tally.js';

export const QUEUE_NAMES = ['active', 'deferred', 'hold', 'incoming', 'maildrop'] as const;

export interface QueuedRecipient {
  address: string;
  /** Postfix delay_reason: why the last delivery attempt to this recipient failed. */
  reason?: string;
  /** Exim: already delivered ("D" in exim -bp). */
  delivered?: boolean;
}

export interface QueuedMessage {
  /** Postfix queue name; Exim: "deferred" (its one queue), frozen messages flagged. */
  queue: string;
  id: string;
  ageSeconds: number;
  size: number;
  sender: string;
  recipients: QueuedRecipient[];
  frozen?: boolean;
  forcedExpire?: boolean;
}

/** qshape(1)'s default buckets: upper bounds in minutes, doubling from 5; the last is open. */
export const BUCKETS_MIN = [5, 10, 20, 40, 80, 160, 320, 640, 1280] as const;

export function bucketOf(ageSeconds: number): number {
  const min = ageSeconds / 60;
  const i = BUCKETS_MIN.findIndex((b) => min <= b);
  return i < 0 ? BUCKETS_MIN.length : i;
}

export interface HistRow {
  domain: string;
  total: number;
  /** One count per bucket of BUCKETS_MIN, then the "older than 1280 minutes" bucket. */
  buckets: number[];
}

/** Recipients per domain and age bucket, as `qshape` prints them (it counts recipients). */
export class AgeHistogram {
  readonly total: HistRow = { domain: 'TOTAL', total: 0, buckets: new Array(BUCKETS_MIN.length + 1).fill(0) };
  private readonly rows = new Map<string, HistRow>();
  overflow = 0;

  constructor(private readonly cap = 10_000) {}

  add(domain: string, ageSeconds: number): void {
    const b = bucketOf(ageSeconds);
    this.total.total++;
    this.total.buckets[b]!++;
    let r = this.rows.get(domain);
    if (!r) {
      if (this.rows.size >= this.cap) { this.overflow++; return; }
      r = { domain, total: 0, buckets: new Array(BUCKETS_MIN.length + 1).fill(0) };
      this.rows.set(domain, r);
    }
    r.total++;
    r.buckets[b]!++;
  }

  /** TOTAL first, then the `top` largest domains. */
  top(top: number): HistRow[] {
    return [this.total, ...[...this.rows.values()].sort((a, b) => b.total - a.total || a.domain.localeCompare(b.domain)).slice(0, top)];
  }
}

export class QueueTally {
  messages = 0;
  bytes = 0;
  readonly byQueue: Record<string, number> = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 0]));
  readonly oldestByQueue: Record<string, number> = {};
  oldestSeconds = 0;
  frozen = 0;
  forcedExpire = 0;
  /** Recipients not yet delivered, and in the deferred queue. */
  recipients = 0;
  deferredRecipients = 0;
  /** Messages waiting for delivery (incoming + active), and those deferred: the two qshape views. */
  readonly pending = new AgeHistogram();
  readonly deferred = new AgeHistogram();
  /** Deferred recipients per domain. */
  readonly destinations = new Tally(10_000);
  /** Delay reasons of deferred recipients: reply code + enhanced code + normalised text. */
  readonly reasons = new ReasonTable();

  add(m: QueuedMessage): void {
    this.messages++;
    this.bytes += m.size;
    this.byQueue[m.queue] = (this.byQueue[m.queue] ?? 0) + 1;
    if (m.ageSeconds > (this.oldestByQueue[m.queue] ?? -1)) this.oldestByQueue[m.queue] = m.ageSeconds;
    if (m.ageSeconds > this.oldestSeconds) this.oldestSeconds = m.ageSeconds;
    if (m.frozen) this.frozen++;
    if (m.forcedExpire) this.forcedExpire++;
    const hist = m.queue === 'deferred' ? this.deferred : m.queue === 'incoming' || m.queue === 'active' ? this.pending : undefined;
    for (const r of m.recipients) {
      if (r.delivered) continue;
      this.recipients++;
      const domain = domainOf(r.address) || '(none)';
      hist?.add(domain, m.ageSeconds);
      if (m.queue !== 'deferred') continue;
      this.deferredRecipients++;
      this.destinations.add(domain);
      // The reason group's first/last then span message ages; its `by` tally counts domains.
      if (r.reason) {
        const [code, enhanced] = replyCodesOf(r.reason);
        this.reasons.add(r.reason, m.ageSeconds, domain, r.reason, code, enhanced);
      }
    }
  }
}

/**
 * The remote reply's codes inside a Postfix delay reason: "host X said: 450 4.7.1 ..." and
 * "host X refused to talk to me: 421 4.7.0 ..." (a greeting), so both group by code.
 */
export function replyCodesOf(reason: string): [string, string] {
  const m = /(?:^|said: |refused to talk to me: )([2-5]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3})\b)?/.exec(reason);
  return m ? [m[1]!, m[2] ?? ''] : ['', ''];
}
