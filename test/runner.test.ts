// The runner never crashes: a throwing or hanging check becomes an unknown finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTarget } from '../src/core/runner.js';
import type { Check, CheckContext } from '../src/core/check.js';
import { exitCodeFor, worstExitCode, worstSeverity } from '../src/core/finding.js';
import { normalizeDomain } from '../src/core/domain-name.js';
import { parseZone } from '../src/lab/zone-file.js';

const ok: Check = { family: 'good', area: 'DNS', description: 'd', findings: [], run: async () => [{ id: 'good.fine', severity: 'ok', title: 'fine' }] };
const boom: Check = { family: 'boom', area: 'DNS', description: 'd', findings: [], run: async () => { throw new Error('kaput'); } };
const hang: Check = { family: 'hang', area: 'DNS', description: 'd', findings: [], run: () => new Promise(() => undefined) };
const ctx = () => ({}) as CheckContext;

test('a throwing check becomes run.check-crashed and a hanging one run.check-timeout', async () => {
  const r = await runTarget({ kind: 'domain', domain: 'x.test' }, { checks: [ok, boom, hang], context: ctx, checkTimeoutMs: 50 });
  assert.deepEqual(r.findings.map((f) => f.id).sort(), ['good.fine', 'run.check-crashed', 'run.check-timeout']);
  assert.match(r.findings.find((f) => f.id === 'run.check-crashed')!.detail!, /kaput/);
  assert.equal(r.exitCode, 3);
  assert.equal(r.status, 'unknown');
});

test('--ignore patterns drop ids and whole families', async () => {
  const r = await runTarget({ kind: 'domain', domain: 'x.test' }, { checks: [ok, boom], context: ctx, checkTimeoutMs: 50, ignore: ['run.*'] });
  assert.deepEqual(r.findings.map((f) => f.id), ['good.fine']);
  assert.deepEqual(r.ignored, { 'run.check-crashed': 1 });
  assert.equal(r.exitCode, 0);
});

test('exit codes follow monitoring-plugins', () => {
  assert.equal(exitCodeFor(['ok', 'info']), 0);
  assert.equal(exitCodeFor(['ok', 'warning']), 1);
  assert.equal(exitCodeFor(['warning', 'critical']), 2);
  assert.equal(exitCodeFor(['ok', 'unknown']), 3);
  assert.equal(exitCodeFor(['critical', 'unknown']), 2); // max_state_alt: a definite problem outranks "could not tell"
  assert.equal(exitCodeFor(['warning', 'unknown']), 1);
  assert.equal(worstExitCode([0, 3, 1]), 1);
  assert.equal(worstExitCode([3, 0]), 3);
  assert.equal(worstSeverity(['info', 'warning', 'ok']), 'warning');
});

test('domain names: IDN to A-label, clear errors for bad input', () => {
  assert.equal(normalizeDomain('Example.COM.'), 'example.com');
  assert.equal(normalizeDomain('bücher.example'), 'xn--bcher-kva.example');
  assert.throws(() => normalizeDomain('192.0.2.1'), /IP address/);
  assert.throws(() => normalizeDomain('user@example.com'), /e-mail address/);
  assert.throws(() => normalizeDomain('exa mple.com'), /contains a space/);
  assert.throws(() => normalizeDomain('exa\tmple.com'), /contains a space/);
  assert.throws(() => normalizeDomain('exa!mple.com'), /contains "!"/);
  assert.throws(() => normalizeDomain('-x.com'), /starts\/ends with a hyphen/);
  assert.throws(() => normalizeDomain(`${'a'.repeat(64)}.com`), /limit is 63/);
  assert.throws(() => normalizeDomain('localhost'), /single label/);
});

test('zone files: origin, relative names, omitted owner, multi-line SOA, quoted strings', () => {
  const rr = parseZone(`$ORIGIN z.test.\n$TTL 300\n@ IN SOA ns1 host ( 1 2 3\n 4 5 )\n  MX 10 mx\nmx 60 A 127.0.0.1 ; comment\ntxt TXT "a \\"b\\" c" "d;e"\n`);
  assert.deepEqual(rr.map((r) => [r.name, r.type, r.ttl]), [['z.test', 'SOA', 300], ['z.test', 'MX', 300], ['mx.z.test', 'A', 60], ['txt.z.test', 'TXT', 300]]);
  assert.equal(rr[0]!.data.minimum, 5);
  assert.deepEqual(rr[1]!.data, { preference: 10, exchange: 'mx.z.test' });
  assert.deepEqual(rr[3]!.data, ['a "b" c', 'd;e']);
  assert.throws(() => parseZone('x A'), /missing field|missing record type/);
});
