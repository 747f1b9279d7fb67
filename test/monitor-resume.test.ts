// After a restart the schedule resumes at the exact slot after the last stored run: not a
// whole interval late (a fresh start from "now"), not early, and after a long outage one run
// rather than a burst of catch-up runs. A fake clock drives two Monitors on one SQLite file.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateServeConfig } from '../src/config/serve-load.js';
import { Monitor } from '../src/monitor/monitor.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import { listRuns } from '../src/monitor/store/queries.js';
import { locator } from '../src/host/locate.js';
import type { HostIo } from '../src/services/queue.js';
import { fakeFs, fakeRunner, procFiles, space } from './fixtures/queue/fake-host.js';
import { FakeTimers } from './helpers/fake-timers.js';

const T0 = Date.parse('2026-12-08T10:00:00Z');
const MIN = 60_000;

const POSTCONF = 'postconf -x queue_directory smtpd_tls_cert_file smtpd_tls_eccert_file smtpd_tls_dcert_file smtpd_tls_chain_files maillog_file multi_instance_directories';

/** A Postfix host with an empty queue: every run is quick, stored, and not "could not check". */
function emptyQueueHost(): HostIo {
  const proc = procFiles({ 1: 'systemd', 1234: 'master' });
  const fs = fakeFs({
    files: { ...proc.files, '/var/spool/postfix/pid/master.pid': '  1234\n' }, dirs: proc.dirs,
    statfs: { '/var/spool/postfix': space(10) }, executables: ['/usr/sbin/postconf', '/usr/sbin/postqueue'],
  });
  const run = fakeRunner({ [POSTCONF]: { stdout: 'queue_directory = /var/spool/postfix\n' }, 'postqueue -j': { stdout: '' } });
  return { run, fs, clock: { now: () => 0 }, locate: locator(fs, '/usr/bin'), hostname: 'box.test' };
}

function config(jitter: string) {
  const v = validateServeConfig(`schedule: { interval: 5m, jitter: ${jitter} }\ntargets:\n  - local: true\n    name: box\n`, '/etc/mxdoctor/serve.yaml', { env: {}, readText: () => '' });
  assert.deepEqual(v.errors.map((e) => e.message), []);
  return v.config!;
}

async function session(file: string, timers: FakeTimers, jitter = '0s', random = () => 0) {
  const store = await openStoreDb({ path: file });
  const m = new Monitor(config(jitter), store, { contextFor: () => { throw new Error('not used'); }, timers, random, hostIo: emptyQueueHost });
  await m.start();
  return {
    m,
    async statuses() { return (await listRuns(store.db, 'box', { limit: 100 })).map((r) => r.status); },
    async runTimes() { return (await listRuns(store.db, 'box', { limit: 100 })).map((r) => Date.parse(r.startedAt) - T0).sort((a, b) => a - b); },
    async stop() { await m.stop(); await store.close(); },
  };
}

describe('serve: the schedule after a restart', () => {
  test('resumes at the slot after the last run: not a whole interval late, not early', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mxdoctor-resume-')), 'state.db');
    const timers = new FakeTimers(T0);
    const first = await session(file, timers);
    await timers.advance(5 * MIN + 1000);
    assert.deepEqual(await first.statuses(), ['ok', 'ok'], 'checkable runs (no back-off)');
    assert.deepEqual(await first.runTimes(), [0, 5 * MIN], 'at start and one interval later');
    await first.stop();

    timers.t = T0 + 7 * MIN; // restarted two minutes into the interval
    const second = await session(file, timers);
    assert.equal(second.m.scheduler.nextRunAt('box'), T0 + 10 * MIN, 'the next slot, not now and not now + 5 min');
    await timers.advance(3 * MIN - 1);
    assert.deepEqual(await second.runTimes(), [0, 5 * MIN], 'nothing ran early');
    await timers.advance(1);
    assert.deepEqual(await second.runTimes(), [0, 5 * MIN, 10 * MIN], 'ran at exactly the slot');
    await timers.advance(5 * MIN);
    assert.deepEqual(await second.runTimes(), [0, 5 * MIN, 10 * MIN, 15 * MIN], 'and keeps the cadence');
    await second.stop();
  });

  test('after an outage of several intervals: one run at once, then the cadence; no catch-up burst', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mxdoctor-resume-')), 'state.db');
    const timers = new FakeTimers(T0);
    const first = await session(file, timers);
    await timers.advance(1000);
    await first.stop();

    timers.t = T0 + 23 * MIN; // down for four and a half slots
    const second = await session(file, timers);
    await timers.advance(4 * MIN);
    assert.deepEqual(await second.runTimes(), [0, 23 * MIN], 'one run for all the missed slots');
    await timers.advance(1 * MIN);
    assert.deepEqual(await second.runTimes(), [0, 23 * MIN, 28 * MIN]);
    await second.stop();
  });

  test('with jitter the resumed run falls within the jitter after the slot', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mxdoctor-resume-')), 'state.db');
    const timers = new FakeTimers(T0);
    const first = await session(file, timers, '20s', () => 0);
    await timers.advance(1000);
    await first.stop();
    timers.t = T0 + 1 * MIN;
    const second = await session(file, timers, '20s', () => 0.5);
    assert.equal(second.m.scheduler.nextRunAt('box'), T0 + 5 * MIN + 10_000, 'the slot plus this start\'s jitter (half of 20 s)');
    await second.stop();
  });
});
