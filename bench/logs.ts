// `npm run bench`, logs part (issue 4): `mxdoctor logs --json` on a generated Postfix log of
// about BENCH_LOGS_MB (default 1000) MB against Debian's pflogsumm and an awk status count
// on the same file in the same run: wall time, peak RSS (GNU time), MB/s, lines/s, and the
// grand totals compared with the generator's known counts and with pflogsumm's.
import { existsSync, readdirSync, statSync, cpSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { run, which, type ProcResult } from './proc.js';
import { ensureLog, type GeneratedLog } from './logs-gen.js';

const ROOT = process.cwd();
const OUT = join(ROOT, 'bench', 'out');
const BUILD = join(OUT, 'build-logs');

export interface ToolRun { label: string; command: string; wallMs: number; maxRssKb?: number; cpuS?: number; mbPerS: number; linesPerS: number; code: number | null; note?: string }
export interface LogsBenchResult {
  log: GeneratedLog;
  runs: ToolRun[];
  pflogsumm?: ToolRun;
  /** Total → [expected (generator), mxdoctor, pflogsumm]. */
  totals: { name: string; expected?: number; mxdoctor?: number; pflogsumm?: string; agree: boolean }[];
  notes: string[];
}

function tool(label: string, command: string, r: ProcResult, log: GeneratedLog, note?: string): ToolRun {
  const s = r.wallMs / 1000;
  return { label, command, wallMs: r.wallMs, maxRssKb: r.maxRssKb, cpuS: r.cpuS, mbPerS: log.bytes / 1e6 / s, linesPerS: log.counts.lines / s, code: r.code, note };
}

/** The compiled CLI in bench/out/build-logs, rebuilt only when a source file is newer. */
function compiled(notes: string[]): string | undefined {
  const main = join(BUILD, 'src', 'cli', 'main.js');
  const newest = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs), 0);
  if (existsSync(main) && statSync(main).mtimeMs > newest(join(ROOT, 'src'))) return main;
  process.stderr.write('bench: logs: compiling mxdoctor into bench/out/build-logs...\n');
  const r = spawnSync('node', [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD, '--declaration', 'false'], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(main)) { notes.push(`The compiled CLI was not measured: tsc failed (${(r.stdout + r.stderr).slice(0, 200)})`); return undefined; }
  cpSync(join(ROOT, 'package.json'), join(BUILD, 'package.json'));
  return main;
}

function pflogsummPath(notes: string[]): string | undefined {
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
function pfNumber(text: string, label: string): { shown: string; matches: (n: number) => boolean } | undefined {
  const m = new RegExp(`^\\s*(\\d+)([km]?)\\s+${label}\\b`, 'm').exec(text);
  if (!m) return undefined;
  const unit = m[2] === 'm' ? 1_048_576 : m[2] === 'k' ? 1024 : 1;
  return { shown: `${m[1]}${m[2]}`, matches: (n) => Math.floor(n / unit) === Number(m[1]) };
}

export async function benchLogs(o: { mb: number; compiled: boolean; pflogsummArgs: string[] }): Promise<LogsBenchResult> {
  const notes: string[] = [];
  process.stderr.write(`bench: logs: generating or reusing a ${o.mb} MB Postfix log in bench/out...\n`);
  const log = ensureLog(OUT, o.mb);
  warm(log.path);
  const runs: ToolRun[] = [];
  const awk = which('mawk') ? 'mawk' : 'awk';
  const awkProg = '/status=sent/{s++} /status=deferred/{d++} /status=bounced/{b++} / reject: /{r++} END{print s+0, d+0, b+0, r+0}';
  process.stderr.write('bench: logs: awk...\n');
  const a = await run(awk, [awkProg, log.path], { measure: true });
  runs.push(tool(`${awk} counting statuses (speed reference)`, `${awk} '${awkProg}' FILE`, a, log, `counts ${a.stdout.trim()}`));
  process.stderr.write('bench: logs: mxdoctor logs --json (from source)...\n');
  const src = await run('node', [join(ROOT, 'bin', 'mxdoctor.js'), 'logs', log.path, '--json'], { measure: true, timeoutMs: 600_000 });
  runs.push(tool('mxdoctor logs --json, from source (bin/mxdoctor.js: tsx)', 'node bin/mxdoctor.js logs FILE --json', src, log));
  let json = src.stdout;
  const main = o.compiled ? compiled(notes) : undefined;
  if (main) {
    process.stderr.write('bench: logs: mxdoctor logs --json (compiled)...\n');
    const c = await run('node', ['--max-semi-space-size=4', main, 'logs', log.path, '--json'], { measure: true, timeoutMs: 600_000 });
    runs.push(tool('mxdoctor logs --json, compiled (as installed: dist/)', 'node --max-semi-space-size=4 dist/src/cli/main.js logs FILE --json', c, log));
    json = c.stdout || json;
  }
  let pflogsumm: ToolRun | undefined;
  let pfText = '';
  const pf = pflogsummPath(notes);
  if (pf) {
    process.stderr.write(`bench: logs: pflogsumm ${o.pflogsummArgs.join(' ')} (the slow one)...\n`);
    const r = await run(pf, [...o.pflogsummArgs, log.path], { measure: true, timeoutMs: 1_800_000 });
    pfText = r.stdout;
    pflogsumm = tool('pflogsumm (Debian)', `pflogsumm ${o.pflogsummArgs.join(' ')} FILE`, r, log);
    const v = spawnSync(pf, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v) pflogsumm.label = `${v} (Debian)`;
  }
  let t: Record<string, number> = {};
  try { t = JSON.parse(json).totals; } catch { notes.push('mxdoctor printed no JSON: totals not compared'); }
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
  return { log, runs, pflogsumm, totals, notes };
}
