// `--since` / `--until`: an ISO date or date-time (read as local wall-clock time, like the
// log's own stamps), or a duration back from now: 90s, 30m, 24h, 7d, 2w.
import { UsageError } from '../core/errors.js';

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Wall-clock seconds (local time read as UTC), the scale log timestamps use. */
export function wallNow(nowMs: number): number {
  return Math.floor(nowMs / 1000) - new Date(nowMs).getTimezoneOffset() * 60;
}

export function parseTimeBound(flag: string, value: string, nowMs: number): number {
  const v = value.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(v);
  if (rel) return wallNow(nowMs) - Math.round(Number(rel[1]) * UNIT[rel[2]!]!);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61) return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  }
  throw new UsageError(`logs: ${flag} ${value}: give a date (2025-04-09), a date and time (2025-04-09T08:00) or a duration (30m, 24h, 7d)`);
}
