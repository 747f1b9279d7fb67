// Memory flat in the file size and the number of distinct keys (issue 15), totals exact:
// the Space-Saving tables (src/logs/sketch.ts) keep every count within its stated error, the
// distinct counts stay exact (fingerprints) then estimated (HyperLogLog), in-flight records
// are dropped by age and counted; issue 16: a 10 MB line is one cut line, and a log whose
// time goes backwards keeps its senders and bytes.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tally } from '../src/logs/tally.js';
import { Distinct } from '../src/logs/distinct.js';
import { InFlightMap, MAX_AGE_S, UNQUEUED_AGE_S } from '../src/logs/lifecycle.js';
import { Analyser } from '../src/logs/analyse.js';
import { buildLogReport } from '../src/logs/report.js';
import { renderLogsText } from '../src/report/logs-text.js';
import { generatePostfixLog, newCounts } from './helpers/postfix-log-gen.js';

process.env.TZ = 'UTC';
const dir = mkdtempSync(join(tmpdir(), 'mxd-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A skewed stream: a few heavy keys among many light ones (deterministic). */
function stream(n: number, distinct: number, seed = 7): string[] {
  let s = seed;
  // mulberry32
  const rnd = () => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`k${Math.floor(distinct * rnd() ** 3)}@example.test`);
  return out;
}

function truth(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function assertWithin(t: Tally, exact: Map<string, number>): void {
  for (const r of t.map.values()) {
    const real = exact.get(r.key) ?? 0;
    const err = r.err?.[0] ?? 0;
    assert.ok(real <= r.count && real >= r.count - err, `${r.key}: true ${real} outside [${r.count - err}, ${r.count}]`);
    assert.ok(r.bytes >= real * 10 && r.bytes - (r.err?.[1] ?? 0) <= real * 10, `${r.key}: bytes outside their bound`);
  }
}

describe('bounded tables', () => {
  test('exact while the distinct keys fit; within the per-row error and the same top keys once they do not', () => {
    const keys = stream(50_000, 20_000);
    const exact = truth(keys);
    const small = new Tally(100_000);
    const t = new Tally(500);
    for (const k of keys) { small.add(k, 1, 10); t.add(k, 1, 10); }
    assert.ok(!small.overflowed);
    assert.ok([...small.map.values()].every((r) => !r.err && r.count === exact.get(r.key)));
    assert.ok(t.overflowed && t.map.size <= 500);
    assertWithin(t, exact);
    // Distinct count stays exact past the table's size.
    assert.equal(t.size, exact.size);
    assert.equal(t.approximate, false);
    // Space-Saving's guarantee: a key counted more often than the floor is never out of the table.
    for (const [k, n] of exact) if (n > t.floors[0]!) assert.ok(t.map.has(k), `${k} (${n} > floor ${t.floors[0]}) was dropped`);
    const real = [...exact.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k]) => k);
    assert.deepEqual(t.top(5).map((r) => r.key), real);
  });

  test('a full table whose rows are all zero still keeps half of them (never empties itself)', () => {
    const t = new Tally(8);
    for (let i = 0; i < 20; i++) t.add(`z${i}`, 0, 0);
    assert.ok(t.map.size > 0 && t.map.size <= 8, `${t.map.size} rows`);
    assert.equal(t.size, 20);
  });

  test('two tables merged (a split read) keep the bound and the exact distinct count', () => {
    const keys = stream(40_000, 15_000, 11);
    const a = new Tally(400);
    const b = new Tally(400);
    keys.forEach((k, i) => (i < 25_000 ? a : b).add(k, 1, 10));
    // As between threads: a structured clone, classes put back (merge.ts does the same).
    const c = structuredClone(b) as Tally;
    Object.setPrototypeOf(c, Tally.prototype);
    if (c.distinct) Object.setPrototypeOf(c.distinct, Distinct.prototype);
    a.merge(c);
    assertWithin(a, truth(keys));
    assert.equal(a.size, truth(keys).size);
  });

  test('distinct counts: exact fingerprints, then a HyperLogLog estimate within 3% that says so', () => {
    const d = new Distinct(1000);
    for (let i = 0; i < 900; i++) d.add(`u${i}`);
    for (let i = 0; i < 900; i++) assert.equal(d.add(`u${i}`), false);
    assert.equal(d.count, 900);
    assert.equal(d.approximate, false);
    d.remove('u5');
    assert.equal(d.count, 899);
    assert.equal(d.has('u5'), false);
    assert.equal(d.has('u6'), true);
    for (let i = 0; i < 60_000; i++) d.add(`u${i}`);
    assert.equal(d.approximate, true);
    assert.ok(Math.abs(d.count - 60_000) / 60_000 < 0.03, `estimate ${d.count}`);
  });
});

