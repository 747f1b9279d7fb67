// Stores one run in one transaction: the run with its full report, the findings that
// changed (appeared, changed severity, went away), the status change, the incident opened
// or closed, the time-series samples and the availability time. Either all or nothing.
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Report } from '../../core/report.js';
import { worstSeverity } from '../../core/finding.js';
import { countsBySeverity, runSamples, upState } from '../report-facts.js';
import type { DB } from './schema.js';

export interface RunToStore {
  target: string;
  intervalMs: number;
  trigger: 'schedule' | 'manual' | 'once';
  report: Report;
  /** When the run ended (the time its status starts to hold). */
  endedMs: number;
  /** The shared queue's job (fleet mode): a job is stored once even when retried. */
  jobId?: string;
}

export interface StoredRun { duplicate?: boolean; id: number; statusChanged: boolean; previousStatus: string | null; incidentOpened: boolean; incidentClosed: boolean }

const STEPS: [string, number][] = [['minute', 60], ['hour', 3600], ['day', 86400]];

export async function recordRun(db: Kysely<DB>, run: RunToStore): Promise<StoredRun> {
  return db.transaction().execute((trx) => recordIn(trx, run));
}

async function recordIn(trx: Transaction<DB>, run: RunToStore): Promise<StoredRun> {
  const { report: r, target } = run;
  const at = run.endedMs;
  if (run.jobId) {
    const had = await trx.selectFrom('runs').select('id').where('job_id', '=', run.jobId).executeTakeFirst();
    if (had) return { duplicate: true, id: Number(had.id), statusChanged: false, previousStatus: null, incidentOpened: false, incidentClosed: false };
  }
  const { id } = await trx.insertInto('runs').values({
    job_id: run.jobId ?? null,
    target, started_ms: Date.parse(r.startedAt), duration_ms: r.durationMs, status: r.status, exit_code: r.exitCode,
    trigger: run.trigger, counts: JSON.stringify(countsBySeverity(r)), report: JSON.stringify(r),
  }).returning('id').executeTakeFirstOrThrow();

  await recordFindingChanges(trx, target, id, at, r);
  const prev = await trx.selectFrom('target_state').selectAll().where('target', '=', target).executeTakeFirst();
  const statusChanged = !prev || prev.status !== r.status;
  if (statusChanged) {
    await trx.insertInto('changes').values({ target, run_id: id, at_ms: at, kind: 'status', finding_id: null, subject: null, from_state: prev?.status ?? null, to_state: r.status, title: null }).execute();
  }
  const failures = r.status === 'unknown' ? (prev?.failures ?? 0) + 1 : 0;
  const state = { status: r.status, since_ms: statusChanged ? at : prev!.since_ms, last_run_id: id, last_run_ms: at, failures };
  if (prev) await trx.updateTable('target_state').set(state).where('target', '=', target).execute();
  else await trx.insertInto('target_state').values({ target, ...state }).execute();

  // Incidents record what was measured: down opens one, up closes it, unknown changes nothing.
  const up = upState(r.status);
  const open = await trx.selectFrom('incidents').select(['id']).where('target', '=', target).where('ended_ms', 'is', null).executeTakeFirst();
  let incidentOpened = false;
  let incidentClosed = false;
  if (up === 'down' && !open) {
    const cause = r.findings.find((f) => f.severity === 'critical');
    await trx.insertInto('incidents').values({ target, started_ms: at, ended_ms: null, start_run_id: id, end_run_id: null, cause_id: cause?.id ?? null, cause_title: cause?.title ?? null }).execute();
    incidentOpened = true;
  } else if (up === 'up' && open) {
    await trx.updateTable('incidents').set({ ended_ms: at, end_run_id: id }).where('id', '=', open.id).execute();
    incidentClosed = true;
  }

  if (prev?.last_run_ms != null) await addAvailability(trx, target, prev.last_run_ms, at, upState(prev.status), run.intervalMs);
  for (const [metric, value] of Object.entries(runSamples(r))) await addSample(trx, target, metric, at, value);
  return { id, statusChanged, previousStatus: prev?.status ?? null, incidentOpened, incidentClosed };
}

