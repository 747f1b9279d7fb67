// The live log watch of serve: a followed file across rename and copytruncate rotations, a
// file that appears later, partial last lines, garbage and huge lines; the read position and
// counters saved in the store so a restart neither skips nor recounts lines (SQLite and a real
// PostgreSQL); the detectors' findings in the target's report.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogTail } from '../src/monitor/logwatch/tail.js';
import { LogWatcher } from '../src/monitor/logwatch/watcher.js';
import { openStoreDb, type StoreDb } from '../src/monitor/store/open.js';
import type { MonitorTarget } from '../src/config/serve-resolve.js';
import type { Timers } from '../src/monitor/scheduler.js';
import { startPostgres } from './helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'mxd-logwatch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name = 'mail.log') => join(dir, `${++n}-${name}`);

const L = (i: number, text = `connect from mx${i}.example.net[192.0.2.${i % 250}]`) => `Dec  8 04:${String(i % 60).padStart(2, '0')}:00 mail postfix/smtpd[${1000 + i}]: ${text}\n`;

async function tail(path: string, o: ConstructorParameters<typeof LogTail>[2] = { start: 'beginning' }) {
  const lines: string[] = [];
  const t = new LogTail(path, (l) => lines.push(l), o);
  return { t, lines };
}

describe('LogTail', () => {
  test('from the end (tail -F): only lines appended later; a partial last line waits for its newline', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + L(2) + 'Dec  8 04:03:00 mail postfix/smtpd[9]: conn');
    const { t, lines } = await tail(p, { start: 'end' });
    await t.poll();
    assert.deepEqual(lines, []);
    appendFileSync(p, 'ect from a[192.0.2.9]\n' + 'Dec  8 04:04:00 mail postfix/qmgr[1]: half');
    await t.poll();
    assert.deepEqual(lines, ['Dec  8 04:03:00 mail postfix/smtpd[9]: connect from a[192.0.2.9]'], 'the line started before is read whole, the unfinished one not yet');
    const pos = t.position()!;
    assert.equal(pos.offset, Buffer.byteLength(L(1) + L(2)) + Buffer.byteLength('Dec  8 04:03:00 mail postfix/smtpd[9]: connect from a[192.0.2.9]\n'), 'the saved offset is the start of the unfinished line');
    await t.close();
  });

  test('rename + new file: the rest of the old file (its last unfinished line too), then the new one from its start', async () => {
    const p = fresh();
    writeFileSync(p, L(1));
    const { t, lines } = await tail(p);
    await t.poll();
    appendFileSync(p, L(2) + 'Dec  8 04:09:00 mail postfix/qmgr[1]: no newline at rotation');
    renameSync(p, `${p}.1`);
    writeFileSync(p, L(3));
    await t.poll();
    assert.equal(lines.length, 4);
    assert.match(lines[2]!, /no newline at rotation$/);
    assert.match(lines[3]!, /mx3\.example/);
    assert.equal(t.rotations, 1);
    await t.close();
  });

  test('copytruncate: the same inode shorter than the position is read again from 0', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + L(2) + L(3));
    const { t, lines } = await tail(p);
    await t.poll();
    truncateSync(p, 0);
    appendFileSync(p, L(4));
    await t.poll();
    assert.deepEqual(lines.map((l) => /mx(\d)/.exec(l)![1]), ['1', '2', '3', '4']);
    assert.equal(t.rotations, 1);
    await t.close();
  });

  test('a file that does not exist yet is waited for, then read from its start', async () => {
    const p = fresh();
    const { t, lines } = await tail(p, { start: 'end' });
    assert.equal(await t.poll(), 0);
    assert.equal(t.exists, false);
    writeFileSync(p, L(1) + L(2));
    await t.poll();
    assert.equal(lines.length, 2, 'a file that appears later is new: all of it is read even with start: end');
    await t.close();
  });

  test('a huge line is delivered cut once and the next line is whole; memory stays bounded', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + 'x'.repeat(600_000) + '\n' + L(2));
    const { t, lines } = await tail(p);
    await t.poll();
    assert.equal(lines.length, 3);
    assert.equal(lines[1]!.length, 64 * 1024);
    assert.match(lines[2]!, /mx2\./);
    assert.equal(t.cutLines, 1);
    await t.close();
  });
});

const timers = (): Timers & { t: number } => ({ t: Date.parse('2026-12-08T04:00:00Z'), now() { return this.t; }, set: () => 0, clear: () => {} });

function target(name: string, files: string[], start: 'end' | 'beginning' = 'beginning', format: 'auto' | 'syslog' = 'auto'): MonitorTarget {
  return { name, kind: 'logs', address: 'localhost', module: 'default', intervalMs: 60_000, logFiles: files, logs: { format, start, windowMs: 3_600_000 } };
}

const count = (c: Record<string, number>, key: string) => c[key] ?? 0;

