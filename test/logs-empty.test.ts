// A file that is not a mail log, an empty file, or nothing in the time range: `logs` and
// `capacity` say they could not tell (unknown, exit 3) in a clear line, never "no problems"
// (exit 0) nor a table of zeros projected from 1970.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mxd-empty-'));
const empty = join(dir, 'empty.log');
writeFileSync(empty, '');
/** What `logs /bin/ls` reads: binary bytes with a few newlines, no log line among them. */
const binary = join(dir, 'a.out');
writeFileSync(binary, Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0'), randomBytes(20_000), Buffer.from('\n'), randomBytes(5000)]));
const postfix = join(dir, 'mail.log');
writeFileSync(postfix, 'Dec  7 10:00:00 mx postfix/smtpd[1]: connect from a[192.0.2.1]\n');

test('logs on an empty file: unknown, exit 3, one clear line and no tables', async () => {
  const r = await runCli(['logs', empty]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /UNKN {2}No mail log lines to judge {2}logs\.nothing-understood\n {8}The input is empty: no lines were read\./);
  assert.doesNotMatch(r.stdout, /No problems recognised|Grand totals/);
});

test('logs on a binary (not a mail log): unknown, exit 3, in text and JSON', async () => {
  const r = await runCli(['logs', binary]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /this is not a mail log/);
  const j = await runCli(['logs', '--json', binary]);
  assert.equal(j.code, 3);
  const doc = JSON.parse(j.stdout).reports[0] as { findings: { id: string; severity: string }[] };
  assert.deepEqual(doc.findings.map((f) => `${f.id}:${f.severity}`), ['logs.nothing-understood:unknown']);
});

test('logs with nothing inside --since/--until: unknown, saying so', async () => {
  const r = await runCli(['logs', '--since', '2000-01-01', '--until', '2000-01-02', postfix]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /All 1 lines are outside the --since\/--until range/);
});

test('a real mail log without problems is still OK (exit 0)', async () => {
  const r = await runCli(['logs', postfix]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /logs\.no-problems/);
});

test('capacity on an empty file or a binary: unknown, exit 3, no "→ :" span and no 1970s projection', async () => {
  for (const f of [empty, binary]) {
    const r = await runCli(['capacity', f]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^Mail capacity {2}UNKNOWN: /);
    assert.doesNotMatch(r.stdout, / → :|19[67]\d-|Projection/);
    const j = await runCli(['capacity', '--json', f]);
    assert.equal(j.code, 3);
    const rep = JSON.parse(j.stdout).reports[0] as { status: string; findings: { id: string }[]; facts: { capacity: { reason: string; input: { lines: number } } } };
    assert.equal(rep.status, 'unknown');
    assert.deepEqual(rep.findings.map((x) => x.id), ['capacity.no-volume']);
    assert.match(rep.facts.capacity.reason, /./);
  }
});
