// `report --from-store`: history from a store filled by the monitor's own recordRun (see
// helpers/history-store.ts for the story), checked as figures, as rendered documents (HTML in
// headless Chromium, PDF through pdftotext), and as one-line errors for a missing or empty
// store, an unknown target or a bad --since. The same history read from PostgreSQL when installed.
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStoreDb } from '../src/monitor/store/open.js';
import type { StoreLocation } from '../src/monitor/store/open.js';
import { readStoreHistory } from '../src/monitor/store-history.js';
import { renderHtml } from '../src/report/html.js';
import { CJK_TITLE, DAY, HOUR, dayZero, fillHistoryStore } from './helpers/history-store.js';
import { startPostgres } from './helpers/postgres.js';
import { runCli } from './helpers/cli.js';
import { requireTool } from './helpers/tools.js';
import { browserMissing, launchBrowser, watchedPage } from './helpers/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'mxd-report-store-'));
const STORE = join(dir, 'store.db');
const NOW = Date.now();
const D0 = dayZero(NOW);
const day = (n: number) => new Date(D0 + n * DAY).toISOString().slice(0, 10);

async function filled(loc: StoreLocation): Promise<void> {
  const s = await openStoreDb(loc);
  try {
    await fillHistoryStore(s, NOW);
  } finally {
    await s.close();
  }
}

async function checkFigures(loc: StoreLocation): Promise<void> {
  const { history, reports } = await readStoreHistory(loc, { sinceMs: NOW - 5 * DAY, nowMs: NOW });
  assert.deepEqual(history.targets.map((t) => t.target), ['mail.example', '例子.example']);
  const m = history.targets[0]!;
  assert.equal(history.since, new Date(Math.floor((NOW - 5 * DAY) / DAY) * DAY).toISOString(), 'whole UTC days');
  assert.equal(m.days.length, 6, 'five days back and today');
  const byDay = new Map(m.days.map((d) => [d.day, d]));
  assert.equal(byDay.get(day(-1))!.availability, null, 'before the first run: not measured, not down');
  assert.deepEqual([byDay.get(day(0))!.upSeconds, byDay.get(day(0))!.downSeconds], [24 * 3600, 0]);
  assert.deepEqual([byDay.get(day(1))!.upSeconds, byDay.get(day(1))!.downSeconds, byDay.get(day(1))!.unknownSeconds], [22 * 3600, 2 * 3600, 0]);
  // day 2: one hour still up after the last run (two intervals), then 11 h unknown, then up from 12:00 to the last run at 23:00
  assert.deepEqual([byDay.get(day(2))!.upSeconds, byDay.get(day(2))!.downSeconds, byDay.get(day(2))!.unknownSeconds], [12 * 3600, 0, 11 * 3600]);
  assert.equal(byDay.get(day(2))!.availability, 1, 'unknown time does not lower availability');
  assert.deepEqual(m.period, { upSeconds: 58 * 3600, downSeconds: 2 * 3600, unknownSeconds: 11 * 3600, availability: 58 / 60, incidents: 1, mttrSeconds: 7200 });
  assert.equal(m.runs, 60);
  assert.deepEqual(m.incidents, [{ startedAt: new Date(D0 + 30 * HOUR).toISOString(), endedAt: new Date(D0 + 32 * HOUR).toISOString(), durationSeconds: 7200, open: false, cause: { findingId: 'smtp.unreachable', title: 'SMTP port 25 unreachable' } }]);
  assert.deepEqual(m.certificate.daysLeft, [{ day: day(0), value: 39 }, { day: day(1), value: 38 }, { day: day(2), value: 37 }]);
  assert.deepEqual(m.blacklist.lists, [{ day: day(0), value: 0 }, { day: day(1), value: 1 }, { day: day(2), value: 0 }]);
  assert.deepEqual(m.blacklist.periods.map((p) => [p.findingId, p.subject, p.from, p.to]), [['dnsbl.listed', '192.0.2.25', new Date(D0 + 33 * HOUR).toISOString(), new Date(D0 + 36 * HOUR).toISOString()]]);
  const c = history.targets[1]!;
  assert.equal(c.firstRunAt, new Date(D0 + 60 * HOUR - 800).toISOString());
  assert.equal(c.period.availability, 1);
  assert.deepEqual(reports.map((r) => [r.target, r.status, r.startedAt]), [['mail.example', 'ok', new Date(D0 + 71 * HOUR - 800).toISOString()], ['例子.example', 'warning', new Date(D0 + 68 * HOUR - 800).toISOString()]]);
  // A period after all data: no run in it, said so; availability not invented.
  const later = await readStoreHistory(loc, { sinceMs: NOW - 1000, nowMs: NOW, targets: ['mail.example'] });
  assert.equal(later.history.targets[0]!.runs, 0);
  assert.equal(later.history.targets[0]!.period.availability, null);
  assert.match(renderHtml(later.reports, { history: later.history }), /No data in this period: no run of this target is stored in it/);
}

