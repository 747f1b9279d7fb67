// The "Mail log analysis" section of docs/performance.md (issue 4's targets): mxdoctor logs
// against pflogsumm and awk on the same generated file, and the grand totals compared.
// BENCH_ONLY=logs refreshes this section alone in an existing docs/performance.md.
import type { LogsBenchResult, ToolRun } from './logs.js';
import type { MatrixResult, MatrixRun } from './logs-matrix.js';

export const LOGS_SPEED_TARGET = 5; // × pflogsumm's throughput (goal 10×)
export const LOGS_MEMORY_TARGET = 0.5; // × pflogsumm's peak RSS
export const LOGS_HEADING = '## Mail log analysis';

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const mb = (kb?: number) => (kb === undefined ? 'n/a' : `${f0(kb / 1024)} MB`);
const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');

/** The run the targets are judged on: bin/mxdoctor.js as a user runs it, default options. */
export function defaultMxdoctor(r: LogsBenchResult): ToolRun | undefined {
  return r.runs.find((x) => x.role === 'default');
}

export function logsVerdicts(r: LogsBenchResult): { speed?: number; memory?: number; totalsAgree: boolean } {
  const m = defaultMxdoctor(r);
  const p = r.pflogsumm;
  return {
    speed: m && p ? m.mbPerS / p.mbPerS : undefined,
    memory: m?.maxRssKb && p?.maxRssKb ? m.maxRssKb / p.maxRssKb : undefined,
    totalsAgree: r.totals.every((t) => t.agree),
  };
}

