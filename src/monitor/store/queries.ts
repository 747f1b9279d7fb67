// Reads of the store for the API, `history` and the scheduler's restart, plus retention.
// Both dialects: only portable SQL (no JSON functions); JSON is parsed here.
import type { Kysely } from 'kysely';
import type { Report } from '../../core/report.js';
import type { DB } from './schema.js';

export interface RunSummary { id: number; target: string; startedAt: string; durationMs: number; status: string; exitCode: number; trigger: string; counts: Record<string, number> }

function summary(r: DB['runs'] extends infer T ? { [K in keyof T]: any } : never): RunSummary {
  return { id: Number(r.id), target: r.target, startedAt: new Date(Number(r.started_ms)).toISOString(), durationMs: r.duration_ms, status: r.status, exitCode: r.exit_code, trigger: r.trigger, counts: JSON.parse(r.counts) };
}

export async function targetStates(db: Kysely<DB>) {
  return db.selectFrom('target_state').selectAll().execute();
}

/** When each target's last stored run started (the schedule resumes from it after a restart). */
export async function lastRunStarts(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('target_state').innerJoin('runs', 'runs.id', 'target_state.last_run_id')
    .select(['target_state.target as target', 'runs.started_ms as started_ms']).execute();
  return new Map(rows.map((r) => [r.target, Number(r.started_ms)]));
}

export async function latestReport(db: Kysely<DB>, target: string): Promise<{ run: RunSummary; report: Report | null } | undefined> {
  const r = await db.selectFrom('runs').selectAll().where('target', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? { run: summary(r), report: r.report ? JSON.parse(r.report) : null } : undefined;
}

export async function listRuns(db: Kysely<DB>, target: string, o: { sinceMs?: number; untilMs?: number; limit: number; before?: number }): Promise<RunSummary[]> {
  let q = db.selectFrom('runs').select(['id', 'target', 'started_ms', 'duration_ms', 'status', 'exit_code', 'trigger', 'counts']).where('target', '=', target);
  if (o.sinceMs !== undefined) q = q.where('started_ms', '>=', o.sinceMs);
  if (o.untilMs !== undefined) q = q.where('started_ms', '<', o.untilMs);
  if (o.before !== undefined) q = q.where('id', '<', o.before);
  const rows = await q.orderBy('id', 'desc').limit(o.limit).execute();
  return rows.map((r) => summary({ ...r, report: null, job_id: null }));
}

export async function getRun(db: Kysely<DB>, id: number): Promise<{ run: RunSummary; report: Report | null } | undefined> {
  const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { run: summary(r), report: r.report ? JSON.parse(r.report) : null } : undefined;
}

export async function listChanges(db: Kysely<DB>, target: string, o: { sinceMs?: number; untilMs?: number; limit: number; kind?: 'status' | 'finding' }) {
  let q = db.selectFrom('changes').selectAll().where('target', '=', target);
  if (o.sinceMs !== undefined) q = q.where('at_ms', '>=', o.sinceMs);
  if (o.untilMs !== undefined) q = q.where('at_ms', '<', o.untilMs);
  if (o.kind) q = q.where('kind', '=', o.kind);
  const rows = await q.orderBy('id', 'desc').limit(o.limit).execute();
  return rows.map((c) => ({
    at: new Date(Number(c.at_ms)).toISOString(), runId: c.run_id, kind: c.kind,
    ...(c.kind === 'finding' ? { findingId: c.finding_id, subject: c.subject, title: c.title } : {}),
    from: c.from_state, to: c.to_state,
  }));
}

export async function listIncidents(db: Kysely<DB>, o: { target?: string; state?: 'open' | 'closed' | 'all'; sinceMs?: number; untilMs?: number; limit: number; nowMs: number }) {
  let q = db.selectFrom('incidents').selectAll();
  if (o.target) q = q.where('target', '=', o.target);
  if (o.state === 'open') q = q.where('ended_ms', 'is', null);
  if (o.state === 'closed') q = q.where('ended_ms', 'is not', null);
  if (o.sinceMs !== undefined) q = q.where((eb) => eb.or([eb('ended_ms', 'is', null), eb('ended_ms', '>=', o.sinceMs!)]));
  if (o.untilMs !== undefined) q = q.where('started_ms', '<', o.untilMs);
  const rows = await q.orderBy('started_ms', 'desc').limit(o.limit).execute();
  return rows.map((i) => ({
    id: i.id, target: i.target, startedAt: new Date(Number(i.started_ms)).toISOString(),
    endedAt: i.ended_ms == null ? null : new Date(Number(i.ended_ms)).toISOString(),
    durationSeconds: Math.round(((i.ended_ms == null ? o.nowMs : Number(i.ended_ms)) - Number(i.started_ms)) / 1000),
    open: i.ended_ms == null,
    cause: i.cause_id ? { findingId: i.cause_id, title: i.cause_title } : null,
    startRunId: i.start_run_id, endRunId: i.end_run_id,
  }));
}

export interface AvailabilityFigures { upSeconds: number; downSeconds: number; unknownSeconds: number; availability: number | null; incidents: number; mttrSeconds: number | null }

/** Up/down/unknown time and incidents of a target between two times (whole UTC days). */
export async function availabilityBetween(db: Kysely<DB>, target: string, fromMs: number, toMs: number): Promise<AvailabilityFigures> {
  const rows = await db.selectFrom('availability').selectAll().where('target', '=', target)
    .where('day', '>=', Math.floor(fromMs / 1000)).where('day', '<', Math.ceil(toMs / 1000)).execute();
  let up = 0, down = 0, unknown = 0;
  for (const r of rows) { up += Number(r.up_ms); down += Number(r.down_ms); unknown += Number(r.unknown_ms); }
  const ended = await db.selectFrom('incidents').select(['started_ms', 'ended_ms']).where('target', '=', target)
    .where('ended_ms', '>=', fromMs).where('ended_ms', '<', toMs).execute();
  const started = await db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).where('target', '=', target)
    .where('started_ms', '>=', fromMs).where('started_ms', '<', toMs).executeTakeFirst();
  const mttr = ended.length ? ended.reduce((s, i) => s + (Number(i.ended_ms) - Number(i.started_ms)), 0) / ended.length / 1000 : null;
  return {
    upSeconds: Math.round(up / 1000), downSeconds: Math.round(down / 1000), unknownSeconds: Math.round(unknown / 1000),
    availability: up + down ? up / (up + down) : null,
    incidents: Number(started?.n ?? 0), mttrSeconds: mttr === null ? null : Math.round(mttr),
  };
}

