// `npm run bench`, logs part (issue 4): `mxdoctor logs --json` on a generated Postfix log of
// about BENCH_LOGS_MB (default 1000) MB against Debian's pflogsumm and an awk status count
// on the same file in the same run: wall time, CPU, peak RSS (GNU time), MB/s, lines/s, the
// load average around each run, and the grand totals compared with the generator's known
// counts and with pflogsumm's. mxdoctor runs the way a user runs it: bin/mxdoctor.js after
// `npm run build` (dist/, as `npm ci` builds it), on its default two threads and on one.
// Then the matrix (logs-matrix.ts, issue 15): both generators, several seeds and sizes,
// pflogsumm beside each file, totals against the generators' known counts. On a shared
// machine run it as `flock /tmp/mxdoctor-bench.lock npm run bench` and read ratios within one run.
import { existsSync, readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { run, which, type ProcResult } from './proc.js';
import { ensureLog, type GeneratedLog } from './logs-gen.js';
import { benchLogsMatrix, type MatrixResult } from './logs-matrix.js';

const ROOT = process.cwd();
const OUT = join(ROOT, 'bench', 'out');
const DIST_MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface ToolRun {
  label: string; command: string; wallMs: number; maxRssKb?: number; cpuS?: number; mbPerS: number; linesPerS: number;
  code: number | null; note?: string;
  /** 1-minute load average just before and just after the run. */
  load: [number, number];
  /** mxdoctor runs: which of them the targets are judged on (the default, as users run it). */
  role?: 'default' | 'one-thread' | 'source';
}
export interface LogsBenchResult {
  log: GeneratedLog;
  runs: ToolRun[];
  pflogsumm?: ToolRun;
  /** Total → [expected (generator), mxdoctor, pflogsumm]. */
  totals: { name: string; expected?: number; mxdoctor?: number; pflogsumm?: string; agree: boolean }[];
  notes: string[];
  /** Runs of each compiled mxdoctor variant (BENCH_LOGS_REPEATS). */
  repeats?: number;
  /** Both generators, several seeds and sizes (logs-matrix.ts). */
  matrix?: MatrixResult;
}

function tool(label: string, command: string, r: ProcResult, log: GeneratedLog, load0: number, note?: string): ToolRun {
  const s = r.wallMs / 1000;
  return {
    label, command, wallMs: r.wallMs, maxRssKb: r.maxRssKb, cpuS: r.cpuS, mbPerS: log.bytes / 1e6 / s, linesPerS: log.counts.lines / s,
    code: r.code, note, load: [load0, loadavg()[0]!],
  };
}

/** bin/mxdoctor.js's rule: dist/ runs when nothing under src/ is newer than the build's stamp, dist/.built. */
function distFresh(): boolean {
  const built = join(ROOT, 'dist', '.built');
  if (!existsSync(DIST_MAIN) || !existsSync(built)) return false;
  const since = statSync(built).mtimeMs;
  const newer = (d: string): boolean => statSync(d).mtimeMs > since || readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs > since));
  return !newer(join(ROOT, 'src'));
}

/** `npm run build`, as `npm ci` does through `prepare`; true when dist/ is then what bin/mxdoctor.js runs. */
function build(notes: string[]): boolean {
  if (distFresh()) return true;
  process.stderr.write('bench: logs: npm run build (dist/, as npm ci builds it)...\n');
  const r = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', cwd: ROOT });
  if (distFresh()) {
    if (r.status !== 0) notes.push(`\`npm run build\` reported errors (${(r.stdout + r.stderr).split('\n').find((l) => /error/i.test(l))?.trim().slice(0, 160) ?? 'see npm run build'}); tsc emitted dist/ anyway and it was measured.`);
    return true;
  }
  notes.push(`\`npm run build\` failed (${(r.stdout + r.stderr).slice(0, 200)}): only the run from source was measured.`);
  return false;
}

