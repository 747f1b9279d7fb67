// The alternative a user would reach for: dig (BIND's dnsutils) fetching the same raw
// records, with no evaluation at all. Installed with apt-get when missing and allowed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from './proc.js';
import type { RawQuery } from './synthetic-zones.js';
import type { ServerAddr } from '../src/io/resolver.js';

export interface DigInfo {
  path?: string;
  version?: string;
  /** Why dig is missing, or how it was installed. */
  note?: string;
}

export function ensureDig(): DigInfo {
  let path = which('dig');
  let note: string | undefined;
  if (!path) {
    const root = process.getuid?.() === 0;
    if (!root || !which('apt-get')) return { note: 'dig is not installed and apt-get is not usable here (needs root): dig comparison skipped. Install dnsutils to include it.' };
    process.stderr.write('bench: installing dnsutils (dig) with apt-get...\n');
    const install = () => spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'dnsutils'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      if (!install()) return { note: 'dig is not installed and `apt-get install dnsutils` failed: dig comparison skipped.' };
    }
    path = which('dig');
    if (!path) return { note: 'dnsutils installed but dig is still not on PATH: dig comparison skipped.' };
    note = 'dig was installed by the bench (apt-get install dnsutils).';
  }
  const v = spawnSync(path, ['-v'], { encoding: 'utf8' });
  return { path, version: `${v.stdout}${v.stderr}`.trim().split('\n')[0], note };
}

export interface DigBatchResult {
  wallMs: number;
  queries: number;
  /** Responses dig printed a header for (every answered query, any rcode). */
  responses: number;
  processes: number;
  /** The time cap stopped dig before the end of its batch. */
  stopped?: boolean;
}

const commonArgs = (server: ServerAddr) => [`@${server.host}`, '-p', String(server.port), '+tries=1', '+time=2', '+noall', '+comments', '+answer'];

/** `dig -f batch` over `processes` parallel dig processes (split like xargs -P would). */
export async function digBatch(dig: string, server: ServerAddr, queries: RawQuery[], processes: number, dir: string, capMs = 300_000): Promise<DigBatchResult> {
  const chunks: string[][] = Array.from({ length: processes }, () => []);
  queries.forEach((q, i) => chunks[i % processes]!.push(`${q.name} ${q.type}`));
  const files = chunks.map((lines, k) => {
    const f = join(dir, `dig-batch-${processes}-${k}.txt`);
    writeFileSync(f, `${lines.join('\n')}\n`);
    return f;
  });
  const t0 = performance.now();
  const results = await Promise.all(files.map((f) => run(dig, [...commonArgs(server), '-f', f], { stdoutFile: `${f}.out`, timeoutMs: capMs })));
  const wallMs = performance.now() - t0;
  let responses = 0;
  for (const f of files) responses += countHeaders(`${f}.out`);
  return { wallMs, queries: queries.length, responses, processes, stopped: results.some((r) => r.killed) };
}

/** One query, as its own dig process, with the flags mxdoctor used. */
export interface DigCall {
  name: string;
  type: string;
  server: ServerAddr;
  dnssec?: boolean;
  cd?: boolean;
  recursion?: boolean;
}

/** A shell script of dig calls run one after the other, as a person's script would. */
export async function digScript(dig: string, calls: DigCall[], dir: string): Promise<DigBatchResult> {
  const lines = calls.map((c) => [dig, ...commonArgs(c.server), c.dnssec ? '+dnssec' : '', c.cd ? '+cd' : '', c.recursion === false ? '+norecurse' : '', c.name, c.type].filter(Boolean).join(' '));
  const script = join(dir, 'dig-script.sh');
  writeFileSync(script, `#!/bin/sh\n${lines.join('\n')}\n`);
  const out = `${script}.out`;
  const r = await run('sh', [script], { stdoutFile: out, timeoutMs: 120_000 });
  return { wallMs: r.wallMs, queries: calls.length, responses: countHeaders(out), processes: calls.length };
}

/** The same calls through one `dig -f` process (still one query at a time). */
export async function digScriptBatch(dig: string, calls: DigCall[], dir: string): Promise<DigBatchResult> {
  const f = join(dir, 'dig-calls.txt');
  writeFileSync(f, `${calls.map((c) => [`@${c.server.host}`, '-p', c.server.port, c.dnssec ? '+dnssec' : '', c.cd ? '+cd' : '', c.recursion === false ? '+norecurse' : '', c.name, c.type].filter(Boolean).join(' ')).join('\n')}\n`);
  const first = calls[0]!.server;
  const t0 = performance.now();
  await run(dig, [...commonArgs(first), '-f', f], { stdoutFile: `${f}.out`, timeoutMs: 120_000 });
  return { wallMs: performance.now() - t0, queries: calls.length, responses: countHeaders(`${f}.out`), processes: 1 };
}

function countHeaders(file: string): number {
  const r = spawnSync('grep', ['-c', '-e', '->>HEADER<<-', file], { encoding: 'utf8' });
  return Number(r.stdout.trim()) || 0;
}
