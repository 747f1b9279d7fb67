// The load engine against an in-process SMTP server scripted to behave like a loaded one:
// the counts, per-phase percentiles, PIPELINING and reuse with RSET, 421 at a connection
// limit and 451 deferrals (the throttling detector must fire), slow replies, a late
// greeting, cancellation. Thresholds are lowered instead of waiting for real slowness.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createNetClient } from '../src/io/net.js';
import { LatencyHistogram } from '../src/load/histogram.js';
import { LoadMessage } from '../src/load/message.js';
import { loadFacts } from '../src/load/facts.js';
import { judgeLoad } from '../src/load/judge.js';
import { runLoad } from '../src/load/run.js';
import type { LoadSettings } from '../src/load/types.js';
import { loadServer } from './helpers/load-server.js';

const settings = (port: number, o: Partial<LoadSettings> = {}): LoadSettings => ({
  host: '127.0.0.1', address: '127.0.0.1', port, security: 'none', concurrency: 2, sizeBytes: 2000, rcpts: 1, reuse: 1,
  from: 'load@mxdoctor.invalid', to: ['load@mxdoctor.invalid'], heloName: 'mxdoctor.invalid', stepTimeoutMs: 5000,
  ramp: false, thresholds: { averageReplyMs: 500, errorRate: 0.001 }, messages: 20, ...o,
});
const net = () => createNetClient({ maxPerHost: 100 });
const ids = (f: ReturnType<typeof judgeLoad>) => f.map((x) => x.id);

