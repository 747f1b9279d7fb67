// Messages in flight, joined across daemons by queue id: smtpd's client=, cleanup's
// message-id=, qmgr's from=/size=, each delivery attempt, bounce notices, removal.
// Memory is bounded by the messages in flight: a record is dropped when the message is
// removed (Postfix "removed", Exim "Completed"), and the map is capped (oldest evicted, counted).

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

  /** The record for qid, created on first sight (a log may start mid-message). */
  touch(qid: string, ts: number): InFlight {
    let m = this.map.get(qid);
    if (m) return m;
    if (this.map.size >= this.cap) this.evictOldest();
    m = { qid, first: ts, origin: '', client: '', ip: '', from: '', size: -1, nrcpt: 0, messageId: '', deferred: false, matched: false };
    this.map.set(qid, m);
    if (this.map.size > this.peak) this.peak = this.map.size;
    return m;
  }

  remove(qid: string): InFlight | undefined {
    const m = this.map.get(qid);
    if (m) this.map.delete(qid);
    return m;
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
    this.evicted++;
    this.onEvict?.(m);
  }
}
