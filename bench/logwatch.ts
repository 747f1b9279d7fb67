// serve's live log watch against postfix_exporter (Debian's prometheus-postfix-exporter, the
// kumina exporter) on the same lines: both follow one file from its end; the bench appends
// BENCH_LOGWATCH_MESSAGES generated messages' lines at once and times, for each process, how
// long until its postfix_cleanup_messages_processed_total counts every message-id line, and the
// CPU seconds it used meanwhile (/proc/<pid>/stat). Loopback only; one tool at a time.
// Run: flock /tmp/mxdoctor-bench.lock BENCH_LOGWATCH_MESSAGES=50000 node --import tsx bench/logwatch.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePostfixLog, type GenCounts } from '../test/helpers/postfix-log-gen.js';

const MESSAGES = Number(process.env.BENCH_LOGWATCH_MESSAGES ?? 100_000);
const REPEATS = Number(process.env.BENCH_LOGWATCH_REPEATS ?? 2);
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const TICKS = 100; // USER_HZ on Linux

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
});

/** utime + stime of the process (all its threads), in seconds. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}
const rssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function counter(url: string, re: RegExp): Promise<number> {
  try {
    const text = await (await fetch(url)).text();
    return [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  } catch {
    return -1;
  }
}

interface Tool { name: string; start(log: string, dir: string): Promise<{ child: ChildProcess; metrics: string; ready: () => Promise<boolean> }> }

const mxdoctor: Tool = {
  name: 'mxdoctor serve (log target)',
  async start(log, dir) {
    const port = await freePort();
    writeFileSync(join(dir, 'serve.yaml'), `store: { path: ${join(dir, 'store.db')} }\ntargets:\n  - name: bench\n    log_files: [${log}]\n    interval: 1h\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--config', join(dir, 'serve.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore', env: { ...process.env, MXDOCTOR_LOOPBACK_ONLY: '1' } });
    const metrics = `http://127.0.0.1:${port}/metrics`;
    return { child, metrics, ready: async () => (await counter(metrics, /^mxdoctor_scheduler_running (\d+)/gm)) >= 0 };
  },
};

const exporter: Tool = {
  name: 'postfix_exporter 0.3.0 (Debian)',
  async start(log) {
    const port = await freePort();
    const child = spawn('prometheus-postfix-exporter', [`--web.listen-address=127.0.0.1:${port}`, `--postfix.logfile_path=${log}`, '--postfix.showq_path=/nonexistent'], { stdio: 'ignore' });
    const metrics = `http://127.0.0.1:${port}/metrics`;
    return { child, metrics, ready: async () => (await counter(metrics, /^postfix_up\{[^}]*\} (\d+)/gm)) >= 0 };
  },
};

async function measure(tool: Tool, lines: string, expected: number): Promise<{ seconds: number; cpu: number; rss: number; counted: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-bench-logwatch-'));
  const log = join(dir, 'mail.log');
  writeFileSync(log, '');
  const { child, metrics, ready } = await tool.start(log, dir);
  try {
    for (let i = 0; !(await ready()); i++) {
      if (i > 600) throw new Error(`${tool.name} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500)); // both opened the file at its end
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = performance.now();
    appendFileSync(log, lines);
    const re = /^postfix_cleanup_messages_processed_total(?:\{[^}]*\})? (\d+(?:\.\d+)?(?:e\+\d+)?)/gm;
    let counted = 0;
    for (;;) {
      counted = await counter(metrics, re);
      if (counted >= expected) break;
      if (performance.now() - t0 > 600_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds(child.pid!) - cpu0, rss: rssMb(child.pid!), counted };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts = { lines: 0 } as GenCounts;
let lines = '';
for (const l of generatePostfixLog({ messages: MESSAGES, format: 'rfc3164', start: Date.now() - 3_600_000 }, counts)) lines += `${l}\n`;
const expected = lines.split('\n').filter((l) => / postfix\/cleanup\[\d+\]: [0-9A-F]+: message-id=/.test(l)).length;
console.log(`bench logwatch: ${MESSAGES} messages, ${counts.lines} lines, ${(Buffer.byteLength(lines) / 1e6).toFixed(1)} MB appended at once; ${expected} message-id lines; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (let r = 1; r <= REPEATS; r++) {
  for (const tool of [mxdoctor, exporter]) {
    const m = await measure(tool, lines, expected);
    console.log(`run ${r} ${tool.name}: ${m.counted}/${expected} counted in ${m.seconds.toFixed(2)} s, ${m.cpu.toFixed(2)} CPU s (${((m.cpu / counts.lines) * 1e6).toFixed(2)} µs/line), peak RSS ${m.rss.toFixed(0)} MB`);
  }
}