async function restartScenario(open: () => Promise<StoreDb>): Promise<void> {
  const p = fresh();
  writeFileSync(p, L(1) + L(2) + L(3));
  const t = target('mail', [p]);
  let store = await open();
  let w = new LogWatcher(store, timers());
  await w.setTargets([t]);
  assert.equal(count(w.watches.get('mail')!.counters, 'postfix_smtpd_connects_total'), 3);
  appendFileSync(p, L(4) + 'Dec  8 04:05:00 mail postfix/smtpd[5]: connect from half');
  await w.pollAll();
  await w.stop();
  await store.close();

  // Written while serve was stopped: the rest of the half line and two more lines.
  appendFileSync(p, '[192.0.2.5]\n' + L(6) + L(7));
  store = await open();
  w = new LogWatcher(store, timers());
  await w.setTargets([t]);
  const c = w.watches.get('mail')!.counters;
  assert.equal(count(c, 'postfix_smtpd_connects_total'), 7, 'every line once: none skipped, none counted twice, the half line whole');
  assert.equal(count(c, 'mxdoctor_log_lines_total|result=parsed'), 7);

  // Rotated while stopped, the old file still next to it as .1: its rest is lost (said), the new file read.
  await w.stop();
  await store.close();
  appendFileSync(p, L(8));
  renameSync(p, `${p}.1`);
  writeFileSync(p, L(9));
  store = await open();
  w = new LogWatcher(store, timers());
  await w.setTargets([t]);
  const r = await w.run(t);
  assert.equal(count(w.watches.get('mail')!.counters, 'postfix_smtpd_connects_total'), 8);
  assert.ok(r.findings.some((f) => f.id === 'logwatch.lines-missed' && /rotated while serve was stopped/.test(f.detail ?? '')), JSON.stringify(r.findings));
  await w.stop();
  await store.close();
}

describe('LogWatcher: position and counters in the store', () => {
  test('restart resumes after the last counted line (SQLite)', async () => {
    const db = join(dir, 'store.db');
    await restartScenario(() => openStoreDb({ path: db }));
  });

  test('a file replaced by one with the same length but other first bytes is read again from its start', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + L(2));
    const t = target('rep', [p]);
    const db = join(dir, 'rep.db');
    let store = await openStoreDb({ path: db });
    let w = new LogWatcher(store, timers());
    await w.setTargets([t]);
    await w.stop();
    await store.close();
    // Same inode, rewritten in place (a restored backup, an editor): the head hash differs.
    writeFileSync(p, L(11) + L(12) + L(13));
    store = await openStoreDb({ path: db });
    w = new LogWatcher(store, timers());
    await w.setTargets([t]);
    assert.equal(count(w.watches.get('rep')!.counters, 'postfix_smtpd_connects_total'), 5);
    const r = await w.run(t);
    assert.ok(r.findings.some((f) => f.id === 'logwatch.lines-missed' && /truncated or replaced/.test(f.detail ?? '')));
    await w.stop();
    await store.close();
  });

  test('a crash after lines were counted but not saved: they are read again with the counters from before them, counted once', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + L(2));
    const t = target('crash', [p]);
    const db = join(dir, 'crash.db');
    let store = await openStoreDb({ path: db });
    const tm = timers();
    // saveMs: the first poll saves, the later ones (same fake time) do not.
    const w1 = new LogWatcher(store, tm, { saveMs: 60_000 });
    await w1.setTargets([t]);
    await w1.pollAll();
    appendFileSync(p, L(3) + L(4) + L(5));
    await w1.pollAll();
    assert.equal(w1.watches.get('crash')!.counters.postfix_smtpd_connects_total, 5);
    // No stop(): the process died (kill -9) with lines 3-5 counted in memory only.
    for (const w of w1.watches.values()) await w.close();
    await store.close();
    store = await openStoreDb({ path: db });
    const w2 = new LogWatcher(store, timers());
    await w2.setTargets([t]);
    assert.equal(w2.watches.get('crash')!.counters.postfix_smtpd_connects_total, 5, 'the saved counters (2) plus the lines after the saved position (3), not 2 + 5');
    await w2.stop();
    await store.close();
  });

  test('start: end with nothing read still saves the position: the next start (serve --once from cron) reads what came after', async () => {
    const p = fresh();
    writeFileSync(p, L(1) + L(2));
    const t = target('cron', [p], 'end');
    const db = join(dir, 'cron.db');
    let store = await openStoreDb({ path: db });
    let w = new LogWatcher(store, timers());
    assert.equal((await w.run(t)).findings[0]!.id, 'logwatch.no-new-lines');
    await w.stop();
    await store.close();
    appendFileSync(p, L(3));
    store = await openStoreDb({ path: db });
    w = new LogWatcher(store, timers());
    await w.run(t);
    assert.equal(w.watches.get('cron')!.counters.postfix_smtpd_connects_total, 1, 'only the line written between the two runs');
    await w.stop();
    await store.close();
  });

  test('a log target removed at reload forgets its position; one kept keeps its watch', async () => {
    const p = fresh();
    const q = fresh();
    writeFileSync(p, L(1));
    writeFileSync(q, L(2));
    const store = await openStoreDb({ path: ':memory:' });
    const w = new LogWatcher(store, timers());
    const a = target('a', [p]);
    const b = target('b', [q]);
    await w.setTargets([a, b]);
    await w.saveAll();
    const kept = w.watches.get('a');
    await w.setTargets([a], true);
    assert.equal(w.watches.get('a'), kept, 'an unchanged target keeps its running watch (window and position)');
    assert.equal(w.watches.has('b'), false);
    const rows = await store.db.selectFrom('log_positions').select('target').execute();
    assert.deepEqual(rows.map((r) => r.target), ['a']);
    assert.equal((await store.db.selectFrom('log_counters').select('target').execute()).length, 1);
    await w.stop();
    await store.close();
  });

  const pgReady = startPostgres();
  test('restart resumes after the last counted line (PostgreSQL)', async (tt) => {
    const pg = await pgReady;
    if (!pg) return tt.skip('PostgreSQL is not installed (test/lab/install-postgres.sh installs it; CI runs it)');
    try {
      await restartScenario(() => openStoreDb({ url: pg.url }));
    } finally {
      pg.stop();
    }
  });
});

