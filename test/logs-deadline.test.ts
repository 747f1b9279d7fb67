// --deadline on logs, logs --trace and capacity: a pipe that never closes is cut at the deadline,
// the report covers the lines read before it and says so (run.deadline, exit 3), and the
// process ends on its own (nothing left open on stdin). With --follow the deadline is how long
// to follow: the summary comes, with no run.deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
const env = { ...process.env, NO_COLOR: '1', TZ: 'UTC' };
const LINES = [
  'Dec  7 10:00:00 mx postfix/smtpd[1]: connect from a[192.0.2.1]',
  'Dec  7 10:00:01 mx postfix/smtpd[1]: 4F3A21C0A1: client=a[192.0.2.1]',
  'Dec  7 10:00:02 mx postfix/qmgr[2]: 4F3A21C0A1: from=<a@example.org>, size=1200, nrcpt=1 (queue active)',
].join('\n');

/** Runs the CLI with a stdin pipe that is written to once and never closed; resolves when it exits. */
function withOpenStdin(args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const t0 = Date.now();
  const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  p.stdout.on('data', (d) => { stdout += d; });
  p.stdin.write(`${LINES}\n`);
  // The writer keeps its end open: without the deadline the read would never end.
  const guard = setTimeout(() => p.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => p.on('close', (code) => { clearTimeout(guard); p.stdin.destroy(); resolve({ code, stdout, ms: Date.now() - t0 }); }));
}

test('logs --deadline: an open pipe is cut, the lines read are reported, run.deadline, exit 3', async () => {
  const r = await withOpenStdin(['logs', '--json', '--deadline', '2s', '-']);
  assert.equal(r.code, 3, r.stdout);
  assert.ok(r.ms < 40_000, `ended by itself (${r.ms} ms), not by the guard`);
  const rep = JSON.parse(r.stdout).reports[0];
  assert.ok(rep.findings.some((f: { id: string; detail: string }) => f.id === 'run.deadline' && /2 s/.test(f.detail)), JSON.stringify(rep.findings));
  assert.equal(rep.facts.logs.lines.total, 3);
  assert.equal(rep.facts.logs.totals.received, 1);
  assert.deepEqual(rep.facts.logs.warnings, [], 'a cut is not a read error');
});

test('logs --trace and capacity take the same deadline', async () => {
  const t = await withOpenStdin(['logs', '--json', '--trace', '4F3A21C0A1', '--deadline', '2s', '-']);
  const tr = JSON.parse(t.stdout).reports[0];
  assert.equal(tr.kind, 'trace');
  assert.ok(tr.findings.some((f: { id: string }) => f.id === 'run.deadline'));
  assert.ok(tr.findings.some((f: { id: string }) => f.id === 'trace.found'), 'the message read before the cut is traced');
  const c = await withOpenStdin(['capacity', '--json', '--deadline', '2s', '-']);
  const cr = JSON.parse(c.stdout).reports[0];
  assert.equal(c.code, 3);
  assert.ok(cr.findings.some((f: { id: string }) => f.id === 'run.deadline'));
  assert.equal(cr.facts.capacity.input.lines, 3);
});

test('logs --follow --deadline: follows for that long, then the summary without run.deadline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-ldl-'));
  const log = join(dir, 'mail.log');
  writeFileSync(log, `${LINES}\n`);
  const r = spawnSync(process.execPath, [BIN, 'logs', '--json', '--follow', '--deadline', '2s', log], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'ended by itself');
  const rep = JSON.parse(r.stdout).reports[0];
  assert.equal(rep.facts.logs.totals.received, 1);
  assert.ok(!rep.findings.some((f: { id: string }) => f.id === 'run.deadline'));
});

test('--deadline is shown in --help and a bad one is a usage error', () => {
  for (const cmd of ['logs', 'capacity']) {
    assert.match(spawnSync(process.execPath, [BIN, cmd, '--help'], { env, encoding: 'utf8' }).stdout, /--deadline <duration>/);
    assert.equal(spawnSync(process.execPath, [BIN, cmd, '--deadline', 'soon', '-'], { env, encoding: 'utf8', input: '' }).status, 3);
  }
});
