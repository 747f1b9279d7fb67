// The one-pass accumulator: events in, pflogsumm's numbers out (same counting rules
// unless docs/logs.md says otherwise), plus the groups detectors read (reasons with
// counts, time span and a sample line). Per-line work is Map updates and integer maths.
import { InFlightMap, type InFlight } from './lifecycle.js';
import { ReasonTable } from './reasons.js';
import { Tally, clientDomain, domainOf, normAddress, own } from './tally.js';
import type { Header, LogEvent } from './types.js';

export const DAY_COLUMNS = ['received', 'delivered', 'deferred', 'bounced', 'rejected'] as const;

export interface DomainRow { delivered: number; bytes: number; deferred: number; delaySum: number; delayMax: number }

export interface AuthRow { count: number; first: number; last: number; services: Set<string>; users: Set<string> }

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
  readonly sendingDomains = new Tally(200_000);
  readonly domains = new Map<string, DomainRow>();
  readonly perDay = new Map<number, number[]>();
  readonly perHour: number[][] = Array.from({ length: 24 }, () => [0, 0, 0, 0, 0]);
  readonly deferrals = new ReasonTable();
  readonly bounces = new ReasonTable();
  readonly rejects = new ReasonTable();
  readonly rejectWarnings = new ReasonTable();
  readonly connectFailures = new ReasonTable();
  readonly problems = { warning: new ReasonTable(), error: new ReasonTable(), fatal: new ReasonTable(), panic: new ReasonTable() };
  readonly auth = new Map<string, AuthRow>();
  readonly tls = new Tally(10_000);
  readonly postscreen = new Tally(100);
  readonly lost = new Tally(100);
  readonly dovecotLogins = new Tally(100);
  readonly quota = new ReasonTable();
  connects = 0; disconnects = 0; dovecotAuthFailures = 0; smtpAuthFailures = 0;
  first = Infinity; last = -Infinity;
  private dayIdx = NaN;
  private dayRow: number[] = [];

  constructor(inFlightCap?: number) {
    this.inFlight = new InFlightMap(inFlightCap);
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

  private domain(d: string): DomainRow {
    let r = this.domains.get(d);
    if (!r) {
      r = { delivered: 0, bytes: 0, deferred: 0, delaySum: 0, delayMax: 0 };
      if (this.domains.size < 200_000) this.domains.set(own(d), r);
    }
    return r;
  }

  /** Count one recognised event; `line` is the raw line, kept only as a group's sample. */
  add(ev: LogEvent, h: Header, line: string): void {
    const ts = h.ts;
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
    switch (ev.k) {
      case 'received': case 'pickup': {
        const m = this.inFlight.touch(ev.qid, ts);
        // A re-logged client= for the same queue id is the same message.
        if (m.origin) break;
        this.t.received++;
        this.bucket(ts, 0);
        if (ev.k === 'received') { m.origin = clientDomain(ev.client, ev.ip); m.client = ev.client; m.ip = ev.ip; } else m.origin = 'pickup';
        break;
      }
      case 'arrival': {
        const m = this.inFlight.touch(ev.qid, ts);
        if (m.origin) break;
        m.messageId = ev.messageId;
        // Exim's own bounces ("<= <> R=parent") are generated here, like Postfix's bounce daemon's: not received.
        if (!ev.parent) { this.t.received++; this.bucket(ts, 0); m.origin = ev.ip ? clientDomain(ev.client, ev.ip) : 'pickup'; }
        else m.origin = '-';
        this.queued(m, ev.from, ev.size, 0);
        break;
      }
      case 'msgid': this.inFlight.touch(ev.qid, ts).messageId = ev.messageId; break;
      case 'queued': this.queued(this.inFlight.touch(ev.qid, ts), ev.from, ev.size, ev.nrcpt); break;
      case 'delivery': this.delivery(ev, ts, line); break;
      case 'notice': this.t.bounceNotices++; break;
      case 'expired': this.t.expired++; break;
      case 'removed': this.inFlight.remove(ev.qid); break;
      case 'reject': this.reject(ev, ts, line); break;
      case 'sasl-fail': this.smtpAuthFailures++; this.authFail(ev.ip, ev.user, 'smtp', ts); break;
      case 'auth-fail': this.dovecotAuthFailures++; this.authFail(ev.ip, ev.user, ev.service, ts); break;
      case 'login': this.dovecotLogins.add(ev.service); break;
      case 'quota': this.quota.add(ev.text, ts, ev.user, line); break;
      case 'tls': this.tls.add(`${ev.dir} ${ev.trust} ${ev.protocol} ${ev.cipher}`); break;
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

  private queued(m: InFlight, from: string, size: number, nrcpt: number): void {
    // qmgr logs from=/size= again at every retry: count the message once (pflogsumm: %msgSizes).
    if (m.size >= 0) return;
    m.size = size;
    m.nrcpt = nrcpt;
    m.from = from;
    if (!m.origin || m.origin === '-') return; // not received in this log: a forward or a bounce
    const addr = from ? normAddress(from) : 'from=<>';
    const dom = from.includes('@') ? domainOf(from) : m.origin === 'pickup' ? addr : m.origin;
    this.senders.add(addr, 1, size);
    this.sendingDomains.add(dom, 1, size);
    this.t.bytesReceived += size;
  }

  private delivery(ev: Extract<LogEvent, { k: 'delivery' }>, ts: number, line: string): void {
    const m = ev.qid ? this.inFlight.touch(ev.qid, ts) : undefined;
    const dom = domainOf(ev.to);
    switch (ev.status) {
      case 'sent': {
        this.t.delivered++;
        this.bucket(ts, 1);
        const size = m && m.size > 0 ? m.size : 0;
        if (!m || m.size < 0) this.t.noSize++;
        const r = this.domain(dom);
        r.delivered++; r.bytes += size; r.delaySum += ev.delay;
        if (ev.delay > r.delayMax) r.delayMax = ev.delay;
        this.recipients.add(normAddress(ev.to), 1, size);
        this.t.bytesDelivered += size;
        break;
      }
      case 'forwarded': this.t.forwarded++; break;
      case 'deferred': {
        this.t.deferrals++;
        this.bucket(ts, 2);
        if (m && !m.deferred) { m.deferred = true; this.t.deferred++; }
        const r = this.domain(dom);
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
    const key = ip || '(unknown)';
    let r = this.auth.get(key);
    if (!r) {
      if (this.auth.size >= 100_000) return;
      r = { count: 0, first: ts, last: ts, services: new Set(), users: new Set() };
      this.auth.set(own(key), r);
    }
    r.count++;
    if (ts > r.last) r.last = ts;
    r.services.add(own(service));
    if (user && r.users.size < 50 && !r.users.has(user)) r.users.add(own(user));
  }
}
