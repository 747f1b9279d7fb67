// Reads of the store for `report --from-store`: availability per day, the run span of a
// target, the latest report body still kept, and finding changes of some families turned
// into periods (appeared → went away). Portable SQL only, like queries.ts.
import type { Kysely } from 'kysely';
import type { Report } from '../../core/report.js';
import type { DayAvailability, FindingPeriod } from '../../report/history-model.js';
import type { DB } from './schema.js';

const DAY_MS = 86_400_000;

export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Every UTC day from the one holding fromMs to the one holding toMs; days without rows are all zero. */
export async function availabilityDays(db: Kysely<DB>, target: string, fromMs: number, toMs: number): Promise<DayAvailability[]> {
  const first = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const rows = await db.selectFrom('availability').selectAll().where('target', '=', target)
    .where('day', '>=', first / 1000).where('day', '<', Math.ceil(toMs / 1000)).execute();
  const byDay = new Map(rows.map((r) => [Number(r.day) * 1000, r]));
  const out: DayAvailability[] = [];
  for (let d = first; d < toMs; d += DAY_MS) {
    const r = byDay.get(d);
    const up = Math.round(Number(r?.up_ms ?? 0) / 1000);
    const down = Math.round(Number(r?.down_ms ?? 0) / 1000);
    out.push({ day: dayString(d), upSeconds: up, downSeconds: down, unknownSeconds: Math.round(Number(r?.unknown_ms ?? 0) / 1000), availability: up + down ? up / (up + down) : null });
  }
  return out;
}

export async function runSpan(db: Kysely<DB>, target: string, fromMs: number, toMs: number): Promise<{ runs: number; firstMs: number | null }> {
  const inPeriod = await db.selectFrom('runs').select((eb) => eb.fn.countAll().as('n')).where('target', '=', target)
    .where('started_ms', '>=', fromMs).where('started_ms', '<', toMs).executeTakeFirst();
  const first = await db.selectFrom('runs').select('started_ms').where('target', '=', target).orderBy('started_ms').limit(1).executeTakeFirst();
  return { runs: Number(inPeriod?.n ?? 0), firstMs: first ? Number(first.started_ms) : null };
}

export async function latestStoredReport(db: Kysely<DB>, target: string, untilMs: number): Promise<Report | null> {
  const r = await db.selectFrom('runs').select('report').where('target', '=', target).where('report', 'is not', null)
    .where('started_ms', '<', untilMs).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.report ? (JSON.parse(r.report) as Report) : null;
}

/**
 * Periods of findings whose id starts with one of `prefixes` and whose severity is a problem,
 * overlapping [fromMs, toMs). A finding already present before fromMs starts at its first
 * change still stored (or at the start of the store's changes).
 */
export async function findingPeriods(db: Kysely<DB>, target: string, prefixes: string[], fromMs: number, toMs: number): Promise<FindingPeriod[]> {
  const rows = await db.selectFrom('changes').selectAll().where('target', '=', target).where('kind', '=', 'finding')
    .where('at_ms', '<', toMs).where((eb) => eb.or(prefixes.map((p) => eb('finding_id', 'like', `${p}%`))))
    .orderBy('id').execute();
  const open = new Map<string, FindingPeriod>();
  const done: FindingPeriod[] = [];
  const problem = (s: string | null) => s === 'warning' || s === 'critical';
  for (const c of rows) {
    const key = `${c.finding_id}|${c.subject ?? ''}`;
    const at = new Date(Number(c.at_ms)).toISOString();
    const was = open.get(key);
    // A change of severity between two problem states keeps the period going (worst shown).
    if (was && problem(c.to_state)) {
      if (c.to_state === 'critical') was.severity = 'critical';
      continue;
    }
    if (was) {
      was.to = at;
      open.delete(key);
      done.push(was);
    }
    if (problem(c.to_state)) open.set(key, { findingId: c.finding_id ?? '', subject: c.subject ?? '', title: c.title ?? '', severity: c.to_state!, from: at, to: null });
  }
  const fromIso = new Date(fromMs).toISOString();
  return [...done, ...open.values()].filter((p) => p.to === null || p.to >= fromIso).sort((a, b) => a.from.localeCompare(b.from));
}
