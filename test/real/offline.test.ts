// No network at all: every DNS-using command, run in a network namespace with only loopback
// (`unshare -rn`: the kernel answers connect() with ENETUNREACH), reports `unknown` findings
// saying the resolver is unreachable and exits 3; the library's runChecks returns its reports
// instead of ending the caller's process. Nothing leaves the namespace: it has no route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = new URL('../../bin/mxdoctor.js', import.meta.url).pathname;

function offline(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['-rn', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, MXDOCTOR_FROM_SOURCE: '1', NODE_TEST_CONTEXT: '' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('unshare gives a namespace without a route (the premise of these tests)', () => {
  const r = offline(['node', '-e', 'require("dgram").createSocket("udp4").connect(53, "192.0.2.53", (e) => { console.log(e ? e.code : "connected"); process.exit(0); })']);
  assert.equal(r.stdout.trim(), 'ENETUNREACH', r.stderr);
});

const COMMANDS: [string, string[]][] = [
  ['check (system resolver)', ['check', 'example.com']],
  ['check --resolver [2001:db8::53]', ['check', '--resolver', '[2001:db8::53]', 'example.com']],
  ['dns', ['dns', '--resolver', '192.0.2.53', 'example.com']],
  ['blacklist', ['blacklist', 'example.com']],
  ['doctor', ['doctor', 'cannot-receive', 'example.com']],
  ['smtp for an IP', ['smtp', '192.0.2.1']],
  ['tls by name', ['tls', 'mail.example.com']],
];

for (const [name, args] of COMMANDS) {
  test(`offline: ${name} → unknown, exit 3, no stack trace`, () => {
    const r = offline(['node', BIN, ...args, '--json']);
    assert.equal(r.status, 3, `exit 3, got ${r.status}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\bat .*\.(ts|js):\d+|ERR_SOCKET_BAD_PORT/, 'no stack trace');
    const doc = JSON.parse(r.stdout) as { exitCode: number; reports: { status: string; findings: { severity: string; detail?: string }[] }[] };
    assert.equal(doc.exitCode, 3);
    for (const rep of doc.reports) {
      assert.equal(rep.status, 'unknown');
      assert.ok(!rep.findings.some((f) => f.severity === 'critical'), 'nothing judged missing or broken');
    }
    // smtp for an IP needs no resolver when no name is involved: its finding is the route itself.
    assert.match(r.stdout, name === 'smtp for an IP' ? /unreachable/i : /resolver unreachable: no route/);
  });
}

test('offline: the library runChecks returns unknown reports and its caller lives on', () => {
  const script = `
    process.on('unhandledRejection', (e) => { console.log('UNHANDLED ' + e); process.exit(9); });
    process.on('uncaughtException', (e) => { console.log('UNCAUGHT ' + e); process.exit(9); });
    const { runChecks } = await import('./src/index.ts');
    const reports = await runChecks(['example.com'], { servers: [{ host: '192.0.2.53', port: 53 }] });
    await new Promise((r) => setTimeout(r, 100));
    console.log(JSON.stringify(reports.map((r) => ({ status: r.status, exitCode: r.exitCode, ids: r.findings.map((f) => f.id) }))));
    console.log('ALIVE');`;
  const r = offline(['node', '--import', 'tsx', '--input-type=module', '-e', script]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ALIVE/);
  const reports = JSON.parse(r.stdout.split('\n')[0]!) as { status: string; exitCode: number; ids: string[] }[];
  assert.equal(reports[0]!.status, 'unknown');
  assert.equal(reports[0]!.exitCode, 3);
  assert.ok(reports[0]!.ids.includes('mx.lookup-failed'));
});