export async function seriesPoints(db: Kysely<DB>, target: string, metric: string, step: string, sinceS: number, untilS: number) {
  const rows = await db.selectFrom('series').selectAll().where('target', '=', target).where('metric', '=', metric).where('step', '=', step)
    .where('t', '>=', sinceS).where('t', '<', untilS).orderBy('t').execute();
  return {
    t: rows.map((r) => Number(r.t)), avg: rows.map((r) => r.sum / r.count), min: rows.map((r) => r.min), max: rows.map((r) => r.max), count: rows.map((r) => r.count),
  };
}

export interface Retention { minute: number; hour: number; day: number; reports: number }

/** Drop minute/hour/day points and report bodies past their retention (summaries stay). */
export async function prune(db: Kysely<DB>, r: Retention, nowMs: number): Promise<void> {
  for (const [step, keep] of [['minute', r.minute], ['hour', r.hour], ['day', r.day]] as const) {
    await db.deleteFrom('series').where('step', '=', step).where('t', '<', Math.floor((nowMs - keep) / 1000)).execute();
  }
  await db.updateTable('runs').set({ report: null }).where('started_ms', '<', nowMs - r.reports).where('report', 'is not', null).execute();
  await db.deleteFrom('runs').where('started_ms', '<', nowMs - r.day).execute();
  await db.deleteFrom('changes').where('at_ms', '<', nowMs - r.day).execute();
  await db.deleteFrom('availability').where('day', '<', Math.floor((nowMs - r.day) / 1000)).execute();
}
