// `npm run bench`: the performance figures of issue 2, written to docs/performance.md.
//   1. bulk audit of N synthetic domains (default 10,000) against the in-process lab,
//      target ≥ 200 domains/s, at a few --concurrency values, and dig on the same lab;
//   2. one domain's full audit with 50 ms added to every DNS answer, target < 400 ms,
//      and the same queries sent one after the other with dig;
//   3. (issue 3) a full check of mail-lab.test (two MX hosts) on the real-server lab
//      (test/lab/: Knot, Unbound, Postfix, Dovecot; needs root), target < 2 s, and
//      testssl.sh and swaks on the same servers for the same facts (bench/servers.ts).
//   4. (issue 14) maildir verify --against on BENCH_MAILDIR_FILES (1,000,000) generated messages
//      and a damaged copy, against find | xargs sha256sum | sort + diff (bench/maildir.ts;
//      BENCH_MAILDIR_REPEATS 2, BENCH_MAILDIR_DIR for the work directory).
//   5. (issue 11) `mxdoctor serve` with 1,000 lab domains at 60 s: CPU per check, RSS over time,
//      and /probe against blackbox_exporter on the same lab SMTP server (bench/serve.ts).
// A benchmark, not a test: it always exits 0 when it could measure, and prints verdicts.
// Knobs (environment): BENCH_DOMAINS (10000), BENCH_CONCURRENCY (main run, 20 = the
// CLI default), BENCH_SWEEP ("100": other --concurrency values) on BENCH_SWEEP_DOMAINS
// (1000), BENCH_MAX_RUN_S (120: the main run stops there; the sweep, dig and per-family runs get a share), BENCH_FAMILY_DOMAINS (300; 0 skips the per-family runs), BENCH_DIG_PROCESSES
// ("1,8"), BENCH_DIG_SEQ_DOMAINS (2000), BENCH_REPEATS (3), BENCH_ONLY
// ("bulk", "single", "servers", "logs", "load", "fuzz", "maildir", "startup", "serve" or a comma list of them), BENCH_SERVE_MINUTES (10), BENCH_SERVE_TARGETS (1000), BENCH_SERVE_CONCURRENCY (4), BENCH_PROBE_N (200), BENCH_STARTUP_REPEATS (20), BENCH_STARTUP_BEFORE (another built checkout to time beside this one), BENCH_FUZZ_INPUTS (1000000: fuzzed parser inputs), BENCH_FUZZ_SEEDS ("1,2,3,4"), BENCH_LOGS_MB (1000: size of the generated log), BENCH_LOGS_REPEATS (3: runs of each compiled mxdoctor variant, median shown), BENCH_PFLOGSUMM_ARGS ("-u 10 -h 10"), BENCH_SERVERS (1: let the server-probe families connect too in 1 and 2),
// BENCH_LAB_REPEATS (5: mxdoctor runs in 3), BENCH_TESTSSL ("full": testssl.sh on port 25 of both MX and
// on mx1's 587/465/993/995; "mx": port 25 only; "all": also 143/110; "0": no alternatives), BENCH_COMPILED (1: also time
// the compiled CLI in 3; 0 skips the build), BENCH_OUT (default docs/performance.md; "-" prints the report instead).
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { benchServers, skippedServers, SERVERS_TARGET } from './servers.js';
import type { ServersResult } from './servers.js';
import { benchLogs } from './logs.js';
import { logsVerdicts, spliceLogsSection } from './logs-render.js';
import { benchLoad } from './load.js';
import { renderLoadSection, spliceLoadSection } from './load-render.js';
import { benchFuzz, renderFuzzSection, spliceFuzzSection } from './fuzz.js';
import { benchMaildir, renderMaildirSection, spliceMaildirSection } from './maildir.js';
import { benchStartup, renderStartupSection, spliceStartupSection, medianOf } from './startup.js';
import { benchServe } from './serve.js';
import { renderServeSection, serveFigures, spliceServeSection } from './serve-render.js';

