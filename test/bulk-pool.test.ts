// `check --file` on worker threads: the same reports as in one thread, invalid lines still
// reported by the main thread, and the pool only where it is allowed (no server probes).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { chain, poolSize, prefetch } from '../src/cli/bulk-pool.js';

const DOMAINS = Array.from({ length: 12 }, (_, i) => `d${i}.test`);
const ZONE = DOMAINS.map((d, i) => `${soa(d)}${i % 4 ? `@ MX 10 mx.${d}.\nmx A 127.0.0.${40 + i}\n@ TXT "v=spf1 mx -all"\n` : ''}`).join('');

/** A report without what differs from run to run (timings, start time). */
const stable = (line: string) => {
  const r = JSON.parse(line);
  return JSON.stringify({ ...r, startedAt: 0, durationMs: 0, checks: r.checks.map((c: { check: string }) => c.check) });
};

describe('bulk pool', () => {
  let lab: ZoneLab;
  let file: string;
  before(async () => {
    lab = await zoneLab(ZONE);
    file = join(mkdtempSync(join(tmpdir(), 'mxd-pool-')), 'domains.txt');
    writeFileSync(file, `# list\n${DOMAINS.slice(0, 6).join('\n')}\nnot a domain\n${DOMAINS.slice(6).join('\n')}\n`);
  });
  after(() => lab.close());
  const args = (workers: string) => ['check', '--file', file, '--only', 'mx,spf', '--no-servers', '--resolver', `${lab.server.host}:${lab.server.port}`, '--concurrency', '4', '--workers', workers];

  test('two workers write the same reports as one thread, invalid lines included, same exit code', async () => {
    const [one, two] = await Promise.all([runCli(args('1')), runCli(args('2'))]);
    assert.equal(two.stderr, '');
    const lines = (r: { stdout: string }) => r.stdout.trim().split('\n').map(stable).sort();
    assert.equal(lines(two).length, DOMAINS.length + 1);
    assert.deepEqual(lines(two), lines(one));
    assert.ok(lines(two).some((l) => l.includes('run.invalid-target')));
    assert.equal(two.code, one.code);
  });

  test('stdin and a usage error work through the pool too', async () => {
    const r = await runCli([...args('2').map((a) => (a === file ? '-' : a))], { stdin: 'd1.test\nd2.test\n' });
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).target).sort(), ['d1.test', 'd2.test']);
    const empty = join(mkdtempSync(join(tmpdir(), 'mxd-pool-')), 'empty.txt');
    writeFileSync(empty, '# nothing\n');
    const e = await runCli(args('2').map((a) => (a === file ? empty : a)));
    assert.equal(e.code, 3);
    assert.match(e.stderr, /no domain names in it/);
  });
});

test('pool size: workers only for a DNS-only audit without injected I/O', () => {
  assert.equal(poolSize({ probeServers: true, workers: 4 }), 1, 'server probes keep the per-host connection cap in one thread');
  assert.equal(poolSize({ probeServers: false, workers: 3 }), 3);
  assert.ok(poolSize({ probeServers: false }) >= 1);
  assert.equal(poolSize({ probeServers: false, workers: 3, resolver: { query: async () => { throw new Error('unused'); } } }), 1);
});

test('prefetch reads ahead only as far as asked, and chain gives every line once', async () => {
  async function* gen() { for (let i = 0; i < 5; i++) yield { line: i + 1, text: `d${i}.test` }; }
  const short = await prefetch(gen(), 10);
  assert.deepEqual([short.head.length, short.more], [5, false]);
  const lines = gen();
  const long = await prefetch(lines, 2);
  assert.deepEqual([long.head.length, long.more], [2, true]);
  const all = [];
  for await (const l of chain(long.head, lines)) all.push(l.text);
  assert.deepEqual(all, ['d0.test', 'd1.test', 'd2.test', 'd3.test', 'd4.test']);
});

test('the workers honour --deadline: checks waiting on a resolver that never answers are cancelled (run.deadline)', async () => {
  const silent = dgram.createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'mxd-pool-')), 'domains.txt');
    writeFileSync(file, `${DOMAINS.slice(0, 4).join('\n')}\n`);
    const t0 = Date.now();
    const r = await runCli(['check', '--file', file, '--only', 'mx,spf', '--no-servers', '--workers', '2', '-q',
      '--resolver', `127.0.0.1:${silent.address().port}`, '--timeout', '60000', '--retries', '0', '--check-timeout', '120000', '--deadline', '2s'], { timeoutMs: 100_000 });
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(reports.length, 4, r.stderr);
    for (const rep of reports) {
      assert.ok(rep.findings.some((f: { id: string; detail: string }) => f.id === 'run.deadline' && /audit: deadline of 2 s passed/.test(f.detail)), JSON.stringify(rep.findings));
    }
    assert.equal(r.code, 3);
    // Without the deadline each check would wait for its 60 s DNS timeout.
    assert.ok(Date.now() - t0 < 50_000, `${Date.now() - t0} ms`);
  } finally {
    silent.close();
  }
});