export function pflogsummPath(notes: string[]): string | undefined {
  let p = which('pflogsumm') ?? (existsSync('/usr/sbin/pflogsumm') ? '/usr/sbin/pflogsumm' : undefined);
  if (!p && process.getuid?.() === 0 && which('apt-get')) {
    process.stderr.write('bench: logs: installing pflogsumm (apt-get)...\n');
    spawnSync('apt-get', ['install', '-y', '-qq', 'pflogsumm'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    p = existsSync('/usr/sbin/pflogsumm') ? '/usr/sbin/pflogsumm' : undefined;
  }
  if (!p) notes.push('pflogsumm is not installed (Debian package `pflogsumm`) and could not be installed: its column is empty.');
  return p;
}

/** Read the file once so every tool starts from the page cache (a reused file may be cold). */
function warm(path: string): void {
  const fd = openSync(path, 'r');
  const b = Buffer.allocUnsafe(1 << 20);
  while (readSync(fd, b, 0, b.length, null) > 0);
  closeSync(fd);
}

/** pflogsumm prints "6345m" for large byte counts (÷ 1,048,576, truncated). */
export function pfNumber(text: string, label: string): { shown: string; matches: (n: number) => boolean } | undefined {
  const m = new RegExp(`^\\s*(\\d+)([km]?)\\s+${label}\\b`, 'm').exec(text);
  if (!m) return undefined;
  const unit = m[2] === 'm' ? 1_048_576 : m[2] === 'k' ? 1024 : 1;
  return { shown: `${m[1]}${m[2]}`, matches: (n) => Math.floor(n / unit) === Number(m[1]) };
}

/** `repeats` runs (the machine is shared): the median by wall time, with the highest peak RSS of them all. */
async function mxdoctor(log: GeneratedLog, label: string, role: ToolRun['role'], env: Record<string, string>, command: string, repeats: number): Promise<{ run: ToolRun; json: string }> {
  const runs: { run: ToolRun; json: string }[] = [];
  for (let i = 0; i < repeats; i++) {
    process.stderr.write(`bench: logs: ${label} (${i + 1}/${repeats})...\n`);
    const load0 = loadavg()[0]!;
    // Empty (unset, for bin/mxdoctor.js) unless given: it decides between dist/ and src/ as for a user.
    const reset = { NODE_TEST_CONTEXT: '', MXDOCTOR_FROM_SOURCE: '', MXDOCTOR_LOGS_THREADS: '' };
    const r = await run('node', [join(ROOT, 'bin', 'mxdoctor.js'), 'logs', log.path, '--json'], { measure: true, timeoutMs: 600_000, env: { ...reset, ...env } });
    runs.push({ run: { ...tool(label, command, r, log, load0), role }, json: r.stdout });
  }
  const sorted = [...runs].sort((a, b) => a.run.wallMs - b.run.wallMs);
  const med = sorted[(sorted.length - 1) >> 1]!;
  const rss = Math.max(...runs.map((x) => x.run.maxRssKb ?? 0));
  const walls = runs.map((x) => `${(x.run.wallMs / 1000).toFixed(1)} s`).join(', ');
  return { run: { ...med.run, maxRssKb: rss || undefined, note: repeats > 1 ? `median of ${repeats} runs (${walls}); peak RSS the highest of them` : undefined }, json: med.json };
}

export async function benchLogs(o: { mb: number; compiled: boolean; pflogsummArgs: string[]; repeats?: number }): Promise<LogsBenchResult> {
  const repeats = Math.max(1, o.repeats ?? Number(process.env.BENCH_LOGS_REPEATS ?? 3));
  const notes: string[] = [];
  process.stderr.write(`bench: logs: generating or reusing a ${o.mb} MB Postfix log in bench/out...\n`);
  const log = ensureLog(OUT, o.mb);
  warm(log.path);
  const runs: ToolRun[] = [];
  const awk = which('mawk') ? 'mawk' : 'awk';
  const awkProg = '/status=sent/{s++} /status=deferred/{d++} /status=bounced/{b++} / reject: /{r++} END{print s+0, d+0, b+0, r+0}';
  process.stderr.write('bench: logs: awk...\n');
  let load0 = loadavg()[0]!;
  const a = await run(awk, [awkProg, log.path], { measure: true });
  runs.push(tool(`${awk} counting statuses (speed reference)`, `${awk} '${awkProg}' FILE`, a, log, load0, `counts ${a.stdout.trim()}`));
  const jsons: string[] = [];
  if (o.compiled && build(notes)) {
    const d = await mxdoctor(log, 'mxdoctor logs --json, as installed or after `npm ci` (dist/), default: two threads', 'default', {}, 'node bin/mxdoctor.js logs FILE --json', repeats);
    const one = await mxdoctor(log, 'mxdoctor logs --json, dist/, one thread', 'one-thread', { MXDOCTOR_LOGS_THREADS: '1' }, 'MXDOCTOR_LOGS_THREADS=1 node bin/mxdoctor.js logs FILE --json', repeats);
    runs.push(d.run, one.run);
    jsons.push(d.json, one.json);
  }
  const src = await mxdoctor(log, 'mxdoctor logs --json, from source (tsx), two threads', 'source', { MXDOCTOR_FROM_SOURCE: '1' }, 'MXDOCTOR_FROM_SOURCE=1 node bin/mxdoctor.js logs FILE --json', 1);
  runs.push(src.run);
  jsons.push(src.json);
  if (!runs.some((r) => r.role === 'default')) src.run.role = 'default';
  let pflogsumm: ToolRun | undefined;
  let pfText = '';
  const pf = pflogsummPath(notes);
  if (pf) {
    process.stderr.write(`bench: logs: pflogsumm ${o.pflogsummArgs.join(' ')} (the slow one)...\n`);
    load0 = loadavg()[0]!;
    const r = await run(pf, [...o.pflogsummArgs, log.path], { measure: true, timeoutMs: 1_800_000 });
    pfText = r.stdout;
    pflogsumm = tool('pflogsumm (Debian)', `pflogsumm ${o.pflogsummArgs.join(' ')} FILE`, r, log, load0);
    const v = spawnSync(pf, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v) pflogsumm.label = `${v} (Debian)`;
  }
  const parsed = jsons.map((j) => { try { return JSON.parse(j).reports[0].facts.logs.totals as Record<string, number>; } catch { return undefined; } });
  const t = parsed[0] ?? {};
  if (!parsed[0]) notes.push('mxdoctor printed no JSON: totals not compared');
  if (parsed.some((x) => JSON.stringify(x) !== JSON.stringify(parsed[0]))) notes.push('**The mxdoctor runs did not give the same totals** (threads or build differ).');
  const e = log.counts;
  const rows: [string, string, number | undefined, number | undefined][] = [
    ['received', 'received', e.received, t.received], ['delivered', 'delivered', e.delivered, t.delivered],
    ['deferred', 'deferred', e.deferred, t.deferred], ['deferrals', 'deferrals', e.deferrals, t.deferrals],
    ['bounced', 'bounced', e.bounced, t.bounced], ['rejected', 'rejected', e.rejected, t.rejected],
    ['bytes received', 'bytes received', e.bytesReceived, t.bytesReceived], ['bytes delivered', 'bytes delivered', e.bytesDelivered, t.bytesDelivered],
    ['senders', 'senders', undefined, t.senders], ['recipients', 'recipients', undefined, t.recipients],
  ];
  const totals = rows.map(([name, label, expected, ours]) => {
    // pflogsumm prints deferrals in brackets: "25004   deferred  (58284  deferrals)".
    const p = label === 'deferrals' ? (() => { const m = /\((\d+)\s+deferrals\)/.exec(pfText); return m ? { shown: m[1]!, matches: (n: number) => n === Number(m[1]) } : undefined; })() : pfNumber(pfText, label);
    const agree = (expected === undefined || expected === ours) && (!pfText || (p !== undefined && ours !== undefined && p.matches(ours)));
    return { name, expected, mxdoctor: ours, pflogsumm: p?.shown, agree };
  });
  const matrix = process.env.BENCH_LOGS_MATRIX === '' ? undefined : await benchLogsMatrix({ pflogsumm: pf, pflogsummArgs: o.pflogsummArgs });
  return { log, runs, pflogsumm, totals, notes, matrix, repeats };
}
