// The CLI as a user meets it: real processes, real exit codes, output that parses.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

const run = (args: string[], stdin?: string) => runCli(args, { stdin });

const ZONE = `${soa('cli.test')}
@ MX 10 mx.cli.test.
mx A 127.0.0.30
${soa('nomx.test')}
www A 127.0.0.31
`;

describe('cli', () => {
  let lab: ZoneLab;
  let resolver: string;
  before(async () => {
    lab = await zoneLab(ZONE);
    resolver = `${lab.server.host}:${lab.server.port}`;
  });
  after(() => lab.close());

  test('--help lists the commands and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['check', 'dns', 'demo', 'findings']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  test('a wrong flag is a one-line usage error with exit 3', async () => {
    const r = await run(['check', 'cli.test', '--no-such-flag']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /unknown option '--no-such-flag'/);
    assert.equal(r.stdout, '');
  });

  test('an invalid domain name is a one-line error naming the problem', async () => {
    const r = await run(['check', 'bad_domain..test']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^mxdoctor: invalid domain name .*empty label/);
  });

  test('a bad --resolver value is a usage error', async () => {
    const r = await run(['check', 'cli.test', '--resolver', 'dns.google']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /--resolver dns\.google: give an IP address/);
  });

  test('--json is one valid document with the schema and the exit code', async () => {
    const r = await run(['check', 'cli.test', '--only', 'mx', '--resolver', resolver, '--json']);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'mxdoctor.report/v1');
    assert.equal(doc.reports.length, 1);
    assert.equal(doc.reports[0].target, 'cli.test');
    assert.equal(r.code, doc.exitCode);
    assert.ok(doc.reports[0].findings.some((f: { id: string }) => f.id === 'mx.present'));
  });

  test('text output opens with the problem and its fix, then one line per family', async () => {
    const r = await run(['check', 'nomx.test', '--only', 'mx', '--resolver', resolver]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^nomx\.test {2}CRITICAL.*\n\n {2}Problem\n {4}CRIT\s+No MX records and no address/);
    assert.doesNotMatch(r.stdout, /Passed/); // nothing passed: no section for it
    assert.match(r.stdout, /Fix: Publish an MX record/);
    assert.doesNotMatch(r.stdout, /\x1b\[/); // no colour when not a TTY
  });

  test('--ignore drops a finding and its effect on the exit code', async () => {
    const r = await run(['check', 'nomx.test', '--only', 'mx', '--resolver', resolver, '--ignore', 'mx.none', '--json']);
    const doc = JSON.parse(r.stdout);
    assert.equal(r.code, 0);
    assert.deepEqual(doc.reports[0].ignored, { 'mx.none': 1 });
  });

  test('a resolver that never answers gives unknown (exit 3) quickly, with valid JSON', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    try {
      const t0 = Date.now();
      const r = await run(['check', 'cli.test', '--resolver', `127.0.0.1:${silent.address().port}`, '--timeout', '200', '--retries', '0', '--json', '--check-timeout', '5000']);
      assert.ok(Date.now() - t0 < 8000);
      const doc = JSON.parse(r.stdout);
      assert.equal(r.code, 3);
      assert.equal(doc.reports[0].status, 'unknown');
      assert.ok(!doc.reports[0].findings.some((f: { severity: string }) => f.severity === 'critical'), 'a timeout is never reported as missing');
    } finally {
      silent.close();
    }
  });

  test('bulk: NDJSON, one report per domain, invalid lines reported, not fatal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxd-'));
    const file = join(dir, 'domains.txt');
    writeFileSync(file, '# my domains\ncli.test\n\nnomx.test  # no mail\nnot a domain\n');
    const r = await run(['check', '--file', file, '--only', 'mx', '--resolver', resolver, '--concurrency', '2']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.target).sort(), ['cli.test', 'nomx.test', 'not a domain']);
    assert.equal(lines.find((l) => l.target === 'not a domain').findings[0].id, 'run.invalid-target');
    assert.equal(r.code, 2); // nomx.test is critical, which outranks the unknown line
  });

  test('bulk from stdin', async () => {
    const r = await run(['check', '--file', '-', '--only', 'mx', '--resolver', resolver], 'cli.test\n');
    assert.equal(JSON.parse(r.stdout.trim()).target, 'cli.test');
  });

  test('an empty domains file is a one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxd-'));
    const file = join(dir, 'empty.txt');
    writeFileSync(file, '# nothing\n\n');
    const r = await run(['check', '--file', file, '--resolver', resolver]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no domain names in it/);
  });

  test('a missing domains file is a one-line error', async () => {
    const r = await run(['check', '--file', '/nonexistent/domains.txt', '--resolver', resolver]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cannot read the file/);
  });
});
