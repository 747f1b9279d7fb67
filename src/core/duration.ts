// Durations that say their unit ("500ms", "30s", "2m", "1h30m", "1d") ↔ milliseconds.
// One parser for every duration flag and config value, so `--slow 500ms` and
// `--deadline 2m` mean the same thing wherever they appear.
import { UsageError } from './errors.js';

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Longest unit first so "ms" is not read as "m" followed by junk.
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)/y;
/** Large enough for any timeout or retention; small enough to stay an exact integer. */
const MAX_MS = 366 * UNIT_MS.d!;

const HINT = 'write a number with a unit, e.g. 500ms, 30s, 2m, 1h or 1d';

/**
 * Milliseconds for `text`. A bare number is in `defaultUnit` (ms unless said
 * otherwise: old flags keep their old unit). Parts may be combined ("1m30s").
 * Throws a one-line UsageError naming the value and the fix; callers add the flag name.
 */
export function parseDuration(text: string, defaultUnit: DurationUnit = 'ms'): number {
  const s = String(text ?? '').trim().toLowerCase();
  if (s === '') throw new UsageError(`empty duration: ${HINT}`);
  let ms: number;
  if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(s)) {
    ms = Number(s) * UNIT_MS[defaultUnit]!;
  } else {
    ms = 0;
    PART.lastIndex = 0;
    const seen = new Set<string>();
    while (PART.lastIndex < s.length) {
      const start = PART.lastIndex;
      const m = PART.exec(s);
      if (!m || m.index !== start) throw new UsageError(`"${text}" is not a duration: ${HINT}`);
      if (seen.has(m[2]!)) throw new UsageError(`"${text}" is not a duration: the unit ${m[2]} appears twice`);
      seen.add(m[2]!);
      ms += Number(m[1]) * UNIT_MS[m[2]!]!;
      while (s[PART.lastIndex] === ' ') PART.lastIndex++;
    }
  }
  if (!Number.isFinite(ms) || ms > MAX_MS) throw new UsageError(`"${text}" is too long a duration: at most 366d`);
  return Math.round(ms);
}

/** "500ms", "30s", "1.5s", "2m", "1h30m", "2d": the shortest text parseDuration reads back. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const whole = Math.round(ms);
  if (whole < 1_000) return `${whole}ms`;
  const parts: string[] = [];
  let rest = whole;
  for (const unit of ['d', 'h', 'm'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]!);
    if (n) parts.push(`${n}${unit}`);
    rest -= n * UNIT_MS[unit]!;
  }
  if (rest) {
    const sec = Math.floor(rest / 1_000);
    const frac = rest % 1_000;
    parts.push(frac ? `${sec}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${sec}s`);
  }
  return parts.join('');
}