describe('load: histogram', () => {
  test('percentiles within 2% of the exact values, whatever the count', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100_000; i++) h.record(i / 100); // 0.01 .. 1000 ms, uniform
    const s = h.summary();
    assert.equal(s.count, 100_000);
    for (const [got, want] of [[s.p50, 500], [s.p90, 900], [s.p99, 990]] as const) assert.ok(Math.abs(got - want) / want < 0.02, `${got} vs ${want}`);
    assert.equal(s.max, 1000);
    assert.ok(Math.abs(s.mean - 500) < 1);
  });
  test('an empty histogram says zeros, not NaN', () => {
    assert.deepEqual(new LatencyHistogram().summary(), { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('load: message', () => {
  test('the asked size, CRLF lines, no line starting with a dot, a distinct Message-ID per copy', () => {
    for (const size of [300, 5120, 100_000]) {
      const m = new LoadMessage({ from: 'a@x.invalid', to: ['b@x.invalid'], sizeBytes: size, runId: 'abcd' });
      const one = m.next();
      const two = m.next();
      const text = one.toString('latin1');
      assert.ok(text.endsWith('\r\n.\r\n'));
      assert.equal(m.size, one.length - 3);
      assert.ok(Math.abs(m.size - size) <= 2, `${m.size} for ${size}`);
      assert.ok(!/\r\n\.[^\r]/.test(text.slice(0, -3)) && !/(^|[^\r])\n/.test(text), 'dot-stuffing needed or bare LF');
      assert.notEqual(/Message-ID: (.*)/.exec(text)![1], /Message-ID: (.*)/.exec(two.toString('latin1'))![1]);
    }
  });
});

describe('load: engine against a scripted server', () => {
  test('--rate is a ceiling over all connections', async () => {
    const srv = await loadServer();
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: undefined, durationMs: 1000, concurrency: 4, reuse: 100, ratePerSecond: 40 }), { net: net() }));
      assert.ok(f.accepted >= 10 && f.accepted <= 42, `accepted ${f.accepted} in 1 s at --rate 40`);
    } finally {
      await srv.close();
    }
  });

  test('counts, phases and PIPELINING, with connection reuse', async () => {
    const srv = await loadServer();
    try {
      const run = await runLoad(settings(srv.port, { messages: 40, concurrency: 4, reuse: 5 }), { net: net() });
      const f = loadFacts(run);
      assert.equal(srv.messages, 40);
      assert.equal(f.accepted, 40);
      assert.equal(f.failed, 0);
      assert.equal(f.pipelining, true);
      assert.ok(f.connections >= 8 && f.connections <= 12, `connections ${f.connections}`);
      assert.ok(srv.peak <= 4);
      for (const p of ['connect', 'greeting', 'ehlo', 'mail', 'rcpt', 'data', 'eod'] as const) {
        const h = f.phases[p]!;
        assert.ok(h, p);
        assert.ok(h.p50 <= h.p90 && h.p90 <= h.p99 && h.p99 <= h.max, `${p} ordered`);
      }
      assert.equal(f.phases.eod!.count, 40);
      assert.equal(f.phases.connect!.count, f.connections);
      assert.equal(f.phases.starttls, undefined);
      assert.deepEqual(ids(judgeLoad(f)).sort(), ['load.concurrency-guidance', 'load.result', 'load.within-thresholds']);
    } finally {
      await srv.close();
    }
  });

  test('STARTTLS and AUTH on every connection: timed as their own phases', async () => {
    const srv = await loadServer({ users: { loaduser: 'load-pw' } });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 12, reuse: 3, security: 'starttls', auth: { user: 'loaduser', password: 'load-pw' } }), { net: net() }));
      assert.equal(f.accepted, 12, JSON.stringify(f.errors));
      assert.equal(srv.secureMessages, 12);
      assert.equal(f.phases.starttls!.count, f.connections);
      assert.equal(f.phases.auth!.count, f.connections);
      assert.equal(f.phases.ehlo!.count, 2 * f.connections, 'EHLO again after TLS (RFC 3207 §4.2)');
      assert.equal(f.settings.auth, true);
      assert.ok(!JSON.stringify(f).includes('load-pw'), 'the password is not in the facts');
    } finally {
      await srv.close();
    }
  });

  test('implicit TLS; a wrong password is an AUTH error, explained', async () => {
    const srv = await loadServer({ implicitTls: true, users: { loaduser: 'load-pw' } });
    try {
      const ok = loadFacts(await runLoad(settings(srv.port, { messages: 4, security: 'implicit', auth: { user: 'loaduser', password: 'load-pw' } }), { net: net() }));
      assert.equal(ok.accepted, 4, JSON.stringify(ok.errors));
      assert.equal(srv.secureMessages, 4);
      const bad = loadFacts(await runLoad(settings(srv.port, { messages: 3, security: 'implicit', auth: { user: 'loaduser', password: 'wrong' } }), { net: net() }));
      assert.equal(bad.accepted, 0);
      assert.deepEqual(bad.errors.map((e) => [e.step, e.code]), [['auth', 535]]);
      assert.match(bad.errors[0]!.meaning, /535/);
    } finally {
      await srv.close();
    }
  });

  test('a server without PIPELINING is driven in lock-step', async () => {
    const srv = await loadServer({ noPipelining: true });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 10, reuse: 3, rcpts: 2, to: ['a@load.test', 'b@load.test', 'c@load.test'] }), { net: net() }));
      assert.equal(f.pipelining, false);
      assert.equal(srv.messages, 10);
      assert.equal(f.phases.rcpt!.count, 20);
      // Only the named recipients, taken in turn.
      assert.deepEqual([...srv.recipients].sort(), ['a@load.test', 'b@load.test', 'c@load.test']);
    } finally {
      await srv.close();
    }
  });

  test('421 at a connection limit rising with the concurrency: the throttling detector fires (ramp)', async () => {
    const srv = await loadServer({ maxClients: 2, eodDelayMs: 20 });
    try {
      const run = await runLoad(settings(srv.port, { messages: 24, concurrency: 10, ramp: true }), { net: net() });
      const f = loadFacts(run);
      assert.deepEqual(f.steps!.map((s) => s.concurrency), [1, 2, 5, 10].slice(0, f.steps!.length));
      assert.equal(f.steps![0]!.tempFailRate, 0);
      const last = f.steps![f.steps!.length - 1]!;
      assert.ok(last.tempFailRate > 0.2, `4xx share at ${last.concurrency}: ${last.tempFailRate}`);
      const greeting421 = f.errors.find((e) => e.step === 'greeting' && e.code === 421);
      assert.ok(greeting421, JSON.stringify(f.errors));
      assert.match(greeting421.meaning, /421/);
      const found = judgeLoad(f);
      const throttled = found.find((x) => x.id === 'load.throttled');
      assert.ok(throttled, ids(found).join(' '));
      assert.match(throttled.detail!, /rose with the concurrency/);
      assert.ok(ids(found).includes('load.knee'));
    } finally {
      await srv.close();
    }
  });

  test('451 4.7.1 at RCPT: errors grouped with the enhanced code and explained, RSET keeps the connection going', async () => {
    const srv = await loadServer({ deferRcpt: (n) => n % 4 === 0 });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 40, concurrency: 2, reuse: 20 }), { net: net() }));
      assert.equal(f.accepted, 30);
      assert.equal(f.failed, 10);
      assert.equal(f.tempFailed, 10);
      assert.ok(f.connections <= 3, `connections ${f.connections}: a refused transaction must not cost the connection`);
      assert.deepEqual(f.errors.map((e) => [e.step, e.code, e.enhanced, e.count]), [['rcpt', 451, '4.7.1', 10]]);
      assert.match(f.errors[0]!.meaning, /[Tt]emporary/);
      const found = ids(judgeLoad(f));
      assert.ok(found.includes('load.throttled') && found.includes('load.errors'), found.join(' '));
      assert.equal(judgeLoad(f).find((x) => x.id === 'load.errors')!.severity, 'critical'); // 25% ≥ 10%
    } finally {
      await srv.close();
    }
  });

  test('slow end of data above the reply threshold: load.slow-replies names the phase', async () => {
    const srv = await loadServer({ eodDelayMs: 300 });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 4, thresholds: { averageReplyMs: 10, errorRate: 0.001 } }), { net: net() }));
      const slow = judgeLoad(f).find((x) => x.id === 'load.slow-replies');
      assert.ok(slow);
      assert.match(slow.detail!, /slowest phase eod/);
      assert.ok(f.phases.eod!.p50 >= 290);
    } finally {
      await srv.close();
    }
  });

  test('a ramp whose first step is already far too slow: load.no-knee, and the ramp stops (load.ramp-cut-short)', async () => {
    const srv = await loadServer({ eodDelayMs: 200 });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 3, concurrency: 20, ramp: true, thresholds: { averageReplyMs: 10, errorRate: 0.001 } }), { net: net() }));
      assert.deepEqual(f.steps!.map((s) => s.concurrency), [1]);
      assert.deepEqual(f.rampCutShort, { atConcurrency: 1 });
      const found = ids(judgeLoad(f));
      assert.ok(found.includes('load.no-knee') && found.includes('load.ramp-cut-short') && !found.includes('load.knee'), found.join(' '));
    } finally {
      await srv.close();
    }
  });

  test('a late greeting: load.greeting-delay', async () => {
    const srv = await loadServer({ greetingDelayMs: 1100 });
    try {
      const f = loadFacts(await runLoad(settings(srv.port, { messages: 2 }), { net: net() }));
      assert.ok(ids(judgeLoad(f)).includes('load.greeting-delay'));
    } finally {
      await srv.close();
    }
  });

  test('the AbortSignal stops a long run promptly; the figures are partial and say so', async () => {
    const srv = await loadServer({ eodDelayMs: 5 });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 400);
      const t0 = performance.now();
      const run = await runLoad(settings(srv.port, { messages: undefined, durationMs: 60_000, reuse: 1000 }), { net: net(), signal: ac.signal });
      assert.ok(performance.now() - t0 < 5000);
      const f = loadFacts(run);
      assert.equal(f.stop, 'aborted');
      assert.equal(f.failed, 0, 'sockets closed by the abort are not server errors');
      assert.ok(ids(judgeLoad(f)).includes('load.interrupted'));
    } finally {
      await srv.close();
    }
  });

  test('nothing listening: load.unreachable after a few attempts, not a connect storm', async () => {
    const srv = await loadServer();
    const port = srv.port;
    await srv.close();
    const f = loadFacts(await runLoad(settings(port, { messages: 100_000, concurrency: 2 }), { net: net() }));
    assert.equal(f.stop, 'unreachable');
    assert.ok(f.attempted < 100);
    assert.deepEqual(ids(judgeLoad(f)), ['load.unreachable']);
  });
});
