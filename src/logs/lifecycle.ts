// Messages in flight, joined across daemons by queue id: smtpd's client=, cleanup's
// message-id=, qmgr's from=/size=, each delivery attempt, bounce notices, removal.
// Memory is bounded by the messages in flight: a record is dropped when the message is
// removed (Postfix "removed", Exim "Completed"), and the map is capped (oldest evicted, counted).

import { ownFix, type Fix } from './boundary.js';
import { own } from './tally.js';

export interface InFlight {
  qid: string;
  first: number;
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
  /** A later part of a split read only: what this record counted as new (boundary.ts). */
  fix?: Fix;
}

export const DEFAULT_IN_FLIGHT_CAP = 200_000;

export class InFlightMap {
  private readonly map = new Map<string, InFlight>();
  evicted = 0;
  peak = 0;
  onEvict?: (m: InFlight) => void;

  constructor(readonly cap = DEFAULT_IN_FLIGHT_CAP) {}

  get(qid: string): InFlight | undefined {
    return this.map.get(qid);
  }

  // A message's lines often follow one another: the last record is checked before the map.
  private last: InFlight | undefined;

  /** The record for qid, created on first sight (a log may start mid-message). */
  touch(qid: string, ts: number): InFlight {
    if (this.last?.qid === qid) return this.last;
    let m = this.map.get(qid);
    if (m) return (this.last = m);
    if (this.map.size >= this.cap) this.evictOldest();
    // A private copy of the id: a long one sliced from the line would pin its read chunk.
    qid = own(qid);
    m = { qid, first: ts, origin: '', client: '', ip: '', from: '', size: -1, nrcpt: 0, messageId: '', deferred: false, matched: false };
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
   * Private copies of the strings of the records in flight now. They are slices of their log
   * lines, which keep a whole 64 KiB read chunk alive; most records die within a few lines,
   * so copying at creation would be wasted: this runs every 65,536 events (Summariser.add).
   */
  compact(): void {
    for (const m of this.map.values()) {
      m.client = own(m.client); m.ip = own(m.ip); m.from = own(m.from); m.messageId = own(m.messageId); m.origin = own(m.origin);
      if (m.fix) ownFix(m.fix, own);
    }
  }

  get size(): number {
    return this.map.size;
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
