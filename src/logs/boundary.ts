// Messages that straddle a split point (parallel reading, split.ts). A later part is read
// as if every queue id were new; where the earlier part still had that message in flight,
// a few counts depended on its state: whether it was already received (re-logged client=),
// its size (qmgr's from=/size= and the bytes of each delivery) and whether it was already
// deferred. Each record created in a later part carries a Fix noting what it counted, so
// the merge can correct those counts exactly once the earlier part's messages are known.
import { domainOf, normAddress } from './tally.js';
import type { InFlight } from './lifecycle.js';
import type { Summariser } from './summary.js';

/** What a record created in a later part counted on the assumption that it was new. */
export interface Fix {
  /** Event number in its part when the record was created. */
  seq: number;
  /** The first line was not an arrival (client=, pickup, Exim <=): the message may have started earlier. */
  orphan: boolean;
  /** Time of the arrival this part counted as received; NaN when none. */
  bornTs: number;
  /** The arrival added to the received total (false for Exim's own bounces). */
  bornCounted: boolean;
  /** The origin that arrival gave, and when it was read (a sender counted late: lines out of order). */
  bornOrigin: string;
  bornSeq: number;
  /** An Exim arrival also carries the size: it counts only with the arrival. */
  viaArrival: boolean;
  /** The size this part took from the first from=/size= line; -1 when none. */
  qSize: number;
  /** When that line was read (its place in the senders' order), and its time stamp. */
  qSeq: number;
  qTs: number;
  /** The message's origin when that line was read (the sender counts only for received mail). */
  qOrigin: string;
  qFrom: string;
  /** Sent deliveries, three entries each: recipient domain, recipient key, the size then known (-1: none). */
  sent: (string | number)[] | undefined;
  /** This part counted the message as deferred. */
  deferredCounted: boolean;
}

/** Records created after this many events of a part keep no Fix once removed (docs/logs.md, "Two threads"). */
export const EARLY_EVENTS = 10_000;

export function newFix(seq: number, orphan: boolean): Fix {
  return {
    seq, orphan, bornTs: NaN, bornCounted: false, bornOrigin: '', bornSeq: 0, viaArrival: false, qSize: -1, qSeq: 0, qTs: NaN, qOrigin: '', qFrom: '',
    sent: undefined, deferredCounted: false,
  };
}

/** Note a sent delivery. */
export function noteSent(f: Fix, dom: string, rcpt: string, size: number): void {
  (f.sent ??= []).push(dom, rcpt, size);
}

/**
 * Private copies of a Fix's strings, for one kept past its record (or a long-lived record):
 * a slice of a line would keep the line's whole 64 KiB read chunk alive until the merge.
 */
export function ownFix(f: Fix, own: (s: string) => string): void {
  f.qOrigin = own(f.qOrigin);
  f.bornOrigin = own(f.bornOrigin);
  f.qFrom = own(f.qFrom);
  const sent = f.sent;
  if (sent) for (let i = 0; i < sent.length; i += 3) { sent[i] = own(sent[i] as string); sent[i + 1] = own(sent[i + 1] as string); }
}

/** A removed record's Fix is worth keeping when the message may have been in flight before this part. */
export function keepClosed(f: Fix): boolean {
  return f.orphan || f.seq < EARLY_EVENTS;
}

/** The sender key and sending domain of a from=/size= line (pflogsumm's rule, as Summariser.queued). */
export function senderKeys(from: string, origin: string): [string, string] {
  if (!from) return ['from=<>', origin === 'pickup' ? 'from=<>' : origin];
  const addr = normAddress(from);
  const dom = from.includes('@') ? domainOf(from) : origin === 'pickup' ? addr : origin;
  return [addr, dom];
}

/** The messages still in flight after `a`, continued by `b`: straddling ones corrected. */
export function mergeInFlight(a: Summariser, b: Summariser): void {
  const f = a.inFlight;
  const before = f.size;
  for (const { qid, fix } of b.closed) {
    const s0 = f.get(qid);
    if (s0) { correct(a, s0, fix); f.remove(qid); } else confirm(a, fix);
  }
  for (const m of b.inFlight.values()) {
    const s0 = f.get(m.qid);
    const fix = m.fix;
    delete m.fix;
    if (s0 && fix) continueRecord(s0, m, correct(a, s0, fix));
    else { if (fix) confirm(a, fix); f.adopt(m); }
  }
  f.evicted += b.inFlight.evicted;
  f.abandoned += b.inFlight.abandoned;
  f.expired += b.inFlight.expired;
  // Not the true peak of one pass (the parts overlap in time only at the boundary): an upper bound.
  f.peak = Math.max(f.peak, before + b.inFlight.peak);
}

