// (issue 11) `mxdoctor serve` as a daemon: BENCH_SERVE_TARGETS (1,000) synthetic domains of the
// in-process lab as targets at a 60 s interval, the serve process's CPU time and RSS sampled
// from /proc every ~10 s for BENCH_SERVE_MINUTES (10); then /probe against blackbox_exporter
// (Debian's prometheus-blackbox-exporter) probing the same lab SMTP server, BENCH_PROBE_N (200)
// sequential probes each. The lab (DNS, SMTP) runs in this process; serve and the exporter are
// child processes, so their /proc figures are theirs alone. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../src/lab/lab.js';
import { syntheticDomains } from './synthetic-zones.js';
import { which } from './proc.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TICKS = 100; // USER_HZ on Linux

export interface ServeSample { s: number; cpuS: number; rssMb: number; runs: number; queued: number; stale: number }
export interface ProbeStats { medianMs: number; p90Ms: number; cpuMsPerProbe: number; ok: number; n: number }
export interface ServeBenchResult {
  targets: number; minutes: number; intervalS: number; concurrency: number; compiled: boolean; families: string[];
  samples: ServeSample[]; statuses?: Record<string, number>; probe?: { mxdoctor: ProbeStats; blackbox?: ProbeStats; blackboxVersion?: string; skipped?: string; target: string };
}

export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
});
/** utime + stime of the process (all its threads), in seconds (/proc/<pid>/stat fields 14, 15). */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (text: string, re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);

