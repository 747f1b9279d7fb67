// The summary's keyed tables other than plain count/bytes tallies: recipient domains and
// authentication failures per client. Both keep the heaviest keys only (sketch.ts), so their
// memory is flat in the number of distinct domains and attacking addresses.
import { Distinct } from './distinct.js';
import { Sketch, type SketchRow } from './sketch.js';
import { own } from './tally.js';

/** delaySum in milliseconds; delayMax in seconds as logged (both over the deliveries counted while the row was kept). */
export interface DomainRow extends SketchRow { delivered: number; bytes: number; deferred: number; delaySum: number; delayMax: number }

export const DOMAIN_ROWS = 10_000;
export const AUTH_ROWS = 5_000;

export class DomainTable extends Sketch<DomainRow> {
  /** Domains with at least one delivery, once rows have been dropped (the rows tell before). */
  delivered: Distinct | undefined;

  constructor(cap = DOMAIN_ROWS) {
    super(cap, ['delivered', 'deferred', 'bytes']);
  }

  protected blank(key: string): DomainRow {
    return { key, delivered: 0, bytes: 0, deferred: 0, delaySum: 0, delayMax: 0 };
  }

  get(d: string): DomainRow {
    return this.map.get(d) ?? this.create(own(d));
  }

  override get approximate(): boolean {
    return !!this.delivered?.approximate || this.unsure > 0;
  }

  /** Deliveries counted while the row was kept (the average delay's divisor). */
  static seen(r: DomainRow): number {
    return r.delivered - (r.err?.[0] ?? 0);
  }

  /** Call before the row's delivered count goes up. */
  noteDelivery(r: DomainRow): void {
    if (this.delivered && DomainTable.seen(r) === 0) this.delivered.add(r.key);
  }

  override shrink(): void {
    this.delivered ??= this.deliveredSet();
    super.shrink();
  }

  private deliveredSet(): Distinct {
    const d = new Distinct();
    for (const r of this.map.values()) if (r.delivered > 0) d.add(r.key);
    return d;
  }

  /** Recipient domains with at least one delivery. */
  get deliveredCount(): number {
    if (this.delivered) return this.delivered.count;
    let n = 0;
    for (const r of this.map.values()) if (r.delivered > 0) n++;
    return n;
  }

  merge(o: DomainTable): void {
    if (this.delivered || o.delivered) {
      this.delivered ??= this.deliveredSet();
      this.delivered.merge(o.delivered ?? o.deliveredSet());
    }
    this.mergeFrom(o, (x, r) => {
      x.delivered += r.delivered; x.bytes += r.bytes; x.deferred += r.deferred; x.delaySum += r.delaySum;
      x.delayMax = Math.max(x.delayMax, r.delayMax);
    });
  }
}

export interface AuthRow extends SketchRow { count: number; first: number; last: number; services: Set<string>; users: Set<string> }

export class AuthTable extends Sketch<AuthRow> {
  constructor(cap = AUTH_ROWS) {
    super(cap, ['count']);
  }

  protected blank(key: string): AuthRow {
    return { key, count: 0, first: Infinity, last: -Infinity, services: new Set(), users: new Set() };
  }

  add(ip: string, user: string, service: string, ts: number): void {
    const key = ip || '(unknown)';
    const r = this.map.get(key) ?? this.create(own(key));
    r.count++;
    if (ts < r.first) r.first = ts;
    if (ts > r.last) r.last = ts;
    if (!r.services.has(service)) r.services.add(own(service));
    if (user && r.users.size < 50 && !r.users.has(user)) r.users.add(own(user));
  }

  merge(o: AuthTable): void {
    this.mergeFrom(o, (x, r) => {
      x.count += r.count;
      x.first = Math.min(x.first, r.first);
      x.last = Math.max(x.last, r.last);
      for (const s of r.services) x.services.add(s);
      for (const u of r.users) if (x.users.size < 50) x.users.add(u);
    });
  }
}