export function renderLogsBench(p: (...l: string[]) => void, r: LogsBenchResult): void {
  const l = r.log;
  const v = logsVerdicts(r);
  const pf = r.pflogsumm;
  const gb = l.bytes / 1e9;
  p(`${LOGS_HEADING}: \`mxdoctor logs\` against pflogsumm and awk (issue 4)`, '',
    `Input: a generated Postfix log (test/helpers/postfix-log-gen.ts through bench/logs-gen.ts; deterministic, seed ${l.seed}, RFC 3339 stamps), `
    + `${f0(l.bytes / 1e6)} MB, ${f0(l.counts.lines)} lines, ${f0(l.messages)} generated events`
    + `${l.wallMs === undefined ? ' (reused from an earlier run: bench/out/)' : `, generated in ${f1(l.wallMs / 1000)} s`}. `
    + 'Every tool reads the same file from the page cache, one after the other, in this run (size with BENCH_LOGS_MB). '
    + 'mxdoctor runs as a user runs it: `node bin/mxdoctor.js logs FILE --json`, which runs dist/ (built by `npm run build`, as `npm ci` does through `prepare`, or shipped in the package) '
    + 'and reads a big file on two threads by default (docs/logs.md, "Speed and memory"); `MXDOCTOR_LOGS_THREADS=1` reads on one. '
    + 'The machine is shared: the load average around each run says how much of the 2 CPUs the tools could have (other work on the host also slows a busy core: CPU times vary too). '
    + `Each dist/ variant runs BENCH_LOGS_REPEATS (${r.repeats ?? 3}) time(s) and its median is shown; pflogsumm (over a minute) and the run from source run once.`, '',
    '| Tool | Wall time | Throughput | × pflogsumm | Lines/s | Peak RSS | ÷ pflogsumm\'s | CPU | CPU s per GB | Load avg before → after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const t of [...r.runs, ...(pf ? [pf] : [])]) {
    const x = pf ? `${f1(t.mbPerS / pf.mbPerS)}×` : 'n/a';
    const mem = pf?.maxRssKb && t.maxRssKb ? `${f0((t.maxRssKb / pf.maxRssKb) * 100)}%` : 'n/a';
    p(`| ${t.label}${t.note ? ` — ${t.note}` : ''} | ${f1(t.wallMs / 1000)} s | ${f1(t.mbPerS)} MB/s | ${x} | ${f0(t.linesPerS)} | ${mb(t.maxRssKb)} | ${mem} | ${t.cpuS === undefined ? 'n/a' : `${f1(t.cpuS)} s`} | ${t.cpuS === undefined ? 'n/a' : f1(t.cpuS / gb)} | ${f1(t.load[0])} → ${f1(t.load[1])} |`);
  }
  const m = defaultMxdoctor(r);
  p('', '| Target (the default run: two threads, dist/) | Result | Verdict |', '| --- | --- | --- |');
  if (v.speed !== undefined) p(`| throughput ≥ ${LOGS_SPEED_TARGET}× pflogsumm's (goal 10×) | ${f1(v.speed)}× | ${verdict(v.speed >= LOGS_SPEED_TARGET)}${v.speed >= 10 ? ' (goal met)' : ''} |`);
  if (v.memory !== undefined) p(`| peak RSS ≤ ${LOGS_MEMORY_TARGET * 100}% of pflogsumm's | ${f0(v.memory * 100)}% (${mb(m?.maxRssKb)} ÷ ${mb(pf?.maxRssKb)}) | ${verdict(v.memory <= LOGS_MEMORY_TARGET)} |`);
  p(`| same grand totals (generator's known counts and pflogsumm's) | ${r.totals.filter((t) => !t.agree).length} difference(s) | ${verdict(v.totalsAgree)} |`, '');
  if (m?.cpuS && pf?.cpuS) {
    const one = r.runs.find((x) => x.role === 'one-thread');
    p(`CPU time, which depends less on the other work on the machine: mxdoctor ${f1(m.cpuS)} s (both threads together) against pflogsumm's ${f1(pf.cpuS)} s, `
      + `**${f1(pf.cpuS / m.cpuS)}×** less${one?.cpuS ? ` (one thread: ${f1(one.cpuS)} s, ${f1(pf.cpuS / one.cpuS)}×)` : ''}; `
      + 'with two free cores the two threads share it, and the wall time is about half of it.', '');
  }
  p('| Total | Known (generator) | mxdoctor | pflogsumm | |', '| --- | --- | --- | --- | --- |');
  for (const t of r.totals) p(`| ${t.name} | ${t.expected === undefined ? '—' : f0(t.expected)} | ${t.mxdoctor === undefined ? 'n/a' : f0(t.mxdoctor)} | ${t.pflogsumm ?? 'n/a'} | ${t.agree ? 'same' : '**differs**'} |`);
  p('', 'pflogsumm prints large byte counts in MiB ("6345m", truncated): they are compared at that precision. '
    + 'Peak RSS is GNU time\'s maximum resident set size of the one process (its threads share it); about 34 MB of any Node process is the node binary\'s own pages. '
    + 'All mxdoctor runs gave the same totals unless a note below says otherwise.', '');
  for (const n of r.notes) p(`- ${n}`);
  if (r.notes.length) p('');
  if (r.matrix) renderLogsMatrix(p, r.matrix);
}

/** `existing` (a whole docs/performance.md) with its logs section replaced by the one in `fresh`. */
export function spliceLogsSection(existing: string, fresh: string): string {
  const section = (md: string): [number, number] | undefined => {
    const start = md.indexOf(`\n${LOGS_HEADING}`);
    if (start < 0) return undefined;
    const next = md.indexOf('\n## ', start + 1);
    return [start + 1, next < 0 ? md.length : next + 1];
  };
  const f = section(fresh);
  if (!f) return existing;
  const body = fresh.slice(f[0], f[1]);
  const e = section(existing);
  if (e) return existing.slice(0, e[0]) + body + existing.slice(e[1]);
  const obs = existing.indexOf('\n## Observations');
  return obs < 0 ? `${existing}\n${body}` : `${existing.slice(0, obs + 1)}${body}${existing.slice(obs + 1)}`;
}