/** The serve command line: the compiled bundle when `npm run build` left one, else src/ through tsx. */
function serveArgs(): { args: string[]; compiled: boolean } {
  const bundle = join(ROOT, 'dist', 'cli', 'main.js');
  if (existsSync(bundle) && existsSync(join(ROOT, 'dist', '.built'))) return { args: [bundle], compiled: true };
  return { args: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')], compiled: false };
}

function startServe(config: string, port: number): { child: ChildProcess; compiled: boolean } {
  const { args, compiled } = serveArgs();
  const env: NodeJS.ProcessEnv = { ...process.env, MXDOCTOR_LOOPBACK_ONLY: '1' };
  delete env.MXDOCTOR_FROM_SOURCE;
  const child = spawn(process.execPath, [...args, 'serve', '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { if (err.length < 4000) err += d; });
  child.once('exit', (code) => { if (code) process.stderr.write(`serve exited ${code}: ${err}\n`); });
  return { child, compiled };
}

async function waitHttp(url: string, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(url)).status < 500) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${what} did not answer on ${url}`);
}

function stats(ms: number[], cpuS: number, ok: number): ProbeStats {
  const s = [...ms].sort((a, b) => a - b);
  return { medianMs: s[Math.floor(s.length / 2)] ?? 0, p90Ms: s[Math.floor(s.length * 0.9)] ?? 0, cpuMsPerProbe: (cpuS * 1000) / Math.max(1, s.length), ok, n: s.length };
}

/** N sequential GETs of `url`, timed, with the CPU the process `pid` used meanwhile. */
async function probeLoop(url: string, pid: number, n: number, success: RegExp): Promise<ProbeStats> {
  for (let i = 0; i < 5; i++) await (await fetch(url)).text(); // warm-up, not counted
  const ms: number[] = [];
  let ok = 0;
  const cpu0 = cpuSeconds(pid);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const body = await (await fetch(url)).text();
    ms.push(performance.now() - t0);
    if (success.test(body)) ok++;
  }
  return stats(ms, cpuSeconds(pid) - cpu0, ok);
}

export async function benchServe(o: { targets: number; minutes: number; probes: number; concurrency: number }): Promise<ServeBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-bench-serve-'));
  const gen = syntheticDomains(o.targets);
  const lab = await startLab({ extraRecords: gen.records, noHttps: true });
  const smtpHost = lab.mail!.hosts.find((h) => h.profile === 'mx')?.address ?? lab.mail!.hosts[0]!.address;
  const smtp = `${smtpHost}:${lab.mailPorts.smtp}`;
  writeFileSync(join(dir, 'ca.pem'), lab.mailCa.join('\n'));
  // DNS families only for the domains: ns (queries the authoritative servers on port 53) and
  // mta-sts (fetches the policy on port 443) need the lab's ports, which a config cannot move.
  const families = ['mx', 'spf', 'ptr', 'dnssec', 'dane', 'dkim', 'dmarc', 'tlsrpt', 'bimi', 'dnsbl'];
  const resolver = `127.0.0.1:${lab.dnsPort}`;
  const config = join(dir, 'serve.yaml');
  writeFileSync(config, [
    `store: { path: ${join(dir, 'store.db')} }`,
    `schedule: { interval: 60s, jitter: 10s, timeout: 30s, concurrency: ${o.concurrency} }`,
    'modules:',
    `  dns: { families: [${families.join(', ')}], probe_servers: false, resolver: "${resolver}", dns_timeout: 2s }`,
    `  smtp: { families: [smtp], resolver: "${resolver}", ca: [${join(dir, 'ca.pem')}] }`,
    `probe: { allow: ["${smtp}"] }`,
    'targets:',
    ...gen.domains.map((d) => `  - { domain: ${d}, module: dns }`),
  ].join('\n'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, compiled } = startServe(config, port);
  const res: ServeBenchResult = { targets: o.targets, minutes: o.minutes, intervalS: 60, concurrency: o.concurrency, compiled, families, samples: [] };
  try {
    await waitHttp(`${base}/healthz`, 'serve');
    const t0 = performance.now();
    const endAt = t0 + o.minutes * 60_000;
    // /metrics (scraped every ~10 s, as a Prometheus would; its cost is in serve's CPU) says
    // how many runs were stored, how many wait for a slot, and when each target last ran.
    for (;;) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const now = Date.now() / 1000;
      const lastRuns = [...text.matchAll(/^mxdoctor_last_run_timestamp_seconds\{[^}]*\} (\S+)/gm)].map((m) => Number(m[1]));
      // A target is stale when its last run ended more than interval + jitter + timeout ago, or it never ran (after the first 100 s).
      const s = (performance.now() - t0) / 1000;
      const stale = lastRuns.filter((t) => now - t > 100).length + (s > 100 ? o.targets - lastRuns.length : 0);
      res.samples.push({ s, cpuS: cpuSeconds(child.pid!), rssMb: rssMb(child.pid!), runs: sum(text, /^mxdoctor_runs_total\{[^}]*\} (\S+)/gm), queued: sum(text, /^mxdoctor_scheduler_queued (\S+)/gm), stale });
      const last = res.samples.at(-1)!;
      process.stderr.write(`serve bench ${last.s.toFixed(0)} s: ${last.runs} runs, CPU ${last.cpuS.toFixed(1)} s, RSS ${last.rssMb.toFixed(0)} MB, queued ${last.queued}, stale ${last.stale}\n`);
      if (performance.now() >= endAt) {
        res.statuses = {};
        for (const m of text.matchAll(/^mxdoctor_target_status\{[^}]*status="(\w+)"[^}]*\} 1$/gm)) res.statuses[m[1]!] = (res.statuses[m[1]!] ?? 0) + 1;
        break;
      }
      await sleep(Math.min(10_000, endAt - performance.now()));
    }
    res.probe = { target: smtp, mxdoctor: await probeLoop(`${base}/probe?target=${encodeURIComponent(smtp)}&module=smtp`, child.pid!, o.probes, /^probe_success 1$/m) };
    const exe = which('prometheus-blackbox-exporter');
    if (!exe) res.probe.skipped = 'prometheus-blackbox-exporter is not installed (test/lab/install-postgres.sh installs it)';
    else res.probe = { ...res.probe, ...(await blackbox(exe, dir, smtp, o.probes)) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

/** blackbox_exporter's tcp prober as its smtp_starttls example, without STARTTLS: greeting, EHLO, QUIT. */
async function blackbox(exe: string, dir: string, smtp: string, n: number): Promise<{ blackbox: ProbeStats; blackboxVersion: string }> {
  const cfg = join(dir, 'blackbox.yml');
  writeFileSync(cfg, [
    'modules:',
    '  smtp_banner:',
    '    prober: tcp',
    '    timeout: 5s',
    '    tcp:',
    '      query_response:',
    '        - expect: "^220([^-]|$)"',
    '        - send: "EHLO prober\\r"',
    '        - expect: "^250 "',
    '        - send: "QUIT\\r"',
    '        - expect: "^221"',
  ].join('\n'));
  const port = await freePort();
  const child = spawn(exe, [`--config.file=${cfg}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitHttp(`http://127.0.0.1:${port}/metrics`, 'blackbox_exporter');
    const version = await new Promise<string>((resolve) => {
      const v = spawn(exe, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      v.stdout!.on('data', (d) => { out += d; });
      v.stderr!.on('data', (d) => { out += d; });
      v.once('exit', () => resolve(/version (\S+)/.exec(out)?.[1] ?? 'unknown'));
    });
    return { blackboxVersion: version, blackbox: await probeLoop(`http://127.0.0.1:${port}/probe?target=${encodeURIComponent(smtp)}&module=smtp_banner`, child.pid!, n, /^probe_success 1$/m) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}
