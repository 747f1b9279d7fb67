// `npm run bench`: the performance figures of issue 2, written to docs/performance.md.
//   1. bulk audit of N synthetic domains (default 10,000) against the in-process lab,
//      target ≥ 200 domains/s, at a few --concurrency values, and dig on the same lab;
//   2. one domain's full audit with 50 ms added to every DNS answer, target < 400 ms,
//      and the same queries sent one after the other with dig.
// A benchmark, not a test: it always exits 0 when it could measure, and prints verdicts.
// Knobs (environment): BENCH_DOMAINS, BENCH_CONCURRENCY (e.g. "20,100"),
// BENCH_DIG_PROCESSES (e.g. "1,8"), BENCH_DIG_SEQ_DOMAINS, BENCH_REPEATS, BENCH_ONLY
// ("bulk" or "single"), BENCH_OUT (default docs/performance.md; "-" prints only).
import { availableParallelism, cpus, release, tmpdir, totalmem, type } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_CHECKS } from '../src/index.js';
import { VERSION } from '../src/version.js';
import { ensureDig } from './dig.js';
import { hasGnuTime } from './proc.js';
import { benchBulk } from './bulk.js';
import type { BulkResult } from './bulk.js';
import { benchSingle } from './single.js';
import type { SingleResult } from './single.js';
import { renderReport, bestBulk, BULK_TARGET, SINGLE_TARGET } from './render.js';
import { median } from './single.js';

const env = process.env;
const list = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number).filter((n) => n > 0) : dflt);
const domains = Number(env.BENCH_DOMAINS ?? 10_000);
const concurrencies = list(env.BENCH_CONCURRENCY, [20, 100]);
const digProcesses = list(env.BENCH_DIG_PROCESSES, [1, 8]);
const digSeqDomains = Number(env.BENCH_DIG_SEQ_DOMAINS ?? 2_000);
const repeats = Number(env.BENCH_REPEATS ?? 3);
const only = env.BENCH_ONLY;
const outFile = env.BENCH_OUT ?? join(process.cwd(), 'docs', 'performance.md');

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-bench-'));
const dig = ensureDig();
try {
  let bulk: BulkResult | undefined;
  let single: SingleResult | undefined;
  if (only !== 'bulk') single = await benchSingle({ delayMs: 50, repeats, dig: dig.path, dir });
  if (only !== 'single') bulk = await benchBulk({ domains, concurrencies, dig: dig.path, digProcesses, digSeqDomains, dir });
  const md = renderReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', memGiB: totalmem() / 2 ** 30,
    node: process.version, os: `${type()} ${release()}`, version: VERSION, families: DOMAIN_CHECKS.map((c) => c.family),
    dig: dig.version, digNote: dig.note, gnuTime: hasGnuTime, totalS: (performance.now() - started) / 1000,
  }, bulk, single);
  if (outFile !== '-') writeFileSync(outFile, md);
  const lines: string[] = [];
  const b = bulk && bestBulk(bulk);
  if (b) lines.push(`bulk: ${Math.round(b.domainsPerS)} domains/s at --concurrency ${b.concurrency} (target ≥ ${BULK_TARGET}): ${b.domainsPerS >= BULK_TARGET ? 'PASS' : 'FAIL'}`);
  if (single) {
    const c = median(single.cli, (x) => x.durationMs);
    lines.push(`one domain at 50 ms/answer: audit ${c.durationMs} ms, ${c.dnsQueries} queries, process ${Math.round(median(single.cli, (x) => x.wallMs).wallMs)} ms (target < ${SINGLE_TARGET} ms): ${c.durationMs < SINGLE_TARGET ? 'PASS' : 'FAIL'}`);
  }
  if (dig.note) lines.push(dig.note);
  lines.push(outFile === '-' ? md : `written to ${outFile} (${Math.round((performance.now() - started) / 1000)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