describe('in-flight records', () => {
  test('never queued for 6 hours, or silent for 7 days: dropped and counted; the rest kept', () => {
    const f = new InFlightMap();
    const t0 = 1_000_000;
    f.touch('AAAAA1', t0); // a session that ended after its queue id: no qmgr line
    const q = f.touch('AAAAA2', t0); q.size = 100; // queued, deferred, retried below
    const old = f.touch('AAAAA3', t0); old.size = 100; // queued, then nothing: its removal is not in the log
    f.touch('AAAAA4', t0 + UNQUEUED_AGE_S); // young
    f.sweep(t0 + UNQUEUED_AGE_S - 1);
    assert.equal(f.size, 4);
    f.touch('AAAAA2', t0 + MAX_AGE_S);
    f.sweep(t0 + MAX_AGE_S + 10);
    assert.deepEqual([f.abandoned, f.expired], [2, 1]);
    assert.deepEqual([...f.values()].map((m) => m.qid), ['AAAAA2']);
  });
});

describe('hostile and disordered input (issue 16)', () => {
  const lines = [...generatePostfixLog({ messages: 400, seed: 3 }, newCounts())];

  async function report(text: string, name: string) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const a = await new Analyser({}).read([{ path }]);
    return { a, r: buildLogReport(a, 10, 0) };
  }

  test('a 10 MB line is one line, cut, and the warning says so', async () => {
    const text = `${lines[0]}\n${lines[1]!.slice(0, 60)}${'x'.repeat(10 << 20)}\n${lines.slice(2, 50).join('\n')}\n`;
    const { a } = await report(text, 'long.log');
    assert.equal(a.lines, 50);
    assert.equal(a.sources[0]!.cutLines, 1);
    assert.ok(a.warnings.some((w) => /1 line\(s\) longer than 64 KiB were cut/.test(w)), a.warnings.join('; '));
  });

  test('files in the wrong order (time going backwards): same senders and bytes, and a warning', async () => {
    const half = Math.floor(lines.length / 2);
    const { r: fwd, a: fa } = await report(`${lines.join('\n')}\n`, 'forward.log');
    const { r: back, a } = await report(`${[...lines.slice(half), ...lines.slice(0, half)].join('\n')}\n`, 'swapped.log');
    assert.equal(fa.warnings.length, 0);
    const pick = (x: typeof fwd) => [x.totals.received, x.totals.delivered, x.totals.bytesReceived, x.totals.bytesDelivered, x.totals.senders, x.totals.recipients, x.totals.deliveredWithoutSize];
    assert.deepEqual(pick(back), pick(fwd));
    assert.ok(a.warnings.some((w) => /timestamps go backwards/.test(w)));
  });

  test('a count from a full table is shown as a range in text and with its error in JSON', async () => {
    const { a } = await report(`${lines.join('\n')}\n`, 'plain.log');
    const s = a.summary;
    const row = s.senders.map.values().next().value!;
    row.err = [2, 0];
    const r = buildLogReport(a, 100_000, 0);
    const out = r.senders.byCount.find((x) => x.key === row.key)!;
    assert.equal(out.countError, 2);
    const text = renderLogsText(r, { color: false });
    assert.match(text, new RegExp(`${row.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${row.count - 2}–${row.count}`));
    assert.match(text, /a range a–b/);
  });
});

test('postscreen\'s dnsblog lines are understood (not counted as unparsed: they were 1.3% of a busy log)', async () => {
  const { parsePostfix } = await import('../src/logs/postfix.js');
  assert.deepEqual(parsePostfix('dnsblog', 'addr 198.18.148.13 listed by domain zen.spamhaus.org as 127.0.0.11'), { k: 'other' });
  assert.equal(parsePostfix('dnsblog', 'something else entirely'), null);
});
