// `report --from-store`: the history of each target over a period read from the store of
// serve (SQLite or PostgreSQL), plus the latest report body kept, for the report renderers.
// A store that does not exist is not created: reading history must not leave an empty file.
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import type { StoreHistory, TargetHistory } from '../report/history-model.js';
import { openStoreDb } from './store/open.js';
import type { StoreDb, StoreLocation } from './store/open.js';
import { availabilityBetween, listIncidents, seriesPoints, targetStates } from './store/queries.js';
import { availabilityDays, dayString, findingPeriods, latestStoredReport, runSpan } from './store/report-queries.js';

export interface StoreHistoryOptions {
  sinceMs: number;
  nowMs: number;
  /** Only these targets (as serve names them); default all targets the store knows. */
  targets?: string[];
}

const DAY_MS = 86_400_000;

export async function readStoreHistory(loc: StoreLocation, o: StoreHistoryOptions): Promise<{ history: StoreHistory; reports: Report[] }> {
  const name = loc.url ? loc.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@') : loc.path ?? '';
  if (!loc.url && (!loc.path || loc.path === ':memory:' || !existsSync(loc.path))) {
    throw new UsageError(`--store ${loc.path ?? ''}: no such store; give the SQLite file serve writes (store.path in its config) or a postgres:// URL`);
  }
  let store: StoreDb;
  try {
    store = await openStoreDb(loc);
  } catch (e) {
    throw new UsageError(`store ${name}: cannot open it (${oneLine(e)}); is it the store serve writes?`);
  }
  try {
    const known = (await targetStates(store.db)).map((t) => t.target).sort();
    if (!known.length) throw new UsageError(`store ${name}: no runs stored yet; start mxdoctor serve with this store, or give the store it writes`);
    const unknown = (o.targets ?? []).filter((t) => !known.includes(t));
    if (unknown.length) throw new UsageError(`--target ${unknown[0]}: not in the store; it holds ${known.slice(0, 10).join(', ')}${known.length > 10 ? ` and ${known.length - 10} more` : ''}`);
    // Availability is kept per UTC day: the period starts at the beginning of the since day.
    const since = Math.floor(o.sinceMs / DAY_MS) * DAY_MS;
    const targets: TargetHistory[] = [];
    const reports: Report[] = [];
    for (const target of o.targets?.length ? o.targets : known) {
      const { history, latest } = await targetHistory(store, target, since, o.nowMs);
      targets.push(history);
      if (latest) reports.push(latest);
    }
    return { history: { since: new Date(since).toISOString(), until: new Date(o.nowMs).toISOString(), store: name, targets }, reports };
  } finally {
    await store.close();
  }
}

async function targetHistory(store: StoreDb, target: string, since: number, now: number): Promise<{ history: TargetHistory; latest: Report | null }> {
  const db = store.db;
  const [span, period, days, incidents, state, cert, lists, certPeriods, listed, latest] = await Promise.all([
    runSpan(db, target, since, now),
    availabilityBetween(db, target, since, now),
    availabilityDays(db, target, since, now),
    listIncidents(db, { target, state: 'all', sinceMs: since, untilMs: now, limit: 1000, nowMs: now }),
    db.selectFrom('target_state').selectAll().where('target', '=', target).executeTakeFirst(),
    seriesPoints(db, target, 'cert_days_left', 'day', since / 1000, Math.ceil(now / 1000)),
    seriesPoints(db, target, 'dnsbl_listed', 'day', since / 1000, Math.ceil(now / 1000)),
    findingPeriods(db, target, ['cert.'], since, now),
    findingPeriods(db, target, ['dnsbl.listed'], since, now),
    latestStoredReport(db, target, now),
  ]);
  const history: TargetHistory = {
    target, runs: span.runs, firstRunAt: span.firstMs === null ? null : new Date(span.firstMs).toISOString(),
    lastRun: state?.last_run_ms != null ? { at: new Date(Number(state.last_run_ms)).toISOString(), status: state.status } : null,
    period, days,
    incidents: incidents.reverse().map((i) => ({ startedAt: i.startedAt, endedAt: i.endedAt, durationSeconds: i.durationSeconds, open: i.open, cause: i.cause })),
    certificate: { daysLeft: cert.t.map((t, i) => ({ day: dayString(t * 1000), value: cert.min[i]! })), periods: certPeriods },
    blacklist: { lists: lists.t.map((t, i) => ({ day: dayString(t * 1000), value: lists.max[i]! })), periods: listed },
    latestReportAt: latest?.startedAt ?? null,
  };
  return { history, latest };
}

function oneLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
}
