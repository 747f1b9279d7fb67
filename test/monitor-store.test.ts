// The store on SQLite (and on a real PostgreSQL when test/lab/postgres.sh can start one):
// findings kept as changes, status changes, incidents opened and closed, availability with
// unknown time left out, series rollups, retention.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Report, ReportedFinding } from '../src/core/report.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import type { StoreDb } from '../src/monitor/store/open.js';
import { recordRun } from '../src/monitor/store/record-run.js';
import { availabilityBetween, getRun, listChanges, listIncidents, listRuns, prune, seriesPoints } from '../src/monitor/store/queries.js';
import { startPostgres } from './helpers/postgres.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;

function report(status: Report['status'], findings: Partial<ReportedFinding>[], at: number, durationMs = 800): Report {
  return {
    schema: 'mxdoctor.report/v1', target: 'a.test', kind: 'domain', status, exitCode: 0, startedAt: new Date(at - durationMs).toISOString(), durationMs,
    findings: findings.map((f) => ({ id: 'x.y', severity: 'ok', title: 't', area: 'MX', check: 'mx', ...f }) as ReportedFinding),
    checks: [{ check: 'mx', area: 'MX', durationMs, status }], ignored: {},
  };
}

async function exercise(store: StoreDb) {
  const db = store.db;
  const rec = (status: Report['status'], findings: Partial<ReportedFinding>[], at: number) => recordRun(db, { target: 'a.test', intervalMs: MIN, trigger: 'schedule', report: report(status, findings, at), endedMs: at });
  const ok = [{ id: 'mx.ok', severity: 'ok' as const, title: 'MX fine' }];
  const down = [...ok, { id: 'smtp.unreachable', severity: 'critical' as const, title: 'no SMTP', subject: 'mx1' }];
  const r1 = await rec('ok', ok, T0);
  const r2 = await rec('ok', ok, T0 + MIN);
  const r3 = await rec('critical', down, T0 + 2 * MIN);
  await rec('critical', down, T0 + 3 * MIN);
  await rec('unknown', [{ id: 'run.check-timeout', severity: 'unknown', title: 'timeout' }], T0 + 4 * MIN);
  const r6 = await rec('ok', ok, T0 + 5 * MIN);
  // the daemon was away for an hour: that hour is unknown, not up
  await rec('ok', ok, T0 + 65 * MIN);
  assert.equal(r1.statusChanged, true);
  assert.equal(r2.statusChanged, false);
  assert.equal(r3.incidentOpened, true);
  assert.equal(r6.incidentClosed, true);

  const changes = await listChanges(db, 'a.test', { limit: 100 });
  const findingChanges = changes.filter((c) => c.kind === 'finding').reverse();
  // mx.ok appears once (not once per run); smtp.unreachable appears, goes (unknown run), mx.ok goes and comes back
  assert.deepEqual(findingChanges.map((c) => [c.findingId, c.from, c.to]), [
    ['mx.ok', null, 'ok'],
    ['smtp.unreachable', null, 'critical'],
    ['run.check-timeout', null, 'unknown'],
    ['mx.ok', 'ok', null],
    ['smtp.unreachable', 'critical', null],
    ['mx.ok', null, 'ok'],
    ['run.check-timeout', 'unknown', null],
  ]);
  assert.deepEqual(changes.filter((c) => c.kind === 'status').reverse().map((c) => [c.from, c.to]), [[null, 'ok'], ['ok', 'critical'], ['critical', 'unknown'], ['unknown', 'ok']]);

  const inc = await listIncidents(db, { target: 'a.test', state: 'all', limit: 10, nowMs: T0 + 65 * MIN });
  assert.equal(inc.length, 1);
  assert.equal(inc[0]!.open, false);
  assert.equal(inc[0]!.durationSeconds, 180, 'the incident lasted from the first down run to the first up run (the unknown run did not end it)');
  assert.deepEqual(inc[0]!.cause, { findingId: 'smtp.unreachable', title: 'no SMTP' });

  const a = await availabilityBetween(db, 'a.test', T0, T0 + 86_400_000);
  // up: 0-2 min and 5-7 min (two intervals after the last run, then unknown); down: 2-4 min; unknown: 4-5 and 7-65
  assert.equal(a.upSeconds, 4 * 60);
  assert.equal(a.downSeconds, 2 * 60);
  assert.equal(a.unknownSeconds, 59 * 60);
  assert.equal(a.availability, 4 / 6);
  assert.equal(a.incidents, 1);
  assert.equal(a.mttrSeconds, 180);

  const s = await seriesPoints(db, 'a.test', 'up', 'minute', T0 / 1000, T0 / 1000 + 7200);
  assert.deepEqual(s.avg, [1, 1, 0, 0, 1, 1], 'the unknown run adds no up/down point');
  const h = await seriesPoints(db, 'a.test', 'check_duration_seconds', 'hour', T0 / 1000, T0 / 1000 + 7200);
  assert.deepEqual(h.count, [6, 1]);
  assert.equal(Math.round(h.avg[0]! * 1000) / 1000, 0.8);

  const runs = await listRuns(db, 'a.test', { limit: 3 });
  assert.equal(runs.length, 3);
  assert.ok(runs[0]!.id > runs[1]!.id);
  const full = await getRun(db, r3.id);
  assert.equal(full!.report!.findings.length, 2);
  assert.equal(full!.run.counts.critical, 1);

  // retention: report bodies go after `reports`, minute points after `minute`
  await prune(db, { minute: 30 * MIN, hour: 86_400_000, day: 10 * 86_400_000, reports: 30 * MIN }, T0 + 65 * MIN);
  assert.equal((await getRun(db, r3.id))!.report, null, 'old report bodies are dropped, the summary stays');
  assert.deepEqual((await seriesPoints(db, 'a.test', 'up', 'minute', T0 / 1000, T0 / 1000 + 7200)).avg, [1]);
  assert.equal((await seriesPoints(db, 'a.test', 'up', 'hour', T0 / 1000, T0 / 1000 + 7200)).count.length, 2);
}

describe('monitor store: SQLite', () => {
  test('changes, incidents, availability, series and retention', async () => {
    const store = await openStoreDb({ path: ':memory:' });
    try {
      await exercise(store);
    } finally {
      await store.close();
    }
  });

  test('reopening a file store keeps its data and does not re-run migrations', async () => {
    const { mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/mxdoctor-store-');
    const first = await openStoreDb({ path: `${dir}/s.db` });
    await recordRun(first.db, { target: 'b.test', intervalMs: MIN, trigger: 'manual', report: report('ok', [], T0), endedMs: T0 });
    await first.close();
    const second = await openStoreDb({ path: `${dir}/s.db` });
    assert.equal((await listRuns(second.db, 'b.test', { limit: 5 })).length, 1);
    await second.close();
  });
});

describe('monitor store: PostgreSQL', async () => {
  const pg = await startPostgres();
  after(() => pg?.stop());
  test('the same queries on a real PostgreSQL', { skip: pg ? false : 'PostgreSQL is not installed (test/lab/install-postgres.sh installs it; CI runs it)' }, async () => {
    const store = await openStoreDb({ url: pg!.url });
    try {
      await exercise(store);
    } finally {
      await store.close();
    }
  });
});
