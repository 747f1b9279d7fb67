// Reading in parts (split.ts, boundary.ts, merge.ts, parallel.ts): the report of a split read
// must be the one-pass report, wherever the split falls: messages straddling it (client= in
// one part, qmgr and deliveries in the next), out-of-order lines, repeats, three parts,
// .gz (never cut), files smaller than a read chunk, worker threads, stdin and --follow.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, cpSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyser, evictionWarning, type Analysis } from '../src/logs/analyse.js';
import { buildLogReport } from '../src/logs/report.js';
import { mergeAnalysis, reviveAnalysis } from '../src/logs/merge.js';
import { analyseSources, threadsFor } from '../src/logs/parallel.js';
import { lineStartAfter, splitSources } from '../src/logs/split.js';
import { resolveSources, type LogSource } from '../src/logs/sources.js';
import { generatePostfixLog, newCounts } from './helpers/postfix-log-gen.js';

process.env.TZ = 'UTC';
const FX = new URL('./fixtures/logs/', import.meta.url).pathname;
const BIN = new URL('../bin/mxdoctor.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mxd-parallel-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The report as JSON, without what legitimately differs: the time it was made and the in-flight peak (an upper bound when split). */
function reportOf(a: Analysis): unknown {
  const r = buildLogReport(a, 50, 0) as Record<string, unknown> & { inFlight: { peak?: number } };
  delete r.inFlight.peak;
  return JSON.parse(JSON.stringify(r));
}

async function onePass(sources: LogSource[]) {
  return reportOf(await new Analyser({ unparsedSamples: 50 }).read(sources));
}

/** The parts read one after the other in this thread, each crossing a structured clone as it would between threads. */
async function inParts(parts: LogSource[][]) {
  const a = await new Analyser({ unparsedSamples: 50, part: 'first' }).read(parts[0]!);
  for (const p of parts.slice(1)) {
    const an = new Analyser({ unparsedSamples: 50, part: 'later' });
    await an.read(p);
    mergeAnalysis(a, reviveAnalysis(structuredClone(an.transferable())), 50);
  }
  evictionWarning(a);
  return reportOf(a);
}

/** Byte offsets of every line start after the first. */
function lineStarts(path: string): number[] {
  const b = readFileSync(path);
  const out: number[] = [];
  for (let i = b.indexOf(10); i >= 0 && i + 1 < b.length; i = b.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

function cut(path: string, mtimeMs: number, at: number[]): LogSource[][] {
  const size = statSync(path).size;
  const bounds = [0, ...at, size];
  return bounds.slice(1).map((end, i) => [{ path, mtimeMs, start: bounds[i]!, end }]);
}

/** One pass against a split at every line start (exhaustive for small logs). */
async function everySplit(path: string, step = 1) {
  const mtimeMs = statSync(path).mtimeMs;
  const whole = await onePass([{ path, mtimeMs }]);
  const starts = lineStarts(path);
  for (let i = 0; i < starts.length; i += step) {
    assert.deepEqual(await inParts(cut(path, mtimeMs, [starts[i]!])), whole, `${path} split at byte ${starts[i]}`);
  }
  return starts.length;
}

/**
 * A busy server's log: messages interleaved, lines out of order within `window`; with
 * `damage`, 2% of lines repeated (re-logged client= or qmgr lines) and 2% of removals lost.
 */
function shuffledLog(name: string, messages: number, seed: number, window = 40, damage = false, format: 'rfc3339' | 'rfc3164' = 'rfc3339'): string {
  const lines = [...generatePostfixLog({ messages, seed, format }, newCounts())];
  let s = seed;
  const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 0x100000000; };
  for (let i = 0; i < lines.length; i += window) {
    const end = Math.min(i + window, lines.length);
    for (let j = end - 1; j > i; j--) { const k = i + Math.floor(rnd() * (j - i + 1)); [lines[j], lines[k]] = [lines[k]!, lines[j]!]; }
  }
  const out: string[] = [];
  for (const l of lines) {
    if (damage && rnd() < 0.02 && l.endsWith(': removed')) continue;
    out.push(l);
    if (damage && rnd() < 0.02) out.push(l);
  }
  const path = join(dir, name);
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

// The same message in both parts, in every way the counts depend on its state.
const STRADDLE = `2025-04-09T10:00:00+00:00 mx postfix/smtpd[1]: connect from a.sender.example[192.0.2.1]
2025-04-09T10:00:00+00:00 mx postfix/smtpd[1]: 1A2B3C4D5E: client=a.sender.example[192.0.2.1]
2025-04-09T10:00:01+00:00 mx postfix/cleanup[2]: 1A2B3C4D5E: message-id=<m1@sender.example>
2025-04-09T10:00:01+00:00 mx postfix/qmgr[3]: 1A2B3C4D5E: from=<Alice@Sender.Example>, size=1000, nrcpt=2 (queue active)
2025-04-09T10:00:02+00:00 mx postfix/smtp[4]: 1A2B3C4D5E: to=<b@dest.example>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to mx.dest.example[198.51.100.1]:25: Connection timed out)
2025-04-09T10:00:03+00:00 mx postfix/smtpd[1]: 1A2B3C4D5E: client=a.sender.example[192.0.2.1]
2025-04-09T10:05:02+00:00 mx postfix/qmgr[3]: 1A2B3C4D5E: from=<Alice@Sender.Example>, size=1000, nrcpt=2 (queue active)
2025-04-09T10:05:02+00:00 mx postfix/smtp[4]: 1A2B3C4D5E: to=<b@dest.example>, relay=none, delay=301, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.dest.example[198.51.100.1]:25: Connection timed out)
2025-04-09T10:10:02+00:00 mx postfix/smtp[4]: 1A2B3C4D5E: to=<b@dest.example>, relay=mx.dest.example[198.51.100.1]:25, delay=601, delays=0/0/1/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)
2025-04-09T10:10:02+00:00 mx postfix/smtp[4]: 1A2B3C4D5E: to=<c@dest.example>, relay=mx.dest.example[198.51.100.1]:25, delay=601, delays=0/0/1/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X2)
2025-04-09T10:10:03+00:00 mx postfix/qmgr[3]: 1A2B3C4D5E: removed
2025-04-09T10:11:00+00:00 mx postfix/smtp[5]: 2B3C4D5E6F: to=<d@dest.example>, relay=mx.dest.example[198.51.100.1]:25, delay=2, delays=0/0/1/0, dsn=2.0.0, status=sent (250 ok)
2025-04-09T10:11:00+00:00 mx postfix/smtpd[6]: 2B3C4D5E6F: client=late.sender.example[192.0.2.2]
2025-04-09T10:11:01+00:00 mx postfix/qmgr[3]: 2B3C4D5E6F: from=<late@sender.example>, size=500, nrcpt=1 (queue active)
2025-04-09T10:11:02+00:00 mx postfix/qmgr[3]: 2B3C4D5E6F: removed
2025-04-09T10:12:00+00:00 mx postfix/cleanup[7]: 3C4D5E6F7A: message-id=<bounce@mx>
2025-04-09T10:12:00+00:00 mx postfix/bounce[8]: 1A2B3C4D5E: sender non-delivery notification: 3C4D5E6F7A
2025-04-09T10:12:01+00:00 mx postfix/qmgr[3]: 3C4D5E6F7A: from=<>, size=2000, nrcpt=1 (queue active)
2025-04-09T10:12:02+00:00 mx postfix/local[9]: 3C4D5E6F7A: to=<alice@sender.example>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)
2025-04-09T10:12:02+00:00 mx postfix/qmgr[3]: 3C4D5E6F7A: removed
2025-04-09T10:13:00+00:00 mx postfix/smtpd[1]: 1A2B3C4D5E: client=reused.sender.example[192.0.2.3]
2025-04-09T10:13:01+00:00 mx postfix/qmgr[3]: 1A2B3C4D5E: from=<other@sender.example>, size=700, nrcpt=1 (queue active)
2025-04-09T10:13:02+00:00 mx postfix/smtp[4]: 1A2B3C4D5E: to=<e@dest.example>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to mx.dest.example[198.51.100.1]:25: Connection timed out)
2025-04-09T10:14:00+00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 <x@example.com>: Relay access denied; from=<s@spam.example> to=<x@example.com> proto=ESMTP helo=<x>
`;

describe('splitting', () => {
  test('parts cut plain files at line starts, cover every byte once, and never cut a .gz', () => {
    const log = shuffledLog('split.log', 300, 3);
    const size = statSync(log).size;
    for (const n of [2, 3, 5]) {
      const parts = splitSources([{ path: log, mtimeMs: 0 }], n);
      assert.equal(parts.length, n);
      const ranges = parts.flat();
      assert.equal(ranges[0]!.start, 0);
      assert.equal(ranges.at(-1)!.end, undefined, 'the last part reads to the end of the file');
      assert.ok(ranges.slice(0, -1).every((r) => r.end! < size));
      for (let i = 1; i < ranges.length; i++) {
        assert.equal(ranges[i]!.start, ranges[i - 1]!.end, 'contiguous');
        assert.equal(readFileSync(log).subarray(ranges[i]!.start! - 1, ranges[i]!.start!).toString(), '\n', 'at a line start');
      }
    }
    const gz = join(dir, 'only.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(log)));
    assert.deepEqual(splitSources([{ path: gz, mtimeMs: 0 }], 2), [[{ path: gz, mtimeMs: 0 }]]);
    // A rotated set: the .gz goes whole to one part, the plain files may be cut.
    const set = resolveSources([join(FX, 'rotated', 'mail.log*')]);
    const parts = splitSources(set, 2);
    assert.equal(parts.length, 2);
    assert.ok(parts.flat().filter((s) => s.path.endsWith('.gz')).every((s) => s.start === undefined));
    assert.equal(lineStartAfter(log, 1, size), readFileSync(log).indexOf(10) + 1);
  });

  test('threads: one for small input, stdin, --follow and --trace; MXDOCTOR_LOGS_THREADS overrides', () => {
    const small = [{ path: join(FX, 'postfix-rfc3339.log'), mtimeMs: 0 }];
    assert.equal(threadsFor(small, {}, {}), 1);
    assert.equal(threadsFor(small, {}, { MXDOCTOR_LOGS_THREADS: '2' }), 2);
    assert.equal(threadsFor([{ path: '-' }], {}, { MXDOCTOR_LOGS_THREADS: '2' }), 1);
    assert.equal(threadsFor(small, { follow: { signal: new AbortController().signal } }, { MXDOCTOR_LOGS_THREADS: '2' }), 1);
    assert.equal(threadsFor(small, { trace: 'x@example.org' }, { MXDOCTOR_LOGS_THREADS: '2' }), 1);
  });
});

describe('a split read gives the one-pass report', () => {
  test('messages straddling the split in every way, at every line', async () => {
    const path = join(dir, 'straddle.log');
    writeFileSync(path, STRADDLE);
    const n = await everySplit(path);
    assert.equal(n, STRADDLE.trim().split('\n').length - 1);
    // And the counts themselves: the re-logged client= and the second deferral count once.
    const t = (await onePass([{ path, mtimeMs: 0 }]) as { totals: Record<string, number> }).totals;
    assert.deepEqual([t.received, t.deferred, t.deferrals, t.delivered, t.bytesDelivered, t.deliveredWithoutSize], [3, 2, 3, 4, 4000, 1]);
  });

  for (const f of ['postfix-rfc3164.log', 'postfix-rfc3339.log', 'postfix-journald.json', 'real-debian-postfix.log', 'real-debian-dovecot.log', 'multi-instance.log', 'exim-mainlog', 'dovecot.log', 'year-boundary.log']) {
    test(`fixture ${f}, at every line`, async () => { await everySplit(join(FX, f)); });
  }

  test('a generated busy log with lines out of order: many split points, three and four parts', async () => {
    const path = shuffledLog('busy.log', 1500, 7);
    const mtimeMs = statSync(path).mtimeMs;
    const whole = await onePass([{ path, mtimeMs }]);
    const starts = lineStarts(path);
    for (let i = 1; i < 40; i++) {
      const at = starts[Math.floor((starts.length * i) / 40)]!;
      assert.deepEqual(await inParts(cut(path, mtimeMs, [at])), whole, `split at ${at}`);
    }
    for (const n of [3, 4]) assert.deepEqual(await inParts(splitSources([{ path, mtimeMs }], n)), whole, `${n} parts`);
  });

  test('repeated lines, lost removals, lines out of order by up to 200 lines: every third line', async () => {
    await everySplit(shuffledLog('damaged.log', 120, 3, 7, true), 3);
    await everySplit(shuffledLog('damaged-3164.log', 120, 2, 200, true, 'rfc3164'), 3);
  });

  test('a file smaller than one read chunk, and a rotated set with a .gz', async () => {
    const tiny = join(dir, 'tiny.log');
    writeFileSync(tiny, STRADDLE.split('\n').slice(0, 3).join('\n'));
    assert.deepEqual(await inParts(splitSources([{ path: tiny, mtimeMs: 0 }], 2)), await onePass([{ path: tiny, mtimeMs: 0 }]));
    const rot = join(dir, 'rotated');
    cpSync(join(FX, 'rotated'), rot, { recursive: true });
    const set = resolveSources([join(rot, 'mail.log*')]);
    for (const n of [2, 3]) assert.deepEqual(await inParts(splitSources(set, n)), await onePass(set), `${n} parts`);
  });
});

describe('worker threads', () => {
  test('analyseSources on two threads (a worker from source, through tsx) gives the one-pass report', async () => {
    const path = shuffledLog('threads.log', 2000, 11);
    const sources = [{ path, mtimeMs: statSync(path).mtimeMs }];
    process.env.MXDOCTOR_LOGS_THREADS = '2';
    try {
      assert.deepEqual(reportOf(await analyseSources(sources, { unparsedSamples: 50 })), await onePass(sources));
    } finally { delete process.env.MXDOCTOR_LOGS_THREADS; }
  });

  test('the CLI: two threads give the same JSON; .gz, stdin and a generated log with known counts', () => {
    const counts = newCounts();
    const log = join(dir, 'cli.log');
    writeFileSync(log, `${[...generatePostfixLog({ messages: 800, seed: 5 }, counts)].join('\n')}\n`);
    const gz = join(dir, 'cli.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FX, 'postfix-rfc3339.log'))));
    const run = (threads: string, args: string[], input?: string) => {
      const r = spawnSync(process.execPath, [BIN, 'logs', '--json', ...args], { input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', MXDOCTOR_LOGS_THREADS: threads } });
      const rep = JSON.parse(r.stdout).reports[0];
      const j = { ...rep.facts.logs, findings: rep.findings };
      delete j.generatedAt; delete j.inFlight.peak;
      return j;
    };
    const one = run('1', [gz, log]);
    assert.deepEqual(run('2', [gz, log]), one);
    assert.equal(one.totals.delivered, counts.delivered + 4);
    assert.equal(one.totals.bytesReceived, counts.bytesReceived + 16321);
    assert.equal(run('2', ['-'], readFileSync(log, 'utf8')).totals.received, counts.received, 'stdin is read on one thread');
  });
});

describe('bin/mxdoctor.js', () => {
  test('runs dist/ (its bundle dist/cli/ when there is one) while no file under src/ is newer, else src/ through tsx; MXDOCTOR_FROM_SOURCE and tests force src/', () => {
    // A fake checkout: the real entry point, a src/ and a dist/ main that say which one ran.
    const root = mkdtempSync(join(tmpdir(), 'mxd-bin-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    for (const d of ['bin', 'src/cli', 'src/logs', 'dist/src/cli']) mkdirSync(join(root, d), { recursive: true });
    cpSync(BIN, join(root, 'bin', 'mxdoctor.js'));
    symlinkSync(new URL('../node_modules', import.meta.url).pathname, join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(join(root, 'src', 'cli', 'main.ts'), "const from: string = 'src'; console.log(from);\n");
    writeFileSync(join(root, 'src', 'logs', 'x.ts'), 'export {};\n');
    writeFileSync(join(root, 'dist', 'src', 'cli', 'main.js'), "console.log('dist');\n");
    const which = (env: Record<string, string> = {}) => spawnSync(process.execPath, [join(root, 'bin', 'mxdoctor.js'), 'findings'], {
      encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: '', MXDOCTOR_FROM_SOURCE: '', ...env },
    }).stdout.trim();
    const old = new Date(Date.now() - 60_000);
    for (const f of ['src/cli/main.ts', 'src/logs/x.ts', 'src/cli', 'src/logs', 'src']) utimesSync(join(root, f), old, old);
    assert.equal(which(), 'src', 'no build stamp (dist/.built): a failed or interrupted build is not used');
    writeFileSync(join(root, 'dist', '.built'), 'now\n');
    assert.equal(which(), 'dist');
    assert.equal(which({ MXDOCTOR_FROM_SOURCE: '1' }), 'src');
    assert.equal(which({ NODE_TEST_CONTEXT: 'child-v8' }), 'src');
    utimesSync(join(root, 'src/logs/x.ts'), new Date(), new Date(Date.now() + 5000));
    assert.equal(which(), 'src', 'a source file newer than dist/');
    utimesSync(join(root, 'src/logs/x.ts'), old, old);
    assert.equal(which(), 'dist');
    mkdirSync(join(root, 'dist', 'cli'));
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), "console.log('bundle');\n");
    assert.equal(which(), 'bundle', 'the bundle (scripts/bundle-cli.mjs) when the build made one');
    rmSync(join(root, 'src/logs/x.ts'));
    assert.equal(which(), 'src', 'a file removed from src/ (its directory changed)');
  });
});
