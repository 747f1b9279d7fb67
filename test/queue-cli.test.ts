// `mxdoctor queue` and `mxdoctor check --local` as a user runs them (a child process):
// usage errors, valid JSON whatever the machine has installed, exit codes from the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

const fixture = (p: string) => new URL(`./fixtures/${p}`, import.meta.url).pathname;

test('usage errors are one line and exit 3', async () => {
  const cases: [string[], RegExp][] = [
    [['queue', '--warn', '10', '--crit', '5'], /--crit 5 must be greater than --warn 10/],
    [['queue', '--exim', '--postfix-config', '/tmp'], /exclude each other/],
    [['queue', '--postfix-config', '/nonexistent/postfix'], /--postfix-config \/nonexistent\/postfix: no such directory/],
    [['check', '--local', 'example.com'], /takes no domain/],
    [['check', '--local', '--log', '/nonexistent/mail.log'], /cannot read \/nonexistent\/mail\.log/],
    [['queue', '--warn', 'many'], /--warn many: expected a whole number/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 3, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('queue on a configuration directory without main.cf: unknown (exit 3), valid JSON, never "empty"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-queue-'));
  try {
    const r = await runCli(['queue', '--postfix-config', dir, '--json']);
    assert.equal(r.code, 3, r.stderr);
    const doc = JSON.parse(r.stdout);
    const rep = doc.reports[0];
    assert.equal(rep.kind, 'queue');
    // postqueue installed: it fails on the missing main.cf; not installed: not available here.
    assert.ok(['queue.read-failed', 'queue.not-available'].includes(rep.findings[0].id), rep.findings[0].id);
    assert.equal(rep.facts.queue.total, null);
    assert.ok(!rep.findings.some((f: { id: string }) => f.id === 'queue.empty'));
    const text = await runCli(['queue', '--postfix-config', dir]);
    assert.match(text.stdout, /could not be read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check --local: certificate files, logs since a date, facts.local, exit code from the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-local-'));
  try {
    const r = await runCli(['check', '--local', '--json', '--postfix-config', dir, '--mail-store', dir,
      '--cert-file', fixture('certs/expired.pem'), '--log', fixture('logs/postfix-rfc3339.log'), '--since', '2020-01-01']);
    assert.equal(r.code, 2, r.stderr);
    const rep = JSON.parse(r.stdout).reports[0];
    assert.equal(rep.kind, 'local');
    const byId = (id: string) => rep.findings.find((f: { id: string }) => f.id === id);
    assert.equal(byId('host.cert-expired').area, 'Host');
    assert.equal(byId('logs.fatal').area, 'Logs');
    assert.ok(byId('host.config-unreadable'), 'postconf fails (or is missing) for an empty directory');
    assert.ok(rep.facts.local.disks.some((d: { path: string; usedPercent?: number }) => d.path === dir && typeof d.usedPercent === 'number'), 'the real statfs measured the mail store');
    assert.deepEqual(rep.facts.local.logs.files, [fixture('logs/postfix-rfc3339.log')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