const env = process.env;
// The bulk, single-domain and real-server sections time the checkout's source through tsx, as
// their labels say (the servers section also times a compiled build of its own), even when a
// fresh dist/ would make bin/mxdoctor.js run that: the slower, pessimistic case. The logs
// section chooses dist/ or source per run itself.
env.MXDOCTOR_FROM_SOURCE ??= '1';
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
const only = env.BENCH_ONLY?.split(',').map((x) => x.trim());
const want = (part: 'bulk' | 'single' | 'servers' | 'logs' | 'load' | 'fuzz' | 'maildir' | 'startup' | 'serve') => !only || only.includes(part);
const labRepeats = Number(env.BENCH_LAB_REPEATS ?? 5);
const testsslSet = env.BENCH_TESTSSL ?? 'full';
const compiled = env.BENCH_COMPILED !== '0';
const probeServers = env.BENCH_SERVERS === '1';
const outFile = env.BENCH_OUT ?? join(process.cwd(), 'docs', 'performance.md');

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-bench-'));
const dig = ensureDig();
try {
  let bulk: BulkResult | undefined;
  let single: SingleResult | undefined;
  let servers: ServersResult | undefined;
  const load = loadavg();
  const startup = await startupCost(repeats);
  if (want('single')) single = await benchSingle({ delayMs: 50, repeats, probeServers, dig: dig.path, dir });
  if (want('bulk')) {
    bulk = await benchBulk({
      domains, concurrency, sweep, sweepDomains, maxRunS, probeServers, dig: dig.path, digProcesses, digSeqDomains, dir,
      families: familyDomains > 0 ? DOMAIN_CHECKS.map((c) => c.family) : [], familyDomains,
    });
  }
  // (issue 4) mxdoctor logs against pflogsumm and awk on a generated log of BENCH_LOGS_MB (1000) MB: bench/logs.ts.
  const logs = want('logs') ? await benchLogs({ mb: Number(env.BENCH_LOGS_MB ?? 1000), compiled, pflogsummArgs: (env.BENCH_PFLOGSUMM_ARGS ?? '-u 10 -h 10').split(' ').filter(Boolean) }) : undefined;
  // (issue 13) mxdoctor load against Postfix's smtp-sink, beside smtp-source: bench/load.ts.
  const loadBench = want('load') ? await benchLoad({
    messages: Number(env.BENCH_LOAD_MESSAGES ?? 20_000), concurrency: list(env.BENCH_LOAD_CONCURRENCY, [1, 10, 50]), sizeBytes: Number(env.BENCH_LOAD_SIZE ?? 5120),
    rounds: Number(env.BENCH_LOAD_ROUNDS ?? 1),
  }) : undefined;
  // (issue 16) the parsers against a million fuzzed inputs (BENCH_FUZZ_INPUTS): bench/fuzz.ts.
  const fuzz = want('fuzz') ? benchFuzz({ inputs: Number(env.BENCH_FUZZ_INPUTS ?? 1_000_000), seeds: list(env.BENCH_FUZZ_SEEDS, [1, 2, 3, 4]) }) : undefined;
  if (want('servers')) {
    try {
      servers = await benchServers({ repeats: labRepeats, dir, testssl: testsslSet, compiled });
    } catch (e) {
      // Never fail the whole bench for the real-server section (the lab is stopped by then).
      servers = skippedServers(testsslSet, `the section failed: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ') ?? String(e)}`);
    }
  }
  const lines0: string[] = [];
  const md = renderReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', memGiB: totalmem() / 2 ** 30,
    node: process.version, os: `${type()} ${release()}`, version: VERSION, families: DOMAIN_CHECKS.map((c) => c.family),
    dig: dig.version, digNote: dig.note, gnuTime: hasGnuTime, startup, load, totalS: (performance.now() - started) / 1000,
  }, bulk, single, servers, logs);
  const loadMd = loadBench ? renderLoadSection(loadBench, { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), loadAverage: load, nproc: availableParallelism() }) : '';
  // BENCH_ONLY=logs (or load) refreshes that section of an existing report and keeps the others.
  const logsOnly = only?.length === 1 && only[0] === 'logs' && outFile !== '-' && existsSync(outFile);
  const loadOnly = only?.length === 1 && only[0] === 'load' && outFile !== '-' && existsSync(outFile);
  const fuzzMd = fuzz ? renderFuzzSection(fuzz, { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), loadAverage: load, nproc: availableParallelism() }) : '';
  const fuzzOnly = only?.length === 1 && only[0] === 'fuzz' && outFile !== '-' && existsSync(outFile);
  // (issue 14) maildir verify against find | xargs sha256sum: bench/maildir.ts, its own section.
  const maildir = want('maildir') ? await benchMaildir({ files: Number(env.BENCH_MAILDIR_FILES ?? 1_000_000), repeats: Number(env.BENCH_MAILDIR_REPEATS ?? 2), compiled: compiled && existsSync('dist/.built'), workDir: env.BENCH_MAILDIR_DIR }) : undefined;
  const maildirMd = maildir ? renderMaildirSection(maildir, `The machine (${availableParallelism()} CPUs) was shared with other work during the run (load average ${load.map((x) => x.toFixed(1)).join(', ')} at the start): the load average column says how busy it was, and CPU time varies less than wall time.`) : '';
  const maildirOnly = only?.length === 1 && only[0] === 'maildir' && outFile !== '-' && existsSync(outFile);
  // (issue 15) whole processes: --version, --help and a full check, compiled: bench/startup.ts.
  const startupRun = want('startup') ? await benchStartup({ repeats: Number(env.BENCH_STARTUP_REPEATS ?? 20), before: env.BENCH_STARTUP_BEFORE }) : undefined;
  const startupMd = startupRun ? renderStartupSection(startupRun, new Date().toISOString().replace(/\.\d+Z$/, 'Z'), availableParallelism()) : '';
  const startupOnly = only?.length === 1 && only[0] === 'startup' && outFile !== '-' && existsSync(outFile);
  // (issue 11) serve with BENCH_SERVE_TARGETS (1000) lab domains at 60 s for BENCH_SERVE_MINUTES (10),
  // then BENCH_PROBE_N (200) /probe requests against blackbox_exporter's: bench/serve.ts.
  const serveRun = want('serve') ? await benchServe({ targets: Number(env.BENCH_SERVE_TARGETS ?? 1000), minutes: Number(env.BENCH_SERVE_MINUTES ?? 10), probes: Number(env.BENCH_PROBE_N ?? 200), concurrency: Number(env.BENCH_SERVE_CONCURRENCY ?? 4) }) : undefined;
  const serveMd = serveRun ? renderServeSection(serveRun, { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), loadAverage: load, loadEnd: loadavg(), nproc: availableParallelism() }) : '';
  const serveOnly = only?.length === 1 && only[0] === 'serve' && outFile !== '-' && existsSync(outFile);
  if (serveRun) {
    const x = serveFigures(serveRun);
    const p = serveRun.probe;
    lines0.push(`serve: ${x.runs} runs (${x.expectedRuns} on schedule), ${x.cpuMsPerCheck.toFixed(1)} ms CPU per check, RSS ${Math.round(x.rssAt2.rssMb)} MB at ${Math.round(x.rssAt2.s)} s -> ${Math.round(x.end.rssMb)} MB at the end, max waiting ${x.maxQueued}, max stale ${x.maxStale}`);
    if (p?.blackbox) lines0.push(`/probe: median ${p.mxdoctor.medianMs.toFixed(1)} ms vs blackbox_exporter ${p.blackbox.medianMs.toFixed(1)} ms (${(p.mxdoctor.medianMs / p.blackbox.medianMs).toFixed(2)}x), CPU ${p.mxdoctor.cpuMsPerProbe.toFixed(1)} vs ${p.blackbox.cpuMsPerProbe.toFixed(1)} ms/probe`);
  }
  if (startupRun) for (const r of startupRun.rows) lines0.push(`start-up: ${r.label}: median ${Math.round(medianOf(r.wallMs))} ms wall, ${Math.round(medianOf(r.cpuMs))} ms CPU`);
  if (outFile !== '-') {
    if (serveOnly) writeFileSync(outFile, spliceServeSection(readFileSync(outFile, 'utf8'), serveMd));
    else if (startupOnly) writeFileSync(outFile, spliceStartupSection(readFileSync(outFile, 'utf8'), startupMd));
    else if (fuzzOnly) writeFileSync(outFile, spliceFuzzSection(readFileSync(outFile, 'utf8'), fuzzMd));
    else if (loadOnly) writeFileSync(outFile, spliceLoadSection(readFileSync(outFile, 'utf8'), loadMd));
    else if (maildirOnly) writeFileSync(outFile, spliceMaildirSection(readFileSync(outFile, 'utf8'), maildirMd));
    else {
      const base = logsOnly ? spliceLogsSection(readFileSync(outFile, 'utf8'), md) : md;
      const withLoad = loadMd ? spliceLoadSection(base, loadMd) : base;
      const withFuzz = fuzzMd ? spliceFuzzSection(withLoad, fuzzMd) : withLoad;
      const withMaildir = maildirMd ? spliceMaildirSection(withFuzz, maildirMd) : withFuzz;
      const withStartup = startupMd ? spliceStartupSection(withMaildir, startupMd) : withMaildir;
      writeFileSync(outFile, serveMd ? spliceServeSection(withStartup, serveMd) : withStartup);
    }
  }
  if (maildirMd) lines0.push(...maildirMd.split('\n').filter((l) => l.startsWith('mxdoctor\'s speed')));
  const lines: string[] = [...lines0];
  const b = bulk?.main;
  if (b) lines.push(`bulk: ${Math.round(b.domainsPerS)} domains/s for ${b.domains} domains at --concurrency ${b.concurrency} (target ≥ ${BULK_TARGET}): ${b.domainsPerS >= BULK_TARGET ? 'PASS' : 'FAIL'}`);
  if (single) {
    const c = median(single.cli, (x) => x.durationMs);
    lines.push(`one domain at 50 ms/answer: audit ${c.durationMs} ms, ${c.dnsQueries} queries, process ${Math.round(median(single.cli, (x) => x.wallMs).wallMs)} ms (target < ${SINGLE_TARGET} ms): ${c.durationMs < SINGLE_TARGET ? 'PASS' : 'FAIL'}`);
  }
  if (servers?.skipped) lines.push(`real-server lab: skipped (${servers.skipped})`);
  else if (servers?.source.length) {
    const w = median(servers.source, (x) => x.durationMs);
    const c = servers.compiled.length ? median(servers.compiled, (x) => x.wallMs) : undefined;
    const alt = servers.alternatives.reduce((x, a) => x + a.wallMs, 0);
    lines.push(`mail-lab.test full check on the real-server lab: work ${w.durationMs} ms, process ${Math.round(median(servers.source, (x) => x.wallMs).wallMs)} ms from source${c ? `, ${Math.round(c.wallMs)} ms compiled` : ''} (target < ${SERVERS_TARGET} ms): ${w.durationMs < SERVERS_TARGET ? 'PASS' : 'FAIL'}${alt ? `; testssl.sh + swaks ${(alt / 1000).toFixed(1)} s` : ''}`);
  }
  if (logs) { const v = logsVerdicts(logs); lines.push(`logs: ${logs.log.bytes / 1e6 | 0} MB, mxdoctor ${v.speed?.toFixed(1) ?? '?'}× pflogsumm's throughput (target ≥ 5×), RSS ${v.memory === undefined ? '?' : Math.round(v.memory * 100)}% of its peak (target ≤ 50%), totals ${v.totalsAgree ? 'agree' : 'DIFFER'}`); }
  if (loadBench?.skipped) lines.push(`load: skipped (${loadBench.skipped})`);
  else if (loadBench) {
    const rows = loadBench.rows.filter((x) => x.mxRate && x.sourceRate);
    lines.push(`load: mxdoctor ÷ smtp-source at equal settings: ${rows.map((x) => `c=${x.concurrency} ${x.reuse ? 'reuse' : 'new'} ${(x.mxRate! / x.sourceRate!).toFixed(2)}×`).join(', ')}`);
  }
  if (fuzz) lines.push(`fuzz: ${fuzz.runs.reduce((n, r) => n + r.inputs, 0)} parser inputs, ${fuzz.runs.reduce((n, r) => n + r.failures.length, 0)} exceptions`);
  if (dig.note) lines.push(dig.note);
  lines.push(outFile === '-' ? md + startupMd + serveMd : `written to ${outFile} (${Math.round((performance.now() - started) / 1000)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** node + tsx start-up: `mxdoctor --help` (bin/mxdoctor.js answers `--version` alone without tsx), median wall time and CPU. */
async function startupCost(n: number): Promise<{ wallMs: number; cpuS?: number }> {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await run('node', [join(process.cwd(), 'bin', 'mxdoctor.js'), '--help'], { measure: true }));
  const m = median(runs, (r) => r.wallMs);
  return { wallMs: m.wallMs, cpuS: m.cpuS };
}
