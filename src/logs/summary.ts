// The one-pass accumulator: events in, pflogsumm's numbers out (same counting rules
// unless docs/logs.md says otherwise), plus the groups detectors read (reasons with
// counts, time span and a sample line). Per-line work is Map updates and integer maths.
import { InFlightMap, type InFlight } from './lifecycle.js';
import { keepClosed, newFix, noteSent, ownFix, type Fix } from './boundary.js';
import { ReasonTable } from './reasons.js';
import { Tally, clientDomain, domainOf, normAddress, own } from './tally.js';
import { senderKeys } from './boundary.js';
import { AuthTable, DomainTable } from './tables.js';
import type { Header, LogEvent } from './types.js';

export type { AuthRow, DomainRow } from './tables.js';

/** A line this many seconds before the latest seen counts as time going backwards. */
export const BACKWARDS_S = 60;

export class Totals {
  received = 0; delivered = 0; forwarded = 0; deferred = 0; deferrals = 0; bounced = 0; expired = 0;
  rejected = 0; rejectWarnings = 0; held = 0; discarded = 0; bytesReceived = 0; bytesDelivered = 0;
  noSize = 0; bounceNotices = 0;
}

export class Summariser {
  readonly t = new Totals();
  readonly inFlight: InFlightMap;
  readonly senders = new Tally();
  readonly recipients = new Tally();
  readonly sendingDomains = new Tally();
  readonly domains = new DomainTable();
  /** Per day and per hour: [received, delivered, deferred, bounced, rejected] (report.ts names them). */
  readonly perDay = new Map<number, number[]>();
  readonly perHour: number[][] = Array.from({ length: 24 }, () => [0, 0, 0, 0, 0]);
  readonly deferrals = new ReasonTable();
  readonly bounces = new ReasonTable();
  readonly rejects = new ReasonTable();
  readonly rejectWarnings = new ReasonTable();
  readonly connectFailures = new ReasonTable();
  readonly problems = { warning: new ReasonTable(), error: new ReasonTable(), fatal: new ReasonTable(), panic: new ReasonTable() };
  readonly auth = new AuthTable();
  readonly tls = new Tally(10_000);
  readonly postscreen = new Tally(100);
  readonly lost = new Tally(100);
  readonly dovecotLogins = new Tally(100);
  readonly quota = new ReasonTable();
  connects = 0; disconnects = 0; dovecotAuthFailures = 0; smtpAuthFailures = 0;
  first = Infinity; last = -Infinity;
  /** Some line was stamped more than BACKWARDS_S before the latest line seen before it. */
  wentBack = false;
  private dayIdx = NaN;
  private dayRow: number[] = [];

  /** A later part of a split read (boundary.ts): records note what they counted as new. */
  readonly partial: boolean;
  /** Later part: removed records whose Fix the merge may need, in order. */
  readonly closed: { qid: string; fix: Fix }[] = [];
  private seq = 0;

  constructor(inFlightCap?: number, partial = false) {
    this.inFlight = new InFlightMap(inFlightCap);
    this.partial = partial;
  }

  private touch(qid: string, ts: number, arrival: boolean): InFlight {
    const m = this.inFlight.touch(qid, ts);
    if (this.partial && !m.fix) m.fix = newFix(this.seq, !arrival);
    return m;
  }

  private bucket(ts: number, col: number): void {
    const d = Math.floor(ts / 86400);
    if (d !== this.dayIdx) {
      this.dayIdx = d;
      let row = this.perDay.get(d);
      if (!row) { row = [0, 0, 0, 0, 0]; this.perDay.set(d, row); }
      this.dayRow = row;
    }
    this.dayRow[col]!++;
    this.perHour[Math.floor((ts - d * 86400) / 3600)]![col]!++;
  }

  /** Takes back one count of bucket() (boundary corrections, merge.ts); a day left empty is dropped. */
  unbucket(ts: number, col: number): void {
    const d = Math.floor(ts / 86400);
    const row = this.perDay.get(d);
    if (row) { row[col]!--; if (row.every((n) => n === 0)) this.perDay.delete(d); }
    this.perHour[Math.floor((ts - d * 86400) / 3600)]![col]!--;
    this.dayIdx = NaN;
  }

