// Three `serve` instances on one real PostgreSQL with the shared job queue (pg-boss): every
// due run of every target is stored exactly once across the fleet, also when one instance is
// killed with SIGKILL in the middle (its jobs expire and another instance runs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startLab } from '../src/lab/lab.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import { slotJobId } from '../src/monitor/fleet.js';
import { alignedDue } from '../src/monitor/scheduler.js';
import { BIN } from './helpers/cli.js';
import { startPostgres } from './helpers/postgres.js';

const pg = await startPostgres();
const INTERVAL = 2000;
const JITTER = 1000;
const TARGETS = ['healthy.test', 'dmarc-none.test', 'no-ptr.test', 'spf-plusall.test'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('three instances on one PostgreSQL: no run lost or doubled when one is killed', { skip: pg ? false : 'PostgreSQL is not installed (test/lab/install-postgres.sh installs it; CI runs it)', timeout: 240_000 }, async () => {
  const lab = await startLab();
  const dir = mkdtempSync('/tmp/mxdoctor-fleet-');
  writeFileSync(`${dir}/serve.yaml`, `listen: { address: "127.0.0.1:0" }
store: { url: "${pg!.url}", queue: true, queue_poll: 500ms, queue_maintenance: 1s }
schedule: { interval: 2s, jitter: 1s, timeout: 4s, concurrency: 2 }
modules:
  default: { families: [mx], resolver: "${lab.resolver.host}:${lab.resolver.port}", dns_timeout: 1s }
targets:
${TARGETS.map((t) => `  - domain: ${t}`).join('\n')}
`);
  const procs: { p: ChildProcess; err: string }[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const entry = { p: spawn(process.execPath, [BIN, 'serve', '--config', `${dir}/serve.yaml`], { env: { ...process.env, NO_COLOR: '1' } }), err: '' };
      entry.p.stderr!.on('data', (d) => { entry.err += d; });
      procs.push(entry);
    }
    const deadline = Date.now() + 90_000;
    while (!procs.every((e) => /listening on/.test(e.err))) {
      assert.ok(Date.now() < deadline, `instances did not start: ${procs.map((e) => e.err).join('\n---\n')}`);
      assert.ok(procs.every((e) => e.p.exitCode === null), procs.map((e) => e.err).join('\n---\n'));
      await sleep(200);
    }
    const t0 = Date.now();
    await sleep(8000);
    procs[1]!.p.kill('SIGKILL');
    const tKill = Date.now();
    await sleep(16_000);
    const tEnd = Date.now();
    for (const e of [procs[0]!, procs[2]!]) e.p.kill('SIGTERM');
    await Promise.all([procs[0]!, procs[2]!].map((e) => new Promise((r) => (e.p.exitCode !== null ? r(null) : e.p.on('exit', r)))));

    const store = await openStoreDb({ url: pg!.url });
    try {
      const rows = await store.db.selectFrom('runs').select(['target', 'job_id']).execute();
      const byJob = new Map<string, number>();
      for (const r of rows) byJob.set(String(r.job_id), (byJob.get(String(r.job_id)) ?? 0) + 1);
      assert.ok([...byJob.values()].every((n) => n === 1), 'no job stored twice');
      // Every slot due while the fleet ran (with margins for start-up and for the retry of the
      // killed instance's jobs) has its run, exactly once.
      let expected = 0;
      const missing: string[] = [];
      for (const t of TARGETS) {
        for (let due = alignedDue(t, INTERVAL, JITTER, t0 + 1000); due < tEnd - 9000; due += INTERVAL) {
          expected++;
          const n = byJob.get(slotJobId(t, due)) ?? 0;
          if (n !== 1) missing.push(`${t}@${new Date(due).toISOString()} (${due - tKill} ms after the kill): ${n}`);
        }
      }
      assert.ok(expected >= 4 * 6, `window too short: ${expected}`);
      assert.deepEqual(missing, [], `runs lost: ${missing.join(', ')}`);
      const killedTook = procs[1]!.err;
      assert.ok(/listening on/.test(killedTook));
    } finally {
      await store.close();
    }
  } finally {
    for (const e of procs) if (e.p.exitCode === null) e.p.kill('SIGKILL');
    await lab.close();
    pg!.stop();
  }
});