/** The matrix (logs-matrix.ts): both generators, several seeds and sizes, pflogsumm beside each. */
export function renderLogsMatrix(p: (...l: string[]) => void, m: MatrixResult): void {
  p('### Both generators, several seeds and sizes (issue 15)', '',
    'Each file is read by `mxdoctor logs FILE --json` (dist/, default two threads, then `MXDOCTOR_LOGS_THREADS=1`) and by pflogsumm, one after the other in this run; '
    + 'its grand totals are checked against the generator\'s known counts (the reference generator\'s `pflogsumm_expected` in its truth file; the project generator\'s counts) and against pflogsumm\'s output. '
    + `Reference generator: ${m.generator ? `\`${m.generator.replace(process.cwd(), '.')}\` (\`--days 10 --seed S --mb N\`)` : 'absent (rows skipped)'}; project generator: test/helpers/postfix-log-gen.ts. `
    + 'BENCH_LOGS_MATRIX lists the files (generator:seed:MB), BENCH_LOGS_10G=1 adds a 10 GB file of the reference generator. '
    + 'The machine is shared with other jobs: throughput and memory are compared only within a row (same run, same file, page cache warm).', '');
  const rows = m.rows.map((r) => {
    const ratio = r.mx && r.pf ? r.pf.wallMs / r.mx.wallMs : undefined;
    const cpuRatio = r.mx?.cpuS && r.pf?.cpuS ? r.pf.cpuS / r.mx.cpuS : undefined;
    const mem = r.mx?.maxRssKb && r.pf?.maxRssKb ? r.mx.maxRssKb / r.pf.maxRssKb : undefined;
    const mem1 = r.mx1?.maxRssKb && r.pf?.maxRssKb ? r.mx1.maxRssKb / r.pf.maxRssKb : undefined;
    const agree = r.totals.filter((t) => t.agree).length;
    const s = (x?: MatrixRun) => (x ? `${f1(x.wallMs / 1000)} s, ${x.cpuS === undefined ? '?' : f1(x.cpuS)} s CPU, ${mb(x.maxRssKb)}` : 'n/a');
    return [
      r.generator === 'shared' ? 'reference' : 'project', r.seed, `${f0(r.bytes / 1e6)} MB`, f0(r.lines),
      `${s(r.mx)} (${r.mx ? f1(r.bytes / 1e6 / (r.mx.wallMs / 1000)) : '?'} MB/s)`, s(r.mx1), s(r.pf),
      ratio === undefined ? 'n/a' : `**${f1(ratio)}×**`, cpuRatio === undefined ? 'n/a' : `${f1(cpuRatio)}×`,
      mem === undefined ? 'n/a' : `**${Math.round(mem * 100)}%**`, mem1 === undefined ? 'n/a' : `${Math.round(mem1 * 100)}%`,
      `${agree} of ${r.totals.length}${agree < r.totals.length ? `: ${r.totals.filter((t) => !t.agree).map((t) => `${t.name} ${t.mxdoctor ?? '?'} vs ${t.expected}${t.pflogsumm ? ` (pflogsumm ${t.pflogsumm})` : ''}`).join(', ')}` : ''}`,
      `${f1(r.mx?.load[0] ?? 0)} → ${f1(r.pf?.load[1] ?? r.mx?.load[1] ?? 0)}`,
    ];
  });
  p('| Generator | Seed | Size | Lines | mxdoctor, two threads: wall, CPU, peak RSS | one thread | pflogsumm | Wall: pflogsumm ÷ mxdoctor | CPU: pflogsumm ÷ mxdoctor | Peak RSS ÷ pflogsumm\'s | one thread ÷ pflogsumm\'s | Totals as known (and as pflogsumm) | Load avg |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`), '');
  p(`Targets (issue 15): wall ≥ ${LOGS_SPEED_TARGET}× pflogsumm's (goal 10×), peak RSS ≤ ${Math.round(LOGS_MEMORY_TARGET * 100)}% of pflogsumm's on 1 GB and < 150 MB on 10 GB, every total as known.`, '');
  for (const r of m.rows) for (const n of r.notes) p(`- ${r.generator} seed ${r.seed}, ${r.mb} MB: ${n}`);
  for (const n of m.notes) p(`- ${n}`);
  p('');
}
