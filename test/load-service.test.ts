// services/load.ts: typed options + AbortSignal → one Report (facts.load), the host looked up
// through the given resolver, a name with no address a one-line usage error.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../src/core/errors.js';
import type { DnsResponse, Resolver } from '../src/io/resolver.js';
import { loadTest } from '../src/services/load.js';
import type { LoadRequest } from '../src/services/load.js';
import { loadServer } from './helpers/load-server.js';
import { nxResolver } from './helpers/scripted-smtp.js';

const request = (port: number, o: Partial<LoadRequest> = {}): LoadRequest => ({
  host: '127.0.0.1', port, security: 'none', concurrency: 3, sizeBytes: 1000, rcpts: 1, reuse: 5,
  from: 'load@mxdoctor.invalid', to: ['load@mxdoctor.invalid'], heloName: 'mxdoctor.invalid', stepTimeoutMs: 5000,
  ramp: false, thresholds: { averageReplyMs: 500, errorRate: 0.001 }, messages: 30, ...o,
});

/** mx.load.test → 127.0.0.1; everything else NXDOMAIN. */
const labResolver: Resolver = {
  async query(name, type): Promise<DnsResponse> {
    const hit = name === 'mx.load.test' && type === 'A';
    return { name, type, status: hit ? 'ok' : 'nxdomain', records: hit ? [{ name, type, ttl: 60, data: '127.0.0.1' }] : [], cnames: [], authority: [], ad: false, aa: false, rcode: hit ? 'NOERROR' : 'NXDOMAIN', server: 'stub', elapsedMs: 0 } as DnsResponse;
  },
};

describe('services/load', () => {
  test('a name is looked up through the resolver given; one load Report with facts.load', async () => {
    const srv = await loadServer();
    try {
      const { report, facts } = await loadTest(request(srv.port, { host: 'mx.load.test' }), { resolver: labResolver, serverCores: 4 });
      assert.equal(report.kind, 'load');
      assert.equal(report.target, `mx.load.test:${srv.port}`);
      assert.equal(facts.accepted, 30);
      assert.equal(srv.messages, 30);
      assert.equal(facts.serverCores, 4);
      assert.deepEqual((report.facts as { load: unknown }).load, facts);
      assert.equal(report.exitCode, 0);
    } finally {
      await srv.close();
    }
  });

  test('a name without an address: a usage error naming it, nothing sent', async () => {
    await assert.rejects(loadTest(request(1, { host: 'nowhere.load.test' }), { resolver: nxResolver }), (e: Error) => e instanceof UsageError && /nowhere\.load\.test has no A or AAAA record/.test(e.message));
  });

  test('the signal stops the run; the partial run is reported as interrupted', async () => {
    const srv = await loadServer({ eodDelayMs: 5 });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const { report, facts } = await loadTest(request(srv.port, { messages: undefined, durationMs: 60_000 }), { signal: ac.signal });
      assert.equal(facts.stop, 'aborted');
      assert.ok(facts.accepted > 0);
      assert.ok(report.findings.some((f) => f.id === 'load.interrupted'));
    } finally {
      await srv.close();
    }
  });
});

describe('services/load with worker threads', () => {
  test('two threads share the connections and the budget; their figures add up, Message-IDs stay unique', async () => {
    const srv = await loadServer({ collectIds: true });
    try {
      const { facts } = await loadTest(request(srv.port, { concurrency: 10, threads: 2, messages: 201, reuse: 20 }));
      assert.equal(facts.settings.threads, 2);
      assert.equal(facts.accepted, 201);
      assert.equal(srv.messages, 201);
      assert.equal(srv.messageIds.size, 201);
      assert.ok(srv.peak <= 10, `at most 10 connections at once, saw ${srv.peak}`);
      assert.equal(facts.phases.eod?.count, 201);
      assert.equal(facts.perSecond.accepted.reduce((a, b) => a + b, 0), 201);
      assert.ok(facts.connections >= 11 && facts.connections <= 14, `each thread opens its own connections: ${facts.connections}`);
    } finally {
      await srv.close();
    }
  });

  test('the signal reaches the threads: a long run stops, reported as interrupted', async () => {
    const srv = await loadServer({ eodDelayMs: 5 });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 2500);
      const t0 = performance.now();
      const { facts } = await loadTest(request(srv.port, { concurrency: 10, threads: 2, messages: undefined, durationMs: 60_000 }), { signal: ac.signal });
      assert.ok(performance.now() - t0 < 20_000);
      assert.equal(facts.stop, 'aborted');
      assert.equal(facts.failed, 0);
    } finally {
      await srv.close();
    }
  });
});
