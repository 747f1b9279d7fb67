// Child process for the durability test: stores runs as fast as it can and prints the id
// of each one after its transaction committed, until it is killed.
import { openStoreDb } from '../../src/monitor/store/open.js';
import { recordRun } from '../../src/monitor/store/record-run.js';

const store = await openStoreDb({ path: process.argv[2]! });
for (let i = 0; ; i++) {
  const at = Date.parse('2026-12-07T00:00:00Z') + i * 1000;
  const target = `t${i % 5}.test`;
  const status = i % 7 === 0 ? 'critical' : 'ok';
  const { id } = await recordRun(store.db, {
    target, intervalMs: 60_000, trigger: 'schedule', endedMs: at,
    report: { schema: 'mxdoctor.report/v1', target, kind: 'domain', status, exitCode: 0, startedAt: new Date(at).toISOString(), durationMs: 5, findings: [{ id: `f.${i % 3}`, severity: status, title: 'x'.repeat(200), area: 'MX', check: 'mx' }], checks: [], ignored: {} },
  });
  process.stdout.write(`${id}\n`);
}
