// Per-day and per-hour volume for `mxdoctor capacity`, fed by the same one-pass pipeline as
// `mxdoctor logs`: after the summariser has counted an event, the deltas of its totals say
// what the event added (a message received, a delivery, bytes), so capacity uses exactly
// pflogsumm's counting rules (docs/logs.md) without a second copy of them.
import type { Totals } from './summary.js';
import type { Header, LogEvent } from './types.js';

export interface DayVolume {
  received: number;
  delivered: number;
  bytesReceived: number;
  bytesDelivered: number;
  /** Deliveries (and their bytes) into mailboxes on this server: local, virtual, LMTP, Dovecot. */
  localDelivered: number;
  bytesLocal: number;
}

/**
 * A relay that ends in a mailbox here: Postfix local/virtual/pipe to Dovecot or maildrop,
 * LMTP (socket or port 24), Exim's appendfile/maildir/lmtp transports. Everything else
 * (a remote MX, a smarthost, a content filter on 10025) leaves the server's disks.
 */
export function isLocalRelay(relay: string): boolean {
  if (relay === 'local' || relay === 'virtual' || relay === 'dovecot' || relay === 'maildrop') return true;
  return /lmtp|dovecot|maildir|appendfile|mailbox|\]:24$/i.test(relay);
}

function newDay(): DayVolume {
  return { received: 0, delivered: 0, bytesReceived: 0, bytesDelivered: 0, localDelivered: 0, bytesLocal: 0 };
}

export class CapacityCounter {
  /** Day number (seconds / 86400, wall-clock) → volume. */
  readonly days = new Map<number, DayVolume>();
  /** Hour number (seconds / 3600) → [received, delivered]: a year is 8,760 entries. */
  readonly hours = new Map<number, [number, number]>();
  private t?: Totals;
  private r = 0; private d = 0; private br = 0; private bd = 0;

  /** The summariser's totals whose changes are read after each event. */
  attach(t: Totals): void {
    this.t = t;
    this.r = t.received; this.d = t.delivered; this.br = t.bytesReceived; this.bd = t.bytesDelivered;
  }

  readonly add = (ev: LogEvent, h: Header): void => {
    const t = this.t;
    if (!t) return;
    const dr = t.received - this.r;
    const dd = t.delivered - this.d;
    const dbr = t.bytesReceived - this.br;
    const dbd = t.bytesDelivered - this.bd;
    if (!dr && !dd && !dbr && !dbd) return;
    this.r = t.received; this.d = t.delivered; this.br = t.bytesReceived; this.bd = t.bytesDelivered;
    const dayNo = Math.floor(h.ts / 86400);
    let day = this.days.get(dayNo);
    if (!day) { day = newDay(); this.days.set(dayNo, day); }
    day.received += dr; day.delivered += dd; day.bytesReceived += dbr; day.bytesDelivered += dbd;
    if (ev.k === 'delivery' && dd && isLocalRelay(ev.relay)) { day.localDelivered += dd; day.bytesLocal += dbd; }
    if (dr || dd) {
      const hourNo = Math.floor(h.ts / 3600);
      const hr = this.hours.get(hourNo);
      if (hr) { hr[0] += dr; hr[1] += dd; } else this.hours.set(hourNo, [dr, dd]);
    }
  };
}
