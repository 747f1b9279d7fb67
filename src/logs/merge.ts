// Joins the parts of a split read (split.ts) into the one Analysis a single pass would give:
// counts add up, tables are merged in reading order (first part's keys first), and the
// messages that straddle a split point get their counts corrected (boundary.ts).
import { InFlightMap } from './lifecycle.js';
import { ReasonTable } from './reasons.js';
import { BACKWARDS_S, Summariser, Totals } from './summary.js';
import { Tally } from './tally.js';
import { mergeInFlight } from './boundary.js';
import { Distinct } from './distinct.js';
import { AuthTable, DomainTable } from './tables.js';
import type { Sketch, SketchRow } from './sketch.js';
import type { Analysis } from './analyse.js';

const TALLIES = ['senders', 'recipients', 'sendingDomains', 'tls', 'postscreen', 'lost', 'dovecotLogins'] as const;
const REASONS = ['deferrals', 'bounces', 'rejects', 'rejectWarnings', 'connectFailures', 'quota'] as const;
const LEVELS = ['warning', 'error', 'fatal', 'panic'] as const;
const COUNTS = ['connects', 'disconnects', 'dovecotAuthFailures', 'smtpAuthFailures'] as const;

/** Puts a table's class back, and its distinct set's. */
function revive<R extends SketchRow>(t: Sketch<R>, proto: object): void {
  Object.setPrototypeOf(t, proto);
  if (t.distinct) Object.setPrototypeOf(t.distinct, Distinct.prototype);
}

function reviveReasons(r: ReasonTable): void {
  revive(r, ReasonTable.prototype);
  for (const g of r.groups.values()) revive(g.by, Tally.prototype);
}

/** An Analysis that crossed a thread (structured clone keeps data, not classes): classes back. */
export function reviveAnalysis(a: Analysis): Analysis {
  const s = a.summary as unknown as Record<string, unknown>;
  Object.setPrototypeOf(s, Summariser.prototype);
  Object.setPrototypeOf(s.t, Totals.prototype);
  Object.setPrototypeOf(s.inFlight, InFlightMap.prototype);
  for (const k of TALLIES) revive(s[k] as Tally, Tally.prototype);
  revive(s.domains as DomainTable, DomainTable.prototype);
  const dd = (s.domains as DomainTable).delivered;
  if (dd) Object.setPrototypeOf(dd, Distinct.prototype);
  revive(s.auth as AuthTable, AuthTable.prototype);
  for (const k of REASONS) reviveReasons(s[k] as ReasonTable);
  for (const k of LEVELS) reviveReasons((s.problems as Record<string, ReasonTable>)[k]!);
  s.dayIdx = NaN;
  revive(a.unparsedByProgram, Tally.prototype);
  revive(a.foreign, Tally.prototype);
  return a;
}

/** Adds `part` (read after everything in `into`) to `into`. */
export function mergeAnalysis(into: Analysis, part: Analysis, maxSamples: number): void {
  into.lines += part.lines; into.parsed += part.parsed; into.unparsed += part.unparsed; into.filtered += part.filtered;
  into.unparsedByProgram.merge(part.unparsedByProgram);
  into.foreign.merge(part.foreign);
  for (const l of part.unparsedSamples) if (into.unparsedSamples.length < maxSamples) into.unparsedSamples.push(l);
  for (const [f, n] of Object.entries(part.formats)) into.formats[f as keyof Analysis['formats']] = (into.formats[f as keyof Analysis['formats']] ?? 0) + n!;
  into.warnings.push(...part.warnings);
  for (const src of part.sources) {
    const last = into.sources.at(-1);
    // One file read in two parts is one source.
    if (last && last.path === src.path && !last.gzip && !src.gzip) {
      last.lines += src.lines;
      last.bytes = (last.bytes ?? 0) + (src.bytes ?? 0);
      last.warning ??= src.warning;
    } else into.sources.push(src);
  }
  mergeSummary(into.summary, part.summary);
  // Senders first counted in this part (or by a correction) go where one pass would have put them.
  into.summary.senders.sortBySeq();
  into.summary.sendingDomains.sortBySeq();
}

function mergeSummary(a: Summariser, b: Summariser): void {
  for (const k of Object.keys(b.t) as (keyof Totals)[]) a.t[k] += b.t[k];
  // The later part's earliest line against the earlier part's latest (they were one input).
  if (b.wentBack || b.first < a.last - BACKWARDS_S) a.wentBack = true;
  if (b.first < a.first) a.first = b.first;
  if (b.last > a.last) a.last = b.last;
  for (const [d, row] of b.perDay) {
    const r = a.perDay.get(d);
    if (r) for (let i = 0; i < row.length; i++) r[i]! += row[i]!;
    else a.perDay.set(d, row);
  }
  b.perHour.forEach((row, h) => row.forEach((n, i) => { a.perHour[h]![i]! += n; }));
  a.domains.merge(b.domains);
  for (const k of TALLIES) a[k].merge(b[k]);
  for (const k of REASONS) a[k].merge(b[k]);
  for (const k of LEVELS) a.problems[k].merge(b.problems[k]);
  for (const k of COUNTS) a[k] += b[k];
  a.auth.merge(b.auth);
  mergeInFlight(a, b);
}
