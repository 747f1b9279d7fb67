// (issue 13) mxdoctor load against Postfix's smtp-sink on loopback, side by side with
// Postfix's smtp-source at the same settings in the same run: N messages (20,000) of 5 KB
// at concurrency 1, 10 and 50, a new connection per message and with reuse (smtp-source
// -d: one connection per session; mxdoctor --reuse N). Plus the memory check: peak RSS of
// mxdoctor load at N/10 and N messages (flat: fixed-size histograms).
// Knobs: BENCH_LOAD_MESSAGES (20000), BENCH_LOAD_CONCURRENCY ("1,10,50"), BENCH_LOAD_SIZE (5120),
// BENCH_LOAD_ROUNDS (1): each setting measured this many times per tool, the order of the two
// tools alternating by round (a machine whose load changes favours neither), medians shown.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.js';

export interface LoadBenchRow {
  concurrency: number;
  reuse: boolean;
  rounds: number;
  /** 1-minute load average when the setting started (other work on a shared machine). */
  loadAverage: number;
  /** smtp-source: messages ÷ its whole process wall time. */
  sourceRate?: number;
  sourceWallMs?: number;
  sourceCpuS?: number;
  /** mxdoctor: messages ÷ the load run (facts.load.durationMs), and ÷ the whole process (node + tsx start-up included). */
  mxRate?: number;
  mxProcessRate?: number;
  mxWallMs?: number;
  mxCpuS?: number;
  mxRssKb?: number;
  accepted?: number;
  failed?: number;
  /** p50/p99 of the end-of-data and connect phases, the figures smtp-source cannot give. */
  eod?: { p50: number; p99: number };
  connect?: { p50: number; p99: number };
  error?: string;
}

export interface LoadBenchResult {
  messages: number;
  sizeBytes: number;
  sink: string;
  rows: LoadBenchRow[];
  memory?: { small: number; large: number; smallKb?: number; largeKb?: number };
  skipped?: string;
}

const SINK_ADDR = '127.0.5.1';
const FROM = 'load@mxdoctor.invalid';

export async function benchLoad(o: { messages: number; concurrency: number[]; sizeBytes: number; rounds?: number }): Promise<LoadBenchResult> {
  const base = { messages: o.messages, sizeBytes: o.sizeBytes, rows: [] as LoadBenchRow[] };
  const sinkBin = ['/usr/sbin/smtp-sink', '/usr/bin/smtp-sink'].find(existsSync);
  const sourceBin = ['/usr/sbin/smtp-source', '/usr/bin/smtp-source'].find(existsSync);
  if (!sinkBin || !sourceBin) return { ...base, sink: '', skipped: 'smtp-sink/smtp-source not installed (Debian package postfix: bash test/lab/install.sh)' };
  const port = 20000 + (process.pid % 20000);
  const sink = `${SINK_ADDR}:${port}`;
  // smtp-sink refuses to run as root without -u; backlog 1024 for 50 connections at once.
  const child = spawn(sinkBin, [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), sink, '1024'], { stdio: 'ignore' });
  try {
    if (!(await listening(SINK_ADDR, port))) return { ...base, sink, skipped: `smtp-sink did not listen on ${sink}` };
    const bin = join(process.cwd(), 'bin', 'mxdoctor.js');
    const rows: LoadBenchRow[] = [];
    const rounds = Math.max(1, o.rounds ?? 1);
    for (const reuse of [false, true]) {
      for (const c of o.concurrency) {
        const row: LoadBenchRow = { concurrency: c, reuse, rounds, loadAverage: loadavg()[0]! };
        const srcRuns: Partial<LoadBenchRow>[] = [];
        const mxRuns: Partial<LoadBenchRow>[] = [];
        for (let i = 0; i < rounds; i++) {
          // Same settings, one tool after the other; the first tool alternates by round.
          const pair = [async () => srcRuns.push(await source(sourceBin, sink, o, c, reuse)), async () => mxRuns.push(await mxdoctor(bin, sink, o, c, reuse))];
          for (const f of i % 2 ? pair.reverse() : pair) await f();
        }
        Object.assign(row, median(srcRuns, 'sourceRate'), median(mxRuns, 'mxRate'));
        const errors = [...srcRuns, ...mxRuns].map((r) => r.error).filter(Boolean);
        if (errors.length) row.error = errors.join('; ');
        else delete row.error;
        rows.push(row);
        process.stderr.write(`load bench: c=${c} ${reuse ? 'reuse' : 'new'} (load ${row.loadAverage.toFixed(1)}): smtp-source ${Math.round(row.sourceRate ?? 0)}/s, mxdoctor ${Math.round(row.mxRate ?? 0)}/s (process ${Math.round(row.mxProcessRate ?? 0)}/s)\n`);
      }
    }
    // Memory flat in the message count: the same run at a tenth of the messages.
    const small = Math.max(1, Math.round(o.messages / 10));
    const rss = async (n: number) => (await run('node', [bin, 'load', sink, '--messages', String(n), '--concurrency', '10', '--size', String(o.sizeBytes), '--reuse', String(n), '--json'], { measure: true, timeoutMs: 600_000 })).maxRssKb;
    const memory = { small, large: o.messages, smallKb: await rss(small), largeKb: await rss(o.messages) };
    return { ...base, sink, rows, memory };
  } finally {
    child.kill('SIGTERM');
  }
}

type Opts = { messages: number; sizeBytes: number };

async function source(bin: string, sink: string, o: Opts, c: number, reuse: boolean): Promise<Partial<LoadBenchRow>> {
  const src = await run(bin, ['-s', String(c), '-m', String(o.messages), '-l', String(o.sizeBytes), ...(reuse ? ['-d'] : []), '-f', FROM, '-t', FROM, sink], { measure: true, timeoutMs: 600_000 });
  if (src.code !== 0) return { error: `smtp-source exited ${src.code}: ${src.stderr.slice(0, 200)}` };
  return { sourceRate: o.messages / (src.wallMs / 1000), sourceWallMs: src.wallMs, ...(src.cpuS !== undefined ? { sourceCpuS: src.cpuS } : {}) };
}

async function mxdoctor(bin: string, sink: string, o: Opts, c: number, reuse: boolean): Promise<Partial<LoadBenchRow>> {
  const mx = await run('node', [bin, 'load', sink, '--messages', String(o.messages), '--concurrency', String(c), '--size', String(o.sizeBytes), '--reuse', reuse ? String(o.messages) : '1', '--json'], { measure: true, timeoutMs: 600_000 });
  try {
    const f = JSON.parse(mx.stdout).reports[0].facts.load;
    return {
      mxRate: f.accepted / (f.durationMs / 1000), mxProcessRate: f.accepted / (mx.wallMs / 1000), mxWallMs: mx.wallMs, mxCpuS: mx.cpuS, mxRssKb: mx.maxRssKb,
      accepted: f.accepted, failed: f.failed, eod: { p50: f.phases.eod?.p50, p99: f.phases.eod?.p99 }, connect: { p50: f.phases.connect?.p50, p99: f.phases.connect?.p99 },
    };
  } catch {
    return { error: `mxdoctor load exited ${mx.code}: ${mx.stderr.slice(0, 200)}` };
  }
}

/** The run whose `key` is the median of the runs that have it (the lower middle of an even count). */
function median(runs: Partial<LoadBenchRow>[], key: 'sourceRate' | 'mxRate'): Partial<LoadBenchRow> {
  const ok = runs.filter((r) => r[key] !== undefined).sort((a, b) => a[key]! - b[key]!);
  return ok[Math.floor((ok.length - 1) / 2)] ?? {};
}

async function listening(host: string, port: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host, port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