describe('LogWatcher: the target report', () => {
  test('detector findings, garbage counted, format mismatch, quiet window, missing file', async () => {
    const p = fresh();
    const missing = fresh('absent.log');
    writeFileSync(p, '');
    const t = target('judge', [p, missing], 'end', 'syslog');
    const store = await openStoreDb({ path: ':memory:' });
    const tm = timers();
    const w = new LogWatcher(store, tm);
    await w.setTargets([t]);
    let r = await w.run(t);
    assert.ok(r.findings.some((f) => f.id === 'logwatch.no-new-lines'), 'an empty window is quiet, not unknown');
    assert.ok(r.findings.some((f) => f.id === 'logwatch.file-missing' && f.subject === missing));
    assert.equal(r.status, 'unknown', 'a missing file: could not tell');
    appendFileSync(p, L(1) + '\u0000\u0001 binary garbage \u00ff\n' + 'Dec  8 04:10:00 mail postfix/master[1]: fatal: bind 0.0.0.0 port 25: Address already in use\n'
      + '2026-12-08T04:11:00.000000+00:00 mail postfix/smtpd[7]: connect from b[192.0.2.7]\n'
      + '2026-12-08 04:12:00 1jmFYj-00039V-QX <= noreply@test.example H=(test.example) [192.0.2.2] P=smtp S=7386 id=x1@test.example\n');
    writeFileSync(missing, '');
    r = await w.run(t);
    assert.ok(r.findings.some((f) => f.id === 'logs.fatal' && f.severity === 'critical'), JSON.stringify(r.findings.map((f) => f.id)));
    assert.ok(r.findings.some((f) => f.id === 'logwatch.format-mismatch'), 'the Exim line is not syslog (an RFC 3339 line is)');
    assert.match(r.findings.find((f) => f.id === 'logwatch.format-mismatch')!.detail!, /1 line\(s\) are exim\.$/);
    const c = w.watches.get('judge')!.counters;
    assert.equal(c['mxdoctor_log_lines_total|result=garbage'], 1);
    assert.equal(c['mxdoctor_log_problems_total|level=fatal'], 1);
    assert.equal(r.status, 'critical');
    const facts = r.facts!.logwatch as { window: { lines: number }; files: { path: string; exists: boolean }[] };
    assert.equal(facts.window.lines, 5);
    assert.deepEqual(facts.files.map((f) => f.exists), [true, true]);
    // Two windows later the fatal line has left the window: the finding resolves.
    tm.t += 31 * 60_000;
    await w.run(t);
    tm.t += 31 * 60_000;
    r = await w.run(t);
    assert.ok(!r.findings.some((f) => f.id === 'logs.fatal'), JSON.stringify(r.findings.map((f) => f.id)));
    assert.equal(c['mxdoctor_log_problems_total|level=fatal'], 1, 'the lifetime counters stay');
    await w.stop();
    await store.close();
  });

  test('a path that is not a regular file: logwatch.file-unreadable (unknown), the other files still read', async () => {
    const p = fresh();
    const d = fresh('dir.log');
    mkdirSync(d);
    writeFileSync(p, L(1));
    const t = target('unreadable', [d, p]);
    const store = await openStoreDb({ path: ':memory:' });
    const w = new LogWatcher(store, timers());
    await w.setTargets([t]);
    const r = await w.run(t);
    const f = r.findings.find((x) => x.id === 'logwatch.file-unreadable');
    assert.equal(f?.subject, d);
    assert.match(f!.detail!, /is not a regular file/);
    assert.equal(w.watches.get('unreadable')!.counters.postfix_smtpd_connects_total, 1);
    await w.stop();
    await store.close();
  });
});