  /** Count one recognised event; `line` is the raw line, kept only as a group's sample. */
  add(ev: LogEvent, h: Header, line: string): void {
    const ts = h.ts;
    // Records no longer in flight are dropped by age; a split read's Fix records get private copies (lifecycle.ts).
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
    // Syslog relays reorder by seconds; more than a minute back is out of order (files in the wrong order, merged hosts).
    else if (ts < this.last - BACKWARDS_S) this.wentBack = true;
    if ((++this.seq & 0xffff) === 0) { this.inFlight.sweep(this.last, this.partial ? (m) => this.keepFix(m) : undefined); this.inFlight.compact(); }
    switch (ev.k) {
      case 'received': case 'pickup': {
        const m = this.touch(ev.qid, ts, true);
        // A re-logged client= for the same queue id is the same message.
        if (m.origin) break;
        this.t.received++;
        this.bucket(ts, 0);
        // Private copies: a record outlives a few scavenges, and a slice would keep its line's 64 KiB read chunk alive.
        if (ev.k === 'received') { m.origin = own(clientDomain(ev.client, ev.ip)); m.client = own(ev.client); m.ip = own(ev.ip); } else m.origin = 'pickup';
        if (m.fix) { m.fix.bornTs = ts; m.fix.bornCounted = true; m.fix.bornOrigin = m.origin; m.fix.bornSeq = this.seq; }
        // Time going backwards: qmgr's from=/size= line was read first but is stamped later; the sender counts now.
        if (m.size >= 0 && ts < m.qts) this.countSender(m);
        break;
      }
      case 'arrival': {
        const m = this.touch(ev.qid, ts, true);
        if (m.origin) break;
        m.messageId = own(ev.messageId);
        // Exim's own bounces ("<= <> R=parent") are generated here, like Postfix's bounce daemon's: not received.
        if (!ev.parent) { this.t.received++; this.bucket(ts, 0); m.origin = ev.ip ? own(clientDomain(ev.client, ev.ip)) : 'pickup'; }
        else m.origin = '-';
        if (m.fix) { m.fix.bornTs = ts; m.fix.bornCounted = !ev.parent; }
        this.queued(m, ev.from, ev.size, 0, true);
        break;
      }
      case 'msgid': this.touch(ev.qid, ts, false).messageId = own(ev.messageId); break;
      case 'queued': this.queued(this.touch(ev.qid, ts, false), ev.from, ev.size, ev.nrcpt, false); break;
      case 'delivery': this.delivery(ev, ts, line); break;
      case 'notice': this.t.bounceNotices++; break;
      case 'expired': this.t.expired++; break;
      case 'removed': {
        const m = this.inFlight.remove(ev.qid);
        if (m?.fix && keepClosed(m.fix)) { ownFix(m.fix, own); this.closed.push({ qid: m.qid, fix: m.fix }); }
        // Only the removal is in this part: the merge drops the earlier part's record.
        else if (!m && this.partial) this.closed.push({ qid: own(ev.qid), fix: newFix(this.seq, true) });
        break;
      }
      case 'reject': this.reject(ev, ts, line); break;
      case 'sasl-fail': this.smtpAuthFailures++; this.authFail(ev.ip, ev.user, 'smtp', ts); break;
      case 'auth-fail': this.dovecotAuthFailures++; this.authFail(ev.ip, ev.user, ev.service, ts); break;
      case 'login': this.dovecotLogins.add(ev.service); break;
      case 'quota': this.quota.add(ev.text, ts, ev.user, line); break;
      case 'tls': this.tls.add(this.tlsKey(ev)); break;
      case 'connect': this.connects++; break;
      // Dovecot's login processes log "Disconnected" too: these are SMTP (smtpd) counts only.
      case 'disconnect': if (h.syslogName !== 'dovecot') this.disconnects++; break;
      case 'lost': this.lost.add(ev.stage); break;
      case 'conn-fail': this.connectFailures.add(ev.text, ts, ev.host.replace(/\[.*$/, ''), line); break;
      case 'postscreen': this.postscreen.add(ev.action); break;
      case 'problem': this.problems[ev.level].add(ev.text, ts, h.program, line); break;
      default: break;
    }
  }

  // TLS lines repeat the same direction, trust, protocol and cipher: the key is built once.
  private tlsLast = ['', '', '', ''];
  private tlsLastKey = '';

  private tlsKey(ev: Extract<LogEvent, { k: 'tls' }>): string {
    const l = this.tlsLast;
    if (ev.dir !== l[0] || ev.trust !== l[1] || ev.protocol !== l[2] || ev.cipher !== l[3]) {
      // Private copies: slices of the line would pin its read chunk.
      this.tlsLast = [ev.dir, own(ev.trust), own(ev.protocol), own(ev.cipher)];
      this.tlsLastKey = `${ev.dir} ${ev.trust} ${ev.protocol} ${ev.cipher}`;
    }
    return this.tlsLastKey;
  }

  /** A later part keeps the Fix of a record dropped by age, as of a removed one (merge.ts). */
  private keepFix(m: InFlight): void {
    if (m.fix && keepClosed(m.fix)) { ownFix(m.fix, own); this.closed.push({ qid: m.qid, fix: m.fix }); }
  }

  private queued(m: InFlight, from: string, size: number, nrcpt: number, viaArrival: boolean): void {
    // qmgr logs from=/size= again at every retry: count the message once (pflogsumm: %msgSizes).
    if (m.size >= 0) return;
    m.size = size;
    m.nrcpt = nrcpt;
    m.from = own(from);
    m.qts = m.seen;
    const f = m.fix;
    if (f) { f.qSize = size; f.qOrigin = m.origin; f.qFrom = from; f.viaArrival = viaArrival; f.qSeq = this.seq; f.qTs = m.qts; }
    // Deliveries logged before this line (lines out of order) get their bytes now.
    if (m.late) this.lateBytes(m);
    if (!m.origin || m.origin === '-') return; // not received (yet) in this log: a forward or a bounce
    this.countSender(m);
  }

  /** The sender and bytes of a received message whose size is known (once per message). */
  private countSender(m: InFlight): void {
    const f = m.fix;
    if (f) f.qOrigin = m.origin;
    const [addr, dom] = senderKeys(m.from, m.origin);
    // A later part of a split read notes when each sender was first counted (merge.ts); a count
    // the merge may still take back (a message that may have started earlier) sets no place yet.
    const seq = !this.partial ? undefined : f && keepClosed(f) ? Infinity : this.seq;
    this.senders.add(addr, 1, m.size, seq);
    this.sendingDomains.add(dom, 1, m.size, seq);
    this.t.bytesReceived += m.size;
  }

  /** Sent deliveries read before the message's size but stamped after it: their bytes, now that it is known. */
  private lateBytes(m: InFlight): void {
    const size = m.size;
    const late = m.late!;
    m.late = undefined;
    const sent = m.fix?.sent;
    for (let i = 0; i < late.length; i += 4) {
      if ((late[i + 2] as number) <= m.qts) continue; // before the line in time too: no size then
      this.t.noSize--;
      if (sent && (late[i + 3] as number) >= 0) sent[(late[i + 3] as number) + 2] = size;
      if (size <= 0) continue;
      this.domains.get(late[i] as string).bytes += size;
      this.recipients.add(late[i + 1] as string, 0, size);
      this.t.bytesDelivered += size;
    }
  }

  private delivery(ev: Extract<LogEvent, { k: 'delivery' }>, ts: number, line: string): void {
    const m = ev.qid ? this.touch(ev.qid, ts, false) : undefined;
    const dom = domainOf(ev.to);
    switch (ev.status) {
      case 'sent': {
        this.t.delivered++;
        this.bucket(ts, 1);
        const size = m && m.size > 0 ? m.size : 0;
        if (!m || m.size < 0) this.t.noSize++;
        const r = this.domains.get(dom);
        this.domains.noteDelivery(r);
        // Milliseconds: an integer sum is exact whatever the order (parts of a split read add up alike).
        r.delivered++; r.bytes += size; r.delaySum += Math.round(ev.delay * 1000);
        if (ev.delay > r.delayMax) r.delayMax = ev.delay;
        const rcpt = normAddress(ev.to);
        this.recipients.add(rcpt, 1, size);
        this.t.bytesDelivered += size;
        const f = m?.fix;
        if (f) noteSent(f, dom, rcpt, m!.size);
        // Size not known yet: lines out of order, or qmgr's line is still to come.
        if (m && m.size < 0) (m.late ??= []).push(own(dom), own(rcpt), ts, f?.sent ? f.sent.length - 3 : -1);
        break;
      }
      case 'forwarded': this.t.forwarded++; break;
      case 'deferred': {
        this.t.deferrals++;
        this.bucket(ts, 2);
        if (m && !m.deferred) { m.deferred = true; this.t.deferred++; if (m.fix) m.fix.deferredCounted = true; }
        const r = this.domains.get(dom);
        r.deferred++;
        if (ev.delay > r.delayMax) r.delayMax = ev.delay;
        this.deferrals.add(ev.reply, ts, dom, line, '', ev.dsn);
        break;
      }
      case 'bounced': this.t.bounced++; this.bucket(ts, 3); this.bounces.add(ev.reply, ts, dom, line, '', ev.dsn); break;
      case 'expired': this.t.expired++; break;
    }
  }

  private reject(ev: Extract<LogEvent, { k: 'reject' }>, ts: number, line: string): void {
    const who = ev.ip || ev.client;
    switch (ev.kind) {
      case 'reject': case 'milter-reject': this.t.rejected++; this.rejects.add(ev.reason, ts, who, line, ev.code, ev.enhanced); break;
      case 'reject_warning': this.t.rejectWarnings++; this.rejectWarnings.add(ev.reason, ts, who, line, ev.code, ev.enhanced); break;
      case 'hold': this.t.held++; break;
      case 'discard': this.t.discarded++; break;
    }
    this.bucket(ts, 4);
  }

  private authFail(ip: string, user: string, service: string, ts: number): void {
    this.auth.add(ip, user, service, ts);
  }
}
