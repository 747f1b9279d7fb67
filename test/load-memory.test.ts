// Memory flat in the message count (issue 13): what a run of 5,000 messages holds in the live
// heap (after a full GC) is what a run of 500 holds: histograms are fixed arrays, the
// per-second series is bounded, and no message, reply or latency sample is kept.
// The stats alone, fed a million messages, are measured to the kilobyte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createNetClient } from '../src/io/net.js';
import { runLoad } from '../src/load/run.js';
import { LoadStats } from '../src/load/stats.js';
import { PHASES } from '../src/load/types.js';
import type { LoadSettings } from '../src/load/types.js';
import { loadServer } from './helpers/load-server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const settings = (port: number, messages: number): LoadSettings => ({
  host: '127.0.0.1', address: '127.0.0.1', port, security: 'none', concurrency: 4, sizeBytes: 1000, rcpts: 1, reuse: 500,
  from: 'load@mxdoctor.invalid', to: ['load@mxdoctor.invalid'], heloName: 'mxdoctor.invalid', stepTimeoutMs: 10_000,
  ramp: false, thresholds: { averageReplyMs: 500, errorRate: 0.001 }, messages,
});

function liveHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

test('load: a run of 10× the messages holds no more memory than a small one', async () => {
  const srv = await loadServer();
  const net = createNetClient({ maxPerHost: 8 });
  try {
    // A first run as long as the large one warms up the code (optimised functions and their
    // feedback live in the heap too) and smtp-server's own first-use state.
    await runLoad(settings(srv.port, 1000), { net });
    // Every result is kept, so what a run retains is measured: a small run's, then a large run's.
    const kept: unknown[] = [];
    const h0 = liveHeap();
    kept.push(await runLoad(settings(srv.port, 500), { net }));
    const h1 = liveHeap();
    kept.push(await runLoad(settings(srv.port, 5000), { net }));
    const h2 = liveHeap();
    assert.equal(srv.messages, 6500);
    const small = h1 - h0;
    const large = h2 - h1;
    // The heap after a GC varies by a few hundred KB from run to run here (the server shares
    // it): this catches anything of about 200 bytes or more kept per message (a reply, a
    // Buffer, an outcome); the stats test below catches a number kept per sample.
    assert.ok(large - small < 1024 * 1024, `a run of 5,000 messages holds ${((large - small) / 1024).toFixed(0)} KB more than one of 500 (${(small / 1024).toFixed(0)} KB vs ${(large / 1024).toFixed(0)} KB)`);
    assert.equal(kept.length, 2);
  } finally {
    await srv.close();
  }
});

test('load: stats fed a million messages, with replies of every kind, stay the same size', () => {
  const feed = (s: LoadStats, n: number, from: number) => {
    for (let i = from; i < from + n; i++) {
      s.phase(PHASES[i % PHASES.length]!, (i % 5000) / 7);
      if (i % 100) s.messageDone(true);
      // Distinct replies by the hundred: the groups are capped, the rest counted as "other".
      else s.messageDone(false, { step: 'rcpt', code: 400 + (i % 200), enhanced: `4.7.${i % 300}`, text: `deferred ${i}` });
    }
  };
  const s = new LoadStats(10);
  feed(s, 10_000, 0);
  const h0 = liveHeap();
  feed(s, 1_000_000, 10_000);
  const h1 = liveHeap();
  assert.equal(s.accepted + s.failed, 1_010_000);
  assert.ok(s.groups.size <= 51);
  // A million samples kept as numbers would be 8 MB; 64 KB is the noise of a GC'd heap.
  assert.ok(h1 - h0 < 64 * 1024, `the stats grew by ${((h1 - h0) / 1024).toFixed(0)} KB over a million messages`);
});
