// A bounded table of the heaviest keys: Space-Saving (Metwally, Agrawal, El Abbadi 2005)
// with batch eviction, so memory stays flat whatever the number of distinct keys.
// While the table has never been full every count is exact. When it fills, the rows in
// neither the top quarter by any ranked field are dropped at once; `floors` keeps the
// largest value dropped. A key that comes back may have been counted up to the floor while
// it was out: its row starts at the floor and records it as its error, so the true value is
// within [value − err, value]. A key never seen before (distinct.ts says so) starts exact.
// Merging two tables (split reads) adds the other side's floor where a key may have hidden.
import { Distinct } from './distinct.js';

export interface SketchRow {
  key: string;
  /** Per ranked field: how much of the value may be over-counted (absent: exact). */
  err?: number[];
  /** Split reads only: when the key was first counted, to put merged rows in reading order (merge.ts). */
  seq?: number;
}

export abstract class Sketch<R extends SketchRow> {
  readonly map = new Map<string, R>();
  /** Per ranked field, the largest value a dropped row had (0 while nothing was dropped). */
  floors: number[];
  /** Distinct keys ever counted, once rows have been dropped. */
  distinct: Distinct | undefined;
  /** Distinct keys taken back while out of the table (boundary corrections): their count is unsure by this much. */
  unsure = 0;

  // No function-valued fields: a table crosses threads by structured clone (merge.ts).
  constructor(readonly cap: number, readonly fields: readonly (keyof R & string)[]) {
    this.floors = fields.map(() => 0);
  }

  /** A new, empty row. */
  protected abstract blank(key: string): R;

  /** Distinct keys counted (an estimate when `approximate`). */
  get size(): number {
    return this.distinct ? this.distinct.count : this.map.size;
  }

  /** True when the distinct count is an estimate (see distinct.ts). */
  get approximate(): boolean {
    return !!this.distinct?.approximate || this.unsure > 0;
  }

  /** True when some value of some row may be over-counted. */
  get overflowed(): boolean {
    return this.distinct !== undefined;
  }

  /** The row for key; created (at the floors when the key may have been dropped before) when absent. */
  row(key: string): R {
    return this.map.get(key) ?? this.create(key);
  }

  /** Creates the row of an absent key, k a private copy of the key. */
  protected create(k: string): R {
    if (this.map.size >= this.cap) this.shrink();
    const r = this.blank(k);
    if (this.distinct && !this.distinct.add(k)) this.lift(r, this.floors);
    this.map.set(k, r);
    return r;
  }

  /** Adds floors to a row that may have been counted elsewhere up to them. */
  private lift(r: R, floors: number[]): void {
    const rec = r as unknown as Record<string, number>;
    for (let i = 0; i < floors.length; i++) {
      const f = floors[i]!;
      if (!f) continue;
      const name = this.fields[i]!;
      rec[name] = rec[name]! + f;
      const e = (r.err ??= this.fields.map(() => 0));
      e[i] = e[i]! + f;
    }
  }

  /** Drops about half the rows: those in no field's top quarter (top half with one field ranked). */
  shrink(): void {
    if (!this.distinct) {
      this.distinct = new Distinct();
      for (const k of this.map.keys()) this.distinct.add(k);
    }
    const rows = [...this.map.values()];
    const rec = (r: R, f: string) => (r as unknown as Record<string, number>)[f]!;
    // Fields some row has a value in (a table of counts only keeps twice as many by count); never none.
    const some = this.fields.filter((f) => rows.some((r) => rec(r, f) > 0));
    const used = some.length ? some : this.fields.slice(0, 1);
    const keep = new Set<R>();
    const per = Math.max(1, Math.floor(this.cap / 2 / used.length));
    for (const f of used) for (const r of [...rows].sort((a, b) => rec(b, f) - rec(a, f)).slice(0, per)) keep.add(r);
    for (const r of rows) {
      if (keep.has(r)) continue;
      this.fields.forEach((f, i) => { if (rec(r, f) > this.floors[i]!) this.floors[i] = rec(r, f); });
      this.map.delete(r.key);
    }
  }

  /** Takes a key out for good (its counts were all taken back). */
  forget(key: string): void {
    this.map.delete(key);
    this.distinct?.remove(key);
  }

  /**
   * Adds the other table (read later in the same input) to this one; `add` adds a row's
   * values into a row of this table. o is consumed.
   */
  mergeFrom(o: Sketch<R>, add: (into: R, from: R) => void): void {
    // Both distinct sets must be complete before rows move: a table without one has all its keys as rows.
    if (o.distinct && !this.distinct) {
      this.distinct = new Distinct();
      for (const k of this.map.keys()) this.distinct.add(k);
    }
    const mine = this.floors.some((f) => f > 0) ? this.distinct : undefined;
    const theirs = o.floors.some((f) => f > 0) ? o.distinct : undefined;
    for (const r of o.map.values()) {
      const x = this.map.get(r.key);
      if (x) {
        add(x, r);
        if (r.err) { const e = (x.err ??= this.fields.map(() => 0)); r.err.forEach((v, i) => { e[i] = e[i]! + v; }); }
        continue;
      }
      // Not a row here: it may have been dropped here, up to this side's floors.
      if (mine?.has(r.key)) this.lift(r, this.floors);
      this.map.set(r.key, r);
    }
    if (theirs) for (const x of this.map.values()) if (!o.map.has(x.key) && theirs.has(x.key)) this.lift(x, o.floors);
    if (this.distinct) {
      if (o.distinct) this.distinct.merge(o.distinct);
      else for (const k of o.map.keys()) this.distinct.add(k);
    }
    this.floors = this.floors.map((f, i) => f + o.floors[i]!);
    this.unsure += o.unsure;
    while (this.map.size > this.cap) this.shrink();
  }
}
