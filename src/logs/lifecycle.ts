// Messages in flight, joined across daemons by queue id: smtpd's client=, cleanup's
// message-id=, qmgr's from=/size=, each delivery attempt, bounce notices, removal.
// Memory is bounded by the messages in flight: a record is dropped when the message is
// removed (Postfix "removed", Exim "Completed"), and the map is capped (oldest evicted, counted).
// Some messages never log a removal: a session that ends after the queue id was given
// (lost connection or timeout in DATA, a milter reject in cleanup) leaves no queue file, and
// a log that starts or ends mid-way loses lines. sweep() drops them by age (counted):
// never queued (no qmgr from=/size=) and silent for UNQUEUED_AGE_S, or silent for MAX_AGE_S.

import { ownFix, type Fix } from './boundary.js';
import { own } from './tally.js';

export interface InFlight {
  qid: string;
  first: number;
  /** Time of the latest line about it. */
  seen: number;
  /** How it arrived, for pflogsumm's sending-domain rule: client domain, "pickup", or '' (not seen). */
  origin: string;
  client: string;
  ip: string;
  from: string;
  /** -1 until qmgr's from=/size= (or Exim's S=) was seen. */
  size: number;
  nrcpt: number;
  messageId: string;
  deferred: boolean;
  /** Trace mode only: this message matched the query. */
  matched: boolean;
  /** Trace mode only: raw lines kept until the message is removed (capped). */
  lines?: string[];
  /** Time of qmgr's first from=/size= line (NaN before). */
  qts: number;
  /**
   * Sent deliveries read before the size was known, four entries each: recipient domain, key,
   * time, index of its entry in fix.sent (-1: none). One stamped after the from=/size= line
   * gets the size when that line is read (lines out of order: summary.ts).
   */
  late?: (string | number)[];
  /** A later part of a split read only: what this record counted as new (boundary.ts). */
  fix?: Fix;
}

export const DEFAULT_IN_FLIGHT_CAP = 200_000;
/** A message that never reached the queue manager: its session ended hours ago (Postfix's smtpd timeouts are minutes). */
export const UNQUEUED_AGE_S = 6 * 3600;
/**
 * A queued message with no line for this long: the log lost its removal. Postfix retries a
 * deferred message at least every maximal_backoff_time (4000 s) and gives up after
 * maximal_queue_lifetime (5 days by default).
 */
export const MAX_AGE_S = 7 * 86400;

export class InFlightMap {
  private readonly map = new Map<string, InFlight>();
  evicted = 0;
  peak = 0;
  /** Dropped by sweep(): never queued (sessions that ended without a queue file). */
  abandoned = 0;
  /** Dropped by sweep(): queued, but silent for MAX_AGE_S. */
  expired = 0;
  onEvict?: (m: InFlight) => void;

  constructor(readonly cap = DEFAULT_IN_FLIGHT_CAP) {}

  get(qid: string): InFlight | undefined {
    return this.map.get(qid);
  }

  // A message's lines often follow one another: the last record is checked before the map.
  private last: InFlight | undefined;

  /** The record for qid, created on first sight (a log may start mid-message). */
  touch(qid: string, ts: number): InFlight {
    let m = this.last;
    if (m?.qid === qid) { m.seen = ts; return m; }
    m = this.map.get(qid);
    if (m) { m.seen = ts; return (this.last = m); }
    if (this.map.size >= this.cap) this.evictOldest();
    // A private copy of the id: a long one sliced from the line would pin its read chunk.
    qid = own(qid);
    m = { qid, first: ts, seen: ts, qts: NaN, origin: '', client: '', ip: '', from: '', size: -1, nrcpt: 0, messageId: '', deferred: false, matched: false };
    this.map.set(qid, m);
    if (this.map.size > this.peak) this.peak = this.map.size;
    return (this.last = m);
  }

  /** Takes over a record of a later part of a split read (merge.ts). */
  adopt(m: InFlight): void {
    this.map.set(m.qid, m);
  }

  remove(qid: string): InFlight | undefined {
    const m = this.map.get(qid);
    if (m) this.map.delete(qid);
    if (this.last === m) this.last = undefined;
    return m;
  }

  /**
   * Private copies of the strings of the split-read notes (Fix) of the records in flight now:
   * they are slices of their log lines, which keep a whole 64 KiB read chunk alive. The
   * records' own strings are copied when stored (summary.ts). Runs every 65,536 events.
   */
  compact(): void {
    for (const m of this.map.values()) if (m.fix) ownFix(m.fix, own);
  }

  get size(): number {
    return this.map.size;
  }

  /** Drops the records that can no longer be in flight at time `now` (see the top of this file). */
  sweep(now: number, dropped?: (m: InFlight) => void): void {
    for (const m of this.map.values()) {
      const idle = now - m.seen;
      if (idle < UNQUEUED_AGE_S) continue;
      if (m.size < 0) this.abandoned++;
      else if (idle > MAX_AGE_S) this.expired++;
      else continue;
      this.map.delete(m.qid);
      if (this.last === m) this.last = undefined;
      dropped?.(m);
    }
  }

  values(): IterableIterator<InFlight> {
    return this.map.values();
  }

  private evictOldest(): void {
    // Map iteration is insertion order: the first key is the oldest message still in flight.
    const first = this.map.keys().next();
    if (first.done) return;
    const m = this.map.get(first.value)!;
    this.map.delete(first.value);
    if (this.last === m) this.last = undefined;
    this.evicted++;
    this.onEvict?.(m);
  }
}
