// `mxdoctor load` as a user runs it: the refusals (no bound, another machine without
// --confirm, no recipients off loopback, a password flag), --help's ceilings, and a real
// run on loopback with --json (percentiles per phase under the SMTP step names).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';
import { loadServer } from './helpers/load-server.js';
import type { LoadServer } from './helpers/load-server.js';

describe('cli: mxdoctor load', () => {
  let srv: LoadServer;
  before(async () => { srv = await loadServer(); });
  after(() => srv.close());

  test('--help states the bound, the ceilings and --confirm', async () => {
    const r = await runCli(['load', '--help']);
    assert.equal(r.code, 0);
    for (const s of ['--messages', '--duration', '--confirm', '--ramp', '--reuse', '1,000,000', '60 min']) assert.ok(r.stdout.includes(s), s);
  });

  test('no bound: refused with the ceiling, nothing sent', async () => {
    const r = await runCli(['load', `127.0.0.1:${srv.port}`]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /give a bound: --messages N \(at most 1,000,000\) or --duration S/);
    assert.equal(srv.sessions, 0);
  });

  test('another machine without --confirm (or with another name): refused, says why', async () => {
    for (const extra of [[], ['--confirm', 'other.example']]) {
      const r = await runCli(['load', 'mx.example.com', '--messages', '10', '--to', 'me@example.com', ...extra]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /a load test is load on someone's server.*--confirm mx\.example\.com/);
    }
  });

  test('another machine, confirmed, but no --to: refused (no default recipient off loopback)', async () => {
    const r = await runCli(['load', '192.0.2.1', '--confirm', '192.0.2.1', '--messages', '10']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /--to <address>/);
  });

  test('bad values are one-line usage errors', async () => {
    for (const args of [['--messages', '0'], ['--messages', '2000000'], ['--duration', '2h'], ['--rate', 'fast'], ['--tls', 'ssl'], ['--concurrency', '5000']]) {
      const r = await runCli(['load', `127.0.0.1:${srv.port}`, '--messages', '5', ...args]);
      assert.equal(r.code, 3, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run with')).length, 1, r.stderr);
    }
  });

  test('--auth-user without a password from the environment or a file: refused, no password flag exists', async () => {
    const r = await runCli(['load', `127.0.0.1:${srv.port}`, '--messages', '5', '--auth-user', 'u'], { env: { MXDOCTOR_SMTP_PASSWORD: '' } });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /MXDOCTOR_SMTP_PASSWORD/);
  });

  test('loopback run with --json: facts.load with p50/p90/p99/max per phase; quiet stderr in a pipe', async () => {
    const before = srv.messages;
    const r = await runCli(['load', `127.0.0.1:${srv.port}`, '--messages', '30', '--concurrency', '3', '--reuse', '10', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const rep = JSON.parse(r.stdout).reports[0];
    assert.equal(rep.kind, 'load');
    const f = rep.facts.load;
    assert.equal(f.accepted, 30);
    assert.equal(srv.messages - before, 30);
    assert.deepEqual(f.settings.to, ['load@mxdoctor.invalid']);
    for (const p of ['connect', 'greeting', 'ehlo', 'mail', 'rcpt', 'data', 'eod']) {
      assert.deepEqual(Object.keys(f.phases[p]).sort(), ['count', 'max', 'mean', 'p50', 'p90', 'p99'], p);
    }
    assert.ok(rep.findings.some((x: { id: string }) => x.id === 'load.within-thresholds'));
  });

  test('text report: the phase table and the verdict', async () => {
    const r = await runCli(['load', `localhost:${srv.port}`, '--messages', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /phase +count +mean +p50 +p90 +p99 +max/);
    assert.match(r.stdout, /eod +5 /);
    assert.match(r.stdout, /load\.within-thresholds/);
  });
});
