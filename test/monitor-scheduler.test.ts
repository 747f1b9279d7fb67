// The scheduler under a fake clock: intervals with jitter, no overlapping runs of one target,
// the concurrency limit, the per-run deadline firing the signal, back-off of a failing
// target, check-now returning the run in flight, and a reload keeping state.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from '../src/monitor/scheduler.js';
import type { RunOutcome } from '../src/monitor/scheduler.js';
import { FakeTimers } from './helpers/fake-timers.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('monitor scheduler (fake clock)', () => {
  test('each target runs every interval; jitter delays within its bound', async () => {
    const timers = new FakeTimers();
    const runs: [string, number][] = [];
    const s = new Scheduler({
      timers, concurrency: 4, jitterMs: 10_000, timeoutMs: 30_000, maxBackoffMs: 600_000, random: () => 0.5,
      run: async (name) => { runs.push([name, timers.now()]); return { ok: true }; },
    });
    s.setTargets([{ name: 'a', intervalMs: 60_000 }, { name: 'b', intervalMs: 120_000 }]);
    s.start();
    await timers.advance(250_000);
    const at = (n: string) => runs.filter(([x]) => x === n).map(([, t]) => t);
    // first run after half the jitter (the target's phase), then exactly every interval: the
    // jitter is not added again each run, so a 60 s target runs 60 s apart, not 65 s
    assert.deepEqual(at('a'), [5000, 65_000, 125_000, 185_000, 245_000]);
    assert.deepEqual(at('b'), [5000, 125_000, 245_000]);
    await s.stop();
  });

  test('a slow run is never overlapped by the next; the concurrency limit holds', async () => {
    const timers = new FakeTimers();
    let inflight = 0;
    let maxInflight = 0;
    const perTarget = new Map<string, number>();
    let overlap = false;
    const s = new Scheduler({
      timers, concurrency: 2, jitterMs: 0, timeoutMs: 1_000_000, maxBackoffMs: 600_000,
      run: async (name, signal) => {
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        perTarget.set(name, (perTarget.get(name) ?? 0) + 1);
        if (perTarget.get(name)! > 1) overlap = true;
        await new Promise<void>((r) => { timers.set(r, 150_000); signal.addEventListener('abort', () => r()); }); // slower than the interval
        perTarget.set(name, perTarget.get(name)! - 1);
        inflight--;
        return { ok: true };
      },
    });
    s.setTargets(['a', 'b', 'c', 'd'].map((name) => ({ name, intervalMs: 60_000 })));
    s.start();
    await timers.advance(0);
    assert.equal(s.stats().running, 2);
    assert.equal(s.stats().queued, 2);
    await timers.advance(1_000_000);
    assert.equal(maxInflight, 2);
    assert.equal(overlap, false);
    await s.stop();
  });

  test('the deadline aborts the run\'s signal; a failing target backs off, then recovers', async () => {
    const timers = new FakeTimers();
    const starts: number[] = [];
    let fail = true;
    let aborted = 0;
    const s = new Scheduler({
      timers, concurrency: 1, jitterMs: 0, timeoutMs: 10_000, maxBackoffMs: 240_000,
      run: (_name, signal): Promise<RunOutcome> => {
        starts.push(timers.now());
        if (!fail) return Promise.resolve({ ok: true });
        return new Promise((resolve) => signal.addEventListener('abort', () => { aborted++; resolve({ ok: true }); }));
      },
    });
    s.setTargets([{ name: 'a', intervalMs: 60_000 }]);
    s.start();
    await timers.advance(500_000);
    // each run hangs until its 10 s deadline; then waits 2x, 4x the interval, capped at 240 s
    assert.deepEqual(starts, [0, 120_000, 360_000]);
    assert.equal(aborted, 3);
    assert.equal(s.failures('a'), 3);
    const j = s.runNow('a')!;
    fail = false;
    await timers.advance(20_000);
    assert.equal(j.state, 'cancelled', 'the check-now run started while failing still hit its deadline');
    await timers.advance(600_000);
    assert.equal(s.failures('a'), 0, 'a successful run resets the back-off');
    await s.stop();
  });

  test('check now: runs at once, returns the job in flight instead of a second run', async () => {
    const timers = new FakeTimers();
    const gate = deferred<void>();
    let runs = 0;
    const s = new Scheduler({
      timers, concurrency: 1, jitterMs: 0, timeoutMs: 1_000_000, maxBackoffMs: 1, random: () => 0,
      run: async () => { runs++; await gate.promise; return { ok: true, runId: 42 }; },
    });
    s.setTargets([{ name: 'a', intervalMs: 3_600_000 }]);
    s.start();
    await timers.advance(0);
    assert.equal(runs, 1, 'the first run starts at once with jitter 0');
    gate.resolve();
    await timers.advance(1000);
    const j1 = s.runNow('a')!;
    const j2 = s.runNow('a')!;
    assert.equal(j1, j2);
    await timers.advance(0);
    assert.equal(runs, 2);
    assert.equal(j1.state, 'done');
    assert.equal(j1.runId, 42);
    assert.equal(s.runNow('nosuch'), undefined);
    await s.stop();
  });

  test('reload: removed targets stop, kept targets keep their back-off, new ones start', async () => {
    const timers = new FakeTimers();
    const seen: string[] = [];
    const s = new Scheduler({
      timers, concurrency: 4, jitterMs: 0, timeoutMs: 1000, maxBackoffMs: 3_600_000,
      run: async (name) => { seen.push(name); return { ok: name !== 'keep' }; },
    });
    s.setTargets([{ name: 'keep', intervalMs: 60_000 }, { name: 'drop', intervalMs: 60_000 }]);
    s.start();
    await timers.advance(1000);
    assert.equal(s.failures('keep'), 1);
    s.setTargets([{ name: 'keep', intervalMs: 60_000 }, { name: 'new', intervalMs: 60_000 }]);
    seen.length = 0;
    await timers.advance(200_000);
    assert.ok(!seen.includes('drop'));
    assert.ok(seen.includes('new'));
    assert.equal(s.failures('keep'), 2, 'the back-off count survived the reload');
    await s.stop();
  });
});

describe('a run past its deadline', () => {
  test('is stored as unknown (monitor.run-deadline naming the families still running), and counts as not checked', async () => {
    const { executeTarget } = await import('../src/monitor/execute.js');
    const { failedToCheck } = await import('../src/monitor/monitor.js');
    const { contextFactory } = await import('../src/context.js');
    const { DEFAULT_MODULE } = await import('../src/config/serve-resolve.js');
    const hanging = { query: () => new Promise<never>(() => {}) };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const r = await executeTarget({ name: 'slow.test', kind: 'domain', address: 'slow.test', module: 'm', intervalMs: 60_000, logFiles: [] }, { ...DEFAULT_MODULE, families: ['mx', 'spf'] }, {
      context: contextFactory(hanging, { loopbackOnly: true }), timeoutMs: 60_000, signal: ctl.signal,
    });
    assert.equal(r.status, 'unknown');
    assert.equal(r.target, 'slow.test');
    const f = r.findings.find((x) => x.id === 'monitor.run-deadline');
    assert.ok(f);
    assert.match(f!.detail!, /mx, spf|spf, mx/);
    assert.equal(failedToCheck(r), true);
  });
});
