// `npm run bench`: the performance figures of issue 2, written to docs/performance.md.
//   1. bulk audit of N synthetic domains (default 10,000) against the in-process lab,
//      target ≥ 200 domains/s, at a few --concurrency values, and dig on the same lab;
//   2. one domain's full audit with 50 ms added to every DNS answer, target < 400 ms,
//      and the same queries sent one after the other with dig.
// A benchmark, not a test: it always exits 0 when it could measure, and prints verdicts.
// Knobs (environment): BENCH_DOMAINS (10000), BENCH_CONCURRENCY (main run, 20 = the
// CLI default), BENCH_SWEEP ("100": other --concurrency values) on BENCH_SWEEP_DOMAINS
// (1000), BENCH_MAX_RUN_S (120: the main run stops there; the sweep, dig and per-family runs get a share), BENCH_FAMILY_DOMAINS (300; 0 skips the per-family runs), BENCH_DIG_PROCESSES
// ("1,8"), BENCH_DIG_SEQ_DOMAINS (2000), BENCH_REPEATS (3), BENCH_ONLY ("bulk" or
// "single"), BENCH_SERVERS (1: let the server-probe families connect too), BENCH_OUT (default docs/performance.md; "-" prints the report instead).
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_CHECKS } from '../src/index.js';
import { VERSION } from '../src/version.js';
import { ensureDig } from './dig.js';
import { hasGnuTime, run } from './proc.js';
import { benchBulk } from './bulk.js';
import type { BulkResult } from './bulk.js';
import { benchSingle } from './single.js';
import type { SingleResult } from './single.js';
import { renderReport, BULK_TARGET, SINGLE_TARGET } from './render.js';
import { median } from './single.js';

const env = process.env;
const list = (v: string | undefined, dflt: number[]) => (v === undefined ? dflt : v.split(',').map(Number).filter((n) => n > 0));
const domains = Number(env.BENCH_DOMAINS ?? 10_000);
const concurrency = Number(env.BENCH_CONCURRENCY ?? 20);
const sweep = list(env.BENCH_SWEEP, [100]);
const sweepDomains = Number(env.BENCH_SWEEP_DOMAINS ?? 1_000);
const maxRunS = Number(env.BENCH_MAX_RUN_S ?? 120);
const familyDomains = Number(env.BENCH_FAMILY_DOMAINS ?? 300);
const digProcesses = list(env.BENCH_DIG_PROCESSES, [1, 8]);
const digSeqDomains = Number(env.BENCH_DIG_SEQ_DOMAINS ?? 2_000);
const repeats = Number(env.BENCH_REPEATS ?? 3);
const only = env.BENCH_ONLY;
const probeServers = env.BENCH_SERVERS === '1';
const outFile = env.BENCH_OUT ?? join(process.cwd(), 'docs', 'performance.md');

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-bench-'));
const dig = ensureDig();
try {
  let bulk: BulkResult | undefined;
  let single: SingleResult | undefined;
  const load = loadavg();
  const startup = await startupCost(repeats);
  if (only !== 'bulk') single = await benchSingle({ delayMs: 50, repeats, probeServers, dig: dig.path, dir });
  if (only !== 'single') {
    bulk = await benchBulk({
      domains, concurrency, sweep, sweepDomains, maxRunS, probeServers, dig: dig.path, digProcesses, digSeqDomains, dir,
      families: familyDomains > 0 ? DOMAIN_CHECKS.map((c) => c.family) : [], familyDomains,
    });
  }
  const md = renderReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', memGiB: totalmem() / 2 ** 30,
    node: process.version, os: `${type()} ${release()}`, version: VERSION, families: DOMAIN_CHECKS.map((c) => c.family),
    dig: dig.version, digNote: dig.note, gnuTime: hasGnuTime, startup, load, totalS: (performance.now() - started) / 1000,
  }, bulk, single);
  if (outFile !== '-') writeFileSync(outFile, md);
  const lines: string[] = [];
  const b = bulk?.main;
  if (b) lines.push(`bulk: ${Math.round(b.domainsPerS)} domains/s for ${b.domains} domains at --concurrency ${b.concurrency} (target ≥ ${BULK_TARGET}): ${b.domainsPerS >= BULK_TARGET ? 'PASS' : 'FAIL'}`);
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

/** node + tsx start-up: `mxdoctor --version`, median wall time and CPU. */
async function startupCost(n: number): Promise<{ wallMs: number; cpuS?: number }> {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await run('node', [join(process.cwd(), 'bin', 'mxdoctor.js'), '--version'], { measure: true }));
  const m = median(runs, (r) => r.wallMs);
  return { wallMs: m.wallMs, cpuS: m.cpuS };
}