function findingKey(f: { id: string; subject?: string }): string {
  return `${f.id}|${f.subject ?? ''}`;
}

async function recordFindingChanges(trx: Transaction<DB>, target: string, runId: number, at: number, r: Report): Promise<void> {
  const now = new Map<string, { id: string; subject: string; severity: string; title: string }>();
  for (const f of r.findings) {
    const key = findingKey(f);
    const had = now.get(key);
    // One finding id can repeat for one subject: keep the worst.
    if (!had || worstSeverity([had.severity as never, f.severity]) === f.severity) now.set(key, { id: f.id, subject: f.subject ?? '', severity: f.severity, title: f.title });
  }
  const before = await trx.selectFrom('current_findings').selectAll().where('target', '=', target).execute();
  const old = new Map(before.map((b) => [b.key, b]));
  for (const [key, f] of now) {
    const b = old.get(key);
    if (b && b.severity === f.severity) continue;
    await trx.insertInto('changes').values({ target, run_id: runId, at_ms: at, kind: 'finding', finding_id: f.id, subject: f.subject, from_state: b?.severity ?? null, to_state: f.severity, title: f.title }).execute();
    if (b) await trx.updateTable('current_findings').set({ severity: f.severity, title: f.title, since_ms: at }).where('target', '=', target).where('key', '=', key).execute();
    else await trx.insertInto('current_findings').values({ target, key, finding_id: f.id, subject: f.subject, severity: f.severity, title: f.title, since_ms: at }).execute();
  }
  for (const [key, b] of old) {
    if (now.has(key)) continue;
    await trx.insertInto('changes').values({ target, run_id: runId, at_ms: at, kind: 'finding', finding_id: b.finding_id, subject: b.subject, from_state: b.severity, to_state: null, title: b.title }).execute();
    await trx.deleteFrom('current_findings').where('target', '=', target).where('key', '=', key).execute();
  }
}

async function addSample(trx: Transaction<DB>, target: string, metric: string, atMs: number, value: number): Promise<void> {
  for (const [step, secs] of STEPS) {
    const t = Math.floor(atMs / 1000 / secs) * secs;
    await trx.insertInto('series').values({ target, metric, step, t, count: 1, sum: value, min: value, max: value })
      .onConflict((oc) => oc.columns(['target', 'metric', 'step', 't']).doUpdateSet({
        count: sql`series.count + 1`,
        sum: sql`series.sum + excluded.sum`,
        min: sql`CASE WHEN excluded.min < series.min THEN excluded.min ELSE series.min END`,
        max: sql`CASE WHEN excluded.max > series.max THEN excluded.max ELSE series.max END`,
      })).execute();
  }
}

/**
 * The previous status held from the previous run until this one, for at most two intervals:
 * beyond that nobody looked (the daemon was down, runs were stuck), which is unknown time.
 */
async function addAvailability(trx: Transaction<DB>, target: string, fromMs: number, toMs: number, state: 'up' | 'down' | 'unknown', intervalMs: number): Promise<void> {
  if (toMs <= fromMs) return;
  const knownUntil = state === 'unknown' ? fromMs : Math.min(toMs, fromMs + 2 * intervalMs);
  const pieces: [number, number, 'up' | 'down' | 'unknown'][] = [[fromMs, knownUntil, state], [knownUntil, toMs, 'unknown']];
  for (const [a0, b, s] of pieces) {
    let a = a0;
    while (a < b) {
      const day = Math.floor(a / 86_400_000) * 86_400;
      const end = Math.min(b, (day + 86_400) * 1000);
      const ms = end - a;
      const row = { target, day, up_ms: s === 'up' ? ms : 0, down_ms: s === 'down' ? ms : 0, unknown_ms: s === 'unknown' ? ms : 0 };
      await trx.insertInto('availability').values(row).onConflict((oc) => oc.columns(['target', 'day']).doUpdateSet({
        up_ms: sql`availability.up_ms + excluded.up_ms`,
        down_ms: sql`availability.down_ms + excluded.down_ms`,
        unknown_ms: sql`availability.unknown_ms + excluded.unknown_ms`,
      })).execute();
      a = end;
    }
  }
}
