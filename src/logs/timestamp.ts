// Timestamps as written: parsed with char-code arithmetic and a cached day offset, so no
// Date object is built per line (pflogsumm's FAQ: per-line date maths made it 5x slower).
// Times are wall-clock seconds read as UTC: the hour a line was written is its hour.

export const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Year inference for year-less RFC 3164 / maillog_file stamps: from the file, never from "now". */
export interface YearContext {
  /** Year and month (0-11) of the file's mtime in local time: the newest line is not later. */
  refYear: number;
  refMonth: number;
}

export function yearContextOf(mtimeMs: number): YearContext {
  const d = new Date(mtimeMs);
  return { refYear: d.getFullYear(), refMonth: d.getMonth() };
}

/** A line whose month is after the file's mtime month was written the year before. */
export function inferYear(month: number, ctx: YearContext): number {
  return month > ctx.refMonth ? ctx.refYear - 1 : ctx.refYear;
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

/** "HH:MM:SS" at i as seconds of the day, NaN when malformed. */
export function clockAt(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return NaN;
  const h = d2(s, i);
  const m = d2(s, i + 3);
  const sec = d2(s, i + 6);
  if (!(h < 24 && m < 60 && sec < 61)) return NaN;
  return h * 3600 + m * 60 + sec;
}

/** Day cache: the last few day keys seen map to their epoch second at midnight. */
export class DayCache {
  private keys: string[] = [];
  private vals: number[] = [];
  private lastKey = '\u0000';
  private lastVal = NaN;

  /** "YYYY-MM-DD" at i → seconds at 00:00 UTC of that date; NaN when malformed. */
  isoDay(s: string, i: number): number {
    // Nearly every line has the previous line's date.
    // A 10-character slice is a fresh flat string: === on it is cheaper than startsWith(x, i).
    const key = s.slice(i, i + 10);
    if (key === this.lastKey) return this.lastVal;
    const hit = this.keys.indexOf(key);
    if (hit >= 0) { this.lastKey = key; this.lastVal = this.vals[hit]!; return this.lastVal; }
    const y = d2(s, i) * 100 + d2(s, i + 2);
    const mo = d2(s, i + 5);
    const d = d2(s, i + 8);
    if (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45 || !(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return NaN;
    this.lastKey = key;
    this.lastVal = this.remember(key, Date.UTC(y, mo - 1, d) / 1000);
    return this.lastVal;
  }

  private lastSecond = '\u0000';
  private lastSecondVal = NaN;

  /** "YYYY-MM-DDTHH:MM:SS" at i → seconds (UTC reading); NaN when malformed. Busy logs repeat the second. */
  isoSecond(s: string, i: number): number {
    const key = s.slice(i, i + 19);
    if (key === this.lastSecond) return this.lastSecondVal;
    const v = this.isoDay(s, i) + clockAt(s, i + 11);
    if (!Number.isNaN(v)) { this.lastSecond = key; this.lastSecondVal = v; }
    return v;
  }

  /** Month name and day (RFC 3164) with an inferred year. */
  syslogDay(month: number, day: number, ctx: YearContext): number {
    // The same day as the previous line (nearly always): no key string.
    if (month === this.sMonth && day === this.sDay && ctx === this.sCtx) return this.sVal;
    this.sMonth = month; this.sDay = day; this.sCtx = ctx;
    this.sVal = this.syslogDayKeyed(month, day, ctx);
    return this.sVal;
  }

  private sMonth = -1;
  private sDay = -1;
  private sCtx: YearContext | undefined;
  private sVal = NaN;

  private syslogDayKeyed(month: number, day: number, ctx: YearContext): number {
    const key = `${month}/${day}/${ctx.refYear}/${ctx.refMonth}`;
    const hit = this.keys.indexOf(key);
    if (hit >= 0) return this.vals[hit]!;
    return this.remember(key, Date.UTC(inferYear(month, ctx), month, day) / 1000);
  }

  private remember(key: string, v: number): number {
    if (this.keys.length >= 8) { this.keys.shift(); this.vals.shift(); }
    this.keys.push(key);
    this.vals.push(v);
    return v;
  }
}

/** "YYYY-MM-DD" of a wall-clock second, for per-day tables. */
export function dayOf(ts: number): string {
  return new Date(Math.floor(ts / 86400) * 86400_000).toISOString().slice(0, 10);
}

export function isoOf(ts: number): string {
  return new Date(ts * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
