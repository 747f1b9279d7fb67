// `mxdoctor logs` end to end: JSON, text, --top, stdin, usage errors, --trace, --follow
// across a rotation, and the grand totals against Debian's pflogsumm when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
const FX = new URL('./fixtures/logs/', import.meta.url).pathname;
const env = { ...process.env, NO_COLOR: '1', TZ: 'UTC' };

function run(args: string[], stdin = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input: stdin, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('--json: one object with every section; exit code from the findings', () => {
  const r = run(['logs', '--json', '--top', '1', join(FX, 'postfix-rfc3339.log')]);
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.schema, 'mxdoctor.report/v1');
  const rep = doc.reports[0];
  assert.equal(rep.kind, 'logs');
  assert.equal(rep.exitCode, 2);
  const j = rep.facts.logs;
  for (const k of ['totals', 'perDay', 'perHour', 'domains', 'senders', 'recipients', 'deferrals', 'bounces', 'rejects', 'authFailures', 'tls', 'problems', 'unparsed']) assert.ok(k in j, k);
  assert.equal(j.rejects.length, 1, '--top 1 caps the lists');
  assert.ok(rep.findings.some((f: { id: string; area: string }) => f.id === 'logs.fatal' && f.area === 'Logs'));
});

test('text: problems first, then the grand totals; stdin with -; --unparsed shows samples', () => {
  const text = readFileSync(join(FX, 'postfix-rfc3164.log'), 'utf8');
  const r = run(['logs', '--unparsed', '-'], text);
  assert.ok(r.stdout.indexOf('Problems') < r.stdout.indexOf('Grand totals'));
  assert.match(r.stdout, /received\s+3\n/);
  assert.match(r.stdout, /rejected\s+5 \(55%\)/);
  assert.match(r.stdout, /something we have never seen before/);
  assert.match(r.stdout, /15:35:18 → 2026-04-07 21:00:00 \(5 h 24 min\)/, 'a span within one day is shown as its length, not "1 day"');
});

test('text: problems in severity order, critical before warning, as in every report', () => {
  const r = run(['logs', join(FX, 'postfix-rfc3164.log')]);
  const labels = [...r.stdout.matchAll(/^ {2}(CRIT|WARN|UNKN|INFO|OK) /gm)].map((m) => m[1]);
  assert.ok(labels.includes('CRIT') && labels.includes('WARN'), r.stdout);
  // The detectors fire in their own order (mailbox-full before blacklist-block); the old text
  // listed a warning above critical problems.
  assert.ok(labels.lastIndexOf('CRIT') < labels.indexOf('WARN'), labels.join(' '));
});

test('usage errors exit 3 with one line', () => {
  assert.equal(run(['logs', join(FX, 'nope.log')]).code, 3);
  assert.equal(run(['logs', '--since', 'yesterday', join(FX, 'postfix-rfc3164.log')]).code, 3);
  assert.equal(run(['logs', FX]).code, 3);
});

test('--trace prints the message across daemons with explanations', () => {
  const r = run(['logs', '--trace', '199041033BE', join(FX, 'postfix-rfc3164.log')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /postfix\/lmtp .*Quota exceeded/);
  assert.match(r.stdout, /Permanent failure/);
  assert.match(r.stdout, /5DE184083C/);
  const none = run(['logs', '--trace', 'nobody@example.com', join(FX, 'postfix-rfc3164.log')]);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /^No message matching nobody@example\.com in [\d,]+ lines\.\n$/);
});

test('--trace --json: the report of kind trace, the messages in facts.trace', () => {
  const r = run(['logs', '--json', '--trace', '199041033BE', join(FX, 'postfix-rfc3164.log')]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout).reports[0];
  assert.equal(rep.kind, 'trace');
  assert.deepEqual(rep.findings.map((f: { id: string }) => f.id), ['trace.found']);
  const t = rep.facts.trace;
  assert.equal(t.query, '199041033BE');
  assert.equal(t.kind, 'qid');
  assert.ok(t.messages.some((m: { qid: string }) => m.qid === '199041033BE'));
  const bad = t.messages.flatMap((m: { lines: { problem: boolean; text: string; explanation?: { summary: string } }[] }) => m.lines).find((l: { text: string }) => /Quota exceeded/.test(l.text));
  assert.ok(bad?.problem && /Permanent failure/i.test(bad.explanation?.summary ?? ''), JSON.stringify(bad));
  const none = JSON.parse(run(['logs', '--json', '--trace', 'nobody@example.com', join(FX, 'postfix-rfc3164.log')]).stdout).reports[0];
  assert.deepEqual([none.exitCode, none.findings[0].id, none.facts.trace.messages.length], [1, 'trace.no-match', 0]);
});

test('--follow keeps reading across a rotation and prints the summary on SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-follow-'));
  const log = join(dir, 'mail.log');
  const lines = readFileSync(join(FX, 'postfix-rfc3339.log'), 'utf8').split('\n');
  writeFileSync(log, `${lines.slice(0, 14).join('\n')}\n`);
  const p = spawn(process.execPath, [BIN, 'logs', '--json', '--follow', log], { env });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // A loaded machine (CI, parallel test files) may take seconds to start the process: a
  // SIGINT before its handler is installed would end it without a summary.
  await sleep(5000);
  appendFileSync(log, `${lines.slice(14, 30).join('\n')}\n`);
  await sleep(800);
  renameSync(log, `${log}.1`);
  writeFileSync(log, `${lines.slice(30).join('\n')}`);
  await sleep(1200);
  p.kill('SIGINT');
  await new Promise((r) => p.on('close', r));
  const j = JSON.parse(out).reports[0].facts.logs;
  assert.equal(j.totals.received, 3);
  assert.equal(j.totals.delivered, 4);
  assert.equal(j.totals.rejected, 5);
});

test('grand totals agree with pflogsumm (Debian package) on the fixtures', { skip: !existsSync('/usr/sbin/pflogsumm') && 'pflogsumm not installed' }, () => {
  for (const f of ['postfix-rfc3164.log', 'postfix-rfc3339.log']) {
    const pf = spawnSync('/usr/sbin/pflogsumm', [join(FX, f)], { encoding: 'utf8' }).stdout;
    const num = (label: string) => Number(new RegExp(`^\\s*(\\d+)\\s+${label}`, 'm').exec(pf)?.[1]);
    const j = JSON.parse(run(['logs', '--json', join(FX, f)]).stdout).reports[0].facts.logs.totals;
    const pairs: [string, number][] = [
      ['received', j.received], ['delivered', j.delivered], ['forwarded', j.forwarded], ['deferred', j.deferred], ['bounced', j.bounced],
      ['rejected', j.rejected], ['reject warnings', j.rejectWarnings], ['held', j.held], ['discarded', j.discarded],
      ['bytes received', j.bytesReceived], ['bytes delivered', j.bytesDelivered], ['senders', j.senders],
      ['sending hosts/domains', j.sendingDomains], ['recipients', j.recipients], ['recipient hosts/domains', j.recipientDomains],
    ];
    for (const [label, ours] of pairs) assert.equal(ours, num(label), `${f}: ${label}`);
    assert.match(pf, new RegExp(`rejected \\(${j.rejectPercent}%\\)`));
  }
});
