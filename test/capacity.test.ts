// `mxdoctor capacity`: generated multi-day logs with known growth (a straight line of
// messages per day, a known peak hour, half the deliveries into local mailboxes), the
// honesty rule for short logs, the sizing rule of thumb term by term, and the CLI.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyser } from '../src/logs/analyse.js';
import { CapacityCounter, isLocalRelay } from '../src/logs/capacity-count.js';
import { buildCapacity } from '../src/logs/capacity.js';
import { fitTrend, projectTrend } from '../src/logs/capacity-trend.js';
import { runCli } from './helpers/cli.js';

process.env.TZ = 'UTC';
const SIZE = 10_000;
const DAY0 = Date.UTC(2025, 2, 1) / 1000;

/** Day d has base + step·d messages; a quarter of each day's messages arrive in 14:00-15:00. */
function genLog(days: number, base: number, step: number): string {
  const out: string[] = [];
  let q = 0x100000;
  const stamp = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 19)}.000000+00:00 mx`;
  for (let d = 0; d < days; d++) {
    const n = base + step * d;
    const peak = Math.ceil(n / 4);
    for (let k = 0; k < n; k++) {
      // Peak messages spread over 14:00-14:59, the others over the rest of the day (from 00:00:30).
      const s = DAY0 + d * 86400 + (k < peak ? 14 * 3600 + Math.floor((k * 3599) / peak) : 30 + Math.floor(((k - peak) * (86400 - 90)) / (n - peak)));
      const sec = s >= DAY0 + d * 86400 + 14 * 3600 && s < DAY0 + d * 86400 + 15 * 3600 && k >= peak ? s + 3600 : s;
      const id = (q++).toString(16).toUpperCase();
      const relay = k % 2 === 0 ? 'relay=private/dovecot-lmtp' : 'relay=mx.example.net[192.0.2.9]:25';
      out.push(`${stamp(sec)} postfix/smtpd[10]: ${id}: client=a.example.org[192.0.2.1]`,
        `${stamp(sec)} postfix/qmgr[11]: ${id}: from=<a@example.org>, size=${SIZE}, nrcpt=1 (queue active)`,
        `${stamp(sec)} postfix/lmtp[12]: ${id}: to=<u${k}@example.com>, ${relay}, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)`,
        `${stamp(sec)} postfix/qmgr[11]: ${id}: removed`);
    }
  }
  return `${out.join('\n')}\n`;
}

function capacityOf(text: string, months = 12) {
  const counter = new CapacityCounter();
  const an = new Analyser({ onEvent: counter.add });
  counter.attach(an.a.summary.t);
  for (const l of text.split('\n')) if (l) an.line(l);
  assert.equal(an.a.unparsed, 0);
  return buildCapacity({ counter, first: an.a.summary.first, last: an.a.summary.last, months });
}

describe('capacity from a 14-day log growing by 10 messages a day', () => {
  const r = capacityOf(genLog(14, 100, 10));
  test('daily volume: averages over complete days', () => {
    assert.equal(r.span.calendarDays, 14);
    assert.equal(r.span.fullDays, 14);
    assert.equal(r.daily.received, 165); // 100 + 10 × 6.5
    assert.equal(r.daily.delivered, 165);
    assert.equal(r.daily.bytesReceived, 165 * SIZE);
    assert.equal(r.daily.bytesLocal, (165 / 2) * SIZE);
    assert.equal(r.daily.averageMessageSize, SIZE);
    assert.deepEqual(r.days[0], { date: '2025-03-01', full: true, received: 100, delivered: 100, bytesReceived: 100 * SIZE, bytesDelivered: 100 * SIZE, localDelivered: 50, bytesLocal: 50 * SIZE });
  });
  test('peak hour: the last day, 14:00', () => {
    assert.equal(r.peakHour.hour, '2025-03-14 14:00');
    assert.equal(r.peakHour.received, Math.ceil(230 / 4));
  });
  test('trend: +10 messages/day exactly, r² = 1', () => {
    assert.equal(r.trend.meaningful, true);
    assert.equal(r.trend.received!.perDay, 10);
    assert.equal(r.trend.received!.growthPercentPerDay, Math.round((1000 / 165) * 1000) / 1000);
    assert.equal(r.trend.received!.r2, 1);
    assert.equal(r.trend.bytesLocal!.perDay, 5 * SIZE);
  });
  test('projection 12 months ahead follows the line', () => {
    assert.equal(r.projection.basis, 'trend');
    assert.equal(r.projection.horizonDays, 365);
    assert.equal(r.projection.receivedPerDay, 230 + 10 * 365);
    assert.equal(r.projection.date, '2026-03-14');
    assert.equal(r.estimate.storagePerMonthAtHorizon, Math.round((230 + 3650) / 2 * SIZE * 30.4375));
    assert.equal(r.estimate.peakHourAtHorizon, Math.round(58 * ((230 + 3650) / 165)));
  });
  test("the sizing rule of thumb, term by term", () => {
    const a = r.ruleOfThumb;
    assert.match(a.source, /rule of thumb.*not a standard/);
    assert.equal(a.dailyVolume.value, 330);
    assert.equal(a.timesFactor, 495);
    assert.equal(a.attachmentBytes.value, SIZE * 165);
    assert.equal(a.messagesPerDay, Math.round(495 * 1.3));
    assert.equal(a.bytesPerDay, Math.round(SIZE * 165 * 1.3));
  });
  test('--months changes the horizon', () => {
    assert.equal(capacityOf(genLog(14, 100, 10), 1).projection.receivedPerDay, 230 + 10 * 30);
  });
});

describe('honest with short logs', () => {
  test('3 days: the trend is not meaningful and the projection is flat', () => {
    const r = capacityOf(genLog(3, 100, 50));
    assert.equal(r.trend.meaningful, false);
    assert.match(r.trend.note, /only 3 complete day\(s\): a trend needs at least 7/);
    assert.equal(r.projection.basis, 'flat');
    assert.equal(r.projection.receivedPerDay, 150);
  });
  test('part of a day: averages use it and say so', () => {
    const text = genLog(1, 40, 0).split('\n').slice(0, 80).join('\n');
    const r = capacityOf(text);
    assert.equal(r.span.partialOnly, true);
    assert.equal(r.trend.meaningful, false);
  });
});

test('local mailbox relays', () => {
  for (const y of ['local', 'virtual', 'dovecot', 'private/dovecot-lmtp', 'mail.example.com[private/dovecot-lmtp]', '127.0.0.1[127.0.0.1]:24']) assert.equal(isLocalRelay(y), true, y);
  for (const n of ['mx.example.net[192.0.2.1]:25', 'none', '127.0.0.1[127.0.0.1]:10025', 'smtp.relay.example[198.51.100.1]:587']) assert.equal(isLocalRelay(n), false, n);
});

test('least squares', () => {
  const t = fitTrend([0, 1, 2, 3], [1, 3, 5, 7])!;
  assert.equal(t.slopePerDay, 2);
  assert.equal(t.lastFitted, 7);
  assert.equal(projectTrend(t, 10), 27);
  assert.equal(fitTrend([5], [1]), undefined);
  assert.equal(projectTrend(fitTrend([0, 1], [10, 0])!, 5), 0, 'never below zero');
});

describe('CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-cap-'));
  const file = join(dir, 'mail.log');
  writeFileSync(file, genLog(10, 200, 20));
  test('--json', async () => {
    const r = await runCli(['capacity', file, '--json', '--months', '6']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'mxdoctor.report/v1');
    assert.equal(doc.reports[0].kind, 'capacity');
    assert.deepEqual(doc.reports[0].findings.map((f: { id: string }) => f.id), ['capacity.projected']);
    const j = doc.reports[0].facts.capacity;
    assert.equal(j.trend.received.perDay, 20);
    assert.equal(j.projection.months, 6);
    assert.equal(j.input.unparsed, 0);
  });
  test('text shows the rule and the estimate', async () => {
    const r = await runCli(['capacity', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Sizing rule of thumb: daily volume × 1\.5 \+ attachment bytes \+ 30% margin/);
    assert.match(r.stdout, /not a standard/);
    assert.doesNotMatch(r.stdout, /article|预测/i);
    assert.match(r.stdout, /Trend-based estimate/);
    assert.match(r.stdout, /Peak hour\n {2}2025-03-10 14:00: 95 messages received/);
  });
  test('no mail at all: unknown (exit 3) in one line, no projection', async () => {
    const r = await runCli(['capacity', '-'], { stdin: 'Mar  1 10:00:00 h kernel: hello\n' });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^Mail capacity {2}UNKNOWN: None of the 1 lines comes from a mail program \(seen: kernel\)/);
    assert.doesNotMatch(r.stdout, /Projection/);
  });
});