/** The size a later part's delivery saw, as one pass would have seen it given the earlier state s0. */
function sizeSeen(s0: InFlight, qEffective: boolean, fresh: number): number {
  if (s0.size >= 0) return s0.size;
  return qEffective ? fresh : -1;
}

/**
 * Undo what a later part counted as new for a message that was already in flight (s0);
 * returns whether the later part's from=/size= line still counts (s0 had no size yet).
 */
function correct(a: Summariser, s0: InFlight, fix: Fix): boolean {
  const t = a.t;
  const born = !Number.isNaN(fix.bornTs);
  // Already received: the later client= line was a repeat.
  if (born && s0.origin && fix.bornCounted) { t.received--; a.unbucket(fix.bornTs, 0); }
  // Lines out of order: s0 had its size but not its arrival, which this part read: one pass counts the sender then.
  if (born && !s0.origin && s0.size >= 0 && fix.bornTs < s0.qts && fix.bornOrigin && fix.bornOrigin !== '-') {
    const [addr, dom] = senderKeys(s0.from, fix.bornOrigin);
    a.senders.add(addr, 1, s0.size, fix.bornSeq); a.sendingDomains.add(dom, 1, s0.size, fix.bornSeq); t.bytesReceived += s0.size;
  }
  const qEffective = fix.qSize >= 0 && s0.size < 0 && !(fix.viaArrival && s0.origin);
  // s0's deliveries logged before its size get it from this part's from=/size= line, as in one pass.
  if (qEffective && s0.late) {
    const late = s0.late;
    s0.late = undefined;
    for (let i = 0; i < late.length; i += 4) {
      if ((late[i + 2] as number) <= fix.qTs) continue;
      t.noSize--;
      if (fix.qSize <= 0) continue;
      a.domains.get(late[i] as string).bytes += fix.qSize;
      a.recipients.add(late[i + 1] as string, 0, fix.qSize);
      t.bytesDelivered += fix.qSize;
    }
  }
  if (fix.qSize >= 0) {
    const freshCounted = !!fix.qOrigin && fix.qOrigin !== '-';
    const origin = s0.origin || fix.qOrigin;
    const counted = qEffective && !!origin && origin !== '-';
    const [addr, freshDom] = senderKeys(fix.qFrom, fix.qOrigin);
    const dom = senderKeys(fix.qFrom, origin)[1];
    if (freshCounted && counted && dom === freshDom) { a.senders.place(addr, fix.qSeq); a.sendingDomains.place(dom, fix.qSeq); }
    if (freshCounted && !(counted && dom === freshDom)) {
      a.senders.sub(addr, 1, fix.qSize); a.sendingDomains.sub(freshDom, 1, fix.qSize); t.bytesReceived -= fix.qSize;
    }
    if (counted && !(freshCounted && dom === freshDom)) {
      a.senders.add(addr, 1, fix.qSize, fix.qSeq); a.sendingDomains.add(dom, 1, fix.qSize, fix.qSeq); t.bytesReceived += fix.qSize;
    }
  }
  const sent = fix.sent ?? [];
  for (let i = 0; i < sent.length; i += 3) {
    const fresh = sent[i + 2] as number;
    const seen = sizeSeen(s0, qEffective, fresh);
    const delta = (seen > 0 ? seen : 0) - (fresh > 0 ? fresh : 0);
    t.noSize += (seen < 0 ? 1 : 0) - (fresh < 0 ? 1 : 0);
    if (!delta) continue;
    t.bytesDelivered += delta;
    const r = a.domains.get(sent[i] as string);
    if (r) r.bytes += delta;
    const row = a.recipients.map.get(sent[i + 1] as string);
    if (row) row.bytes += delta;
  }
  if (fix.deferredCounted && s0.deferred) t.deferred--;
  return qEffective;
}

/** The message had not started earlier: its sender counts stand, at their place in the order. */
function confirm(a: Summariser, fix: Fix): void {
  if (fix.qSize < 0 || !fix.qOrigin || fix.qOrigin === '-') return;
  const [addr, dom] = senderKeys(fix.qFrom, fix.qOrigin);
  a.senders.place(addr, fix.qSeq);
  a.sendingDomains.place(dom, fix.qSeq);
}

/** s0 continues with what the later part learnt about it (m). */
function continueRecord(s0: InFlight, m: InFlight, qEffective: boolean): void {
  if (qEffective) { s0.size = m.size; s0.nrcpt = m.nrcpt; s0.from = m.from; s0.qts = m.qts; }
  else if (s0.size < 0 && m.late) s0.late = [...(s0.late ?? []), ...m.late];
  if (!s0.origin && m.origin) { s0.origin = m.origin; s0.client = m.client; s0.ip = m.ip; }
  if (m.deferred) s0.deferred = true;
  if (m.messageId) s0.messageId = m.messageId;
}
