// Running child processes for the benchmark: asynchronously (the lab DNS server lives
// in this process and must keep answering), timed from here, and wrapped in GNU time
// when it is installed to read the child's peak RSS and CPU time.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface ProcResult {
  code: number | null;
  /** Set when the timeout stopped the child. */
  killed?: boolean;
  wallMs: number;
  /** Peak resident set size of the child, from GNU time -v. */
  maxRssKb?: number;
  /** User + system CPU seconds of the child, from GNU time -v. */
  cpuS?: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true']).status === 0;

export interface RunOptions {
  /** Send stdout to this file instead of collecting it. */
  stdoutFile?: string;
  cwd?: string;
  /** Measure RSS/CPU through GNU time. */
  measure?: boolean;
  timeoutMs?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** Children still running, so a signal handler can stop them (stopChildren). */
const active = new Map<number, boolean>();

/** SIGTERM every child run() started that is still running (the measured program under GNU time). */
export function stopChildren(): void {
  for (const [pid, wrapped] of active) stop(pid, wrapped);
}

export function run(cmd: string, args: string[], o: RunOptions = {}): Promise<ProcResult> {
  const wrap = o.measure && hasGnuTime;
  const [file, argv] = wrap ? [GNU_TIME, ['-v', cmd, ...args]] : [cmd, args];
  const outFd = o.stdoutFile ? openSync(o.stdoutFile, 'w') : undefined;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { cwd: o.cwd, stdio: ['ignore', outFd ?? 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...o.env } });
    if (child.pid) active.set(child.pid, !!wrap);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    let killed = false;
    const timer = o.timeoutMs ? setTimeout(() => { killed = true; stop(child.pid, wrap); }, o.timeoutMs) : undefined;
    child.on('error', (e) => { clearTimeout(timer); if (outFd !== undefined) closeSync(outFd); reject(e); });
    child.on('exit', () => { if (child.pid) active.delete(child.pid); });
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      if (outFd !== undefined) closeSync(outFd);
      const res: ProcResult = { code, wallMs, stdout, stderr, killed };
      if (wrap) {
        const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (rss) res.maxRssKb = Number(rss[1]);
        if (user && sys) res.cpuS = Number(user[1]) + Number(sys[1]);
        // GNU time reports a non-zero exit as "Command exited with non-zero status N".
        res.stderr = stderr.replace(/\s*(Command (exited with non-zero status|terminated by signal) \d+\n)?\s*Command being timed:[\s\S]*$/, '');
      }
      resolve(res);
    });
  });
}

/** Stop the measured program: under GNU time, signal time's child (by pid) so time still reports. */
function stop(pid: number | undefined, wrapped: boolean | undefined): void {
  if (!pid) return;
  let targets = [pid];
  if (wrapped) {
    try {
      targets = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch { /* no /proc children file: stop time itself */ }
  }
  for (const t of targets) {
    try { process.kill(t, 'SIGTERM'); } catch { /* already gone */ }
  }
}

/** The path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}