describe('report --from-store on SQLite', () => {
  before(() => filled({ path: STORE }));
  test('figures: availability per day and over the period, incidents and MTTR, certificate and blacklist timelines', async () => {
    await checkFigures({ path: STORE });
  });

  test('markdown, csv, json, junit and nagios through the CLI', async () => {
    const md = await runCli(['report', '--from-store', '--store', STORE, '--since', '5d', '--format', 'md']);
    assert.equal(md.code, 1, `worst latest status is warning: ${md.stderr}`);
    const s = md.stdout;
    for (const want of ['## Summary', '## History', '96.667%', '| 1 | 2h |', 'not measured', 'smtp.unreachable', 'Listed on Example Minor List', '## Current findings', CJK_TITLE, '补全中间证书。']) assert.ok(s.includes(want), `md has ${want}`);
    assert.ok(s.indexOf('## Summary') < s.indexOf('## History') && s.indexOf('## History') < s.indexOf('## Current findings'));
    const csv = await runCli(['report', '--from-store', '--store', STORE, '--since', '5d', '--format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'target,day,up_seconds,down_seconds,unknown_seconds,availability,cert_days_left,blacklists');
    assert.ok(lines.includes(`mail.example,${day(1)},79200,7200,0,0.916667,38,1`), lines.join('\n'));
    assert.ok(lines.includes(`mail.example,${day(-1)},0,0,0,,,`));
    const inc = await runCli(['report', '--from-store', '--store', STORE, '--format', 'csv', '--rows', 'incidents', '--target', 'mail.example']);
    assert.equal(inc.stdout.trimEnd().split('\r\n')[1], `mail.example,${new Date(D0 + 30 * HOUR).toISOString()},${new Date(D0 + 32 * HOUR).toISOString()},7200,no,smtp.unreachable,SMTP port 25 unreachable`);
    const json = JSON.parse((await runCli(['report', '--from-store', '--store', STORE, '--format', 'json', '--since', '5d'])).stdout);
    assert.equal(json.schema, 'mxdoctor.report/v1');
    assert.equal(json.reports.length, 2);
    assert.equal(json.history.targets[0].period.mttrSeconds, 7200);
    const junit = await runCli(['report', '--from-store', '--store', STORE, '--format', 'junit']);
    assert.match(junit.stdout, /<testsuite name="例子\.example"[^>]*failures="1"/);
    const nagios = await runCli(['report', '--from-store', '--store', STORE, '--format', 'nagios']);
    assert.equal(nagios.code, 1);
    assert.match(nagios.stdout, /^MXDOCTOR WARNING - /);
  });

  test('html opens in headless Chromium with the history charts and no console error or request', { skip: browserMissing() }, async () => {
    const file = join(dir, 'h.html');
    const r = await runCli(['report', '--from-store', '--store', STORE, '--since', '5d', '-o', file]);
    assert.equal(r.code, 1, r.stderr);
    const browser = await launchBrowser();
    try {
      const { page, problems } = await watchedPage(browser);
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      assert.equal(await page.title(), 'mxdoctor history report: 2 targets');
      const text = await page.locator('body').innerText();
      assert.ok(text.indexOf('Summary') < text.indexOf('History') && text.indexOf('History') < text.indexOf('Current findings'));
      assert.match(text, /mail\.example\s+96\.667%\s+2d 10h\s+2h\s+11h\s+1\s+2h\s+60/);
      assert.ok(text.includes('unknown (not counted)'));
      assert.ok(text.includes(CJK_TITLE));
      // per target: availability per day, certificate days left, blacklists (例子.example has no dnsbl runs)
      assert.ok(await page.locator('svg[aria-label="Availability per day: mail.example"] rect[fill="#c62828"]').count() >= 1, 'a down segment on day 1');
      assert.equal(await page.locator('svg[aria-label="Certificate days left: mail.example"]').count(), 1);
      assert.equal(await page.locator('svg[aria-label="Blacklist listings: mail.example"]').count(), 1);
      const tips = await page.locator('svg[aria-label="Availability per day: mail.example"] g title').allTextContents();
      assert.match(tips.find((t) => t.startsWith(day(1))) ?? '', /up 22h, down 2h, unknown 0 s \(availability 91\.667%\)/);
      assert.match(tips.find((t) => t.startsWith(day(-1))) ?? '', /not measured/);
      assert.deepEqual(problems, { console: [], pageErrors: [], failedRequests: [], requests: [] });
    } finally {
      await browser.close();
    }
  });

  test('pdf: pdftotext finds the history, the incident and the Chinese text', async () => {
    requireTool('pdftotext', 'poppler-utils');
    const file = join(dir, 'h.pdf');
    const r = await runCli(['report', '--from-store', '--store', STORE, '--since', '5d', '-o', file]);
    assert.equal(r.code, 1, r.stderr);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    for (const want of ['History', '96.667%', 'is counted apart and is not down', new Date(D0 + 30 * HOUR).toISOString(), 'smtp.unreachable', 'Blacklist listings', 'dnsbl.listed', '192.0.2.25', 'not measured', 'Current findings', CJK_TITLE]) assert.ok(text.includes(want), `pdf has ${want}`);
  });

  test('a missing or empty store, an unknown target, a bad --since: one line each, exit 3', async () => {
    const empty = join(dir, 'empty.db');
    await (await openStoreDb({ path: empty })).close();
    const notDb = join(dir, 'not.db');
    writeFileSync(notDb, 'hello, this is not SQLite'.repeat(100));
    const cases: [string[], RegExp][] = [
      [['--store', join(dir, 'nope.db')], /--store .*nope\.db: no such store; give the SQLite file serve writes/],
      [['--store', empty], /no runs stored yet; start mxdoctor serve with this store/],
      [['--store', notDb], /cannot open it \(file is not a database\)/],
      [['--store', STORE, '--target', 'other.example'], /--target other\.example: not in the store; it holds mail\.example, 例子\.example/],
      [['--store', STORE, '--since', 'yesterday-ish'], /--since yesterday-ish: give a duration back from now/],
      [['--store', STORE, '--since', '2099-01-01T00:00:00Z'], /lies in the future/],
      [[], /give --config <file> .* or --store/],
      [['--store', STORE, 'r.json'], /give no input file as well/],
      [['--store', 'postgres://nobody@127.0.0.1:1/none'], /store postgres:\/\/nobody@127\.0\.0\.1:1\/none: cannot open it \(.*ECONNREFUSED/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(['report', '--from-store', ...args, '--format', 'md']);
      assert.equal(r.code, 3, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.equal(existsSync(join(dir, 'nope.db')), false, 'reading history does not create a store');
    const noFlag = await runCli(['report', '--store', STORE]);
    assert.match(noFlag.stderr, /--store, --since and --target go with --from-store/);
  });
});

describe('report --from-store on PostgreSQL', async () => {
  const pg = await startPostgres();
  after(() => pg?.stop());
  test('the same figures from a real PostgreSQL', { skip: pg ? false : 'PostgreSQL is not installed (test/lab/install-postgres.sh installs it; CI runs it)' }, async () => {
    await filled({ url: pg!.url });
    await checkFigures({ url: pg!.url });
    const md = await runCli(['report', '--from-store', '--store', pg!.url, '--since', '5d', '--format', 'md']);
    assert.equal(md.code, 1, md.stderr);
    assert.ok(md.stdout.includes('96.667%'));
  });
});
