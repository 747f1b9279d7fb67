// Measurement 1: the bulk DNS audit, run the way a user runs it (`mxdoctor check --file
// ... --concurrency N` as a child process, NDJSON to a file), against the in-process lab
// serving N synthetic domains; then dig fetching the same raw records from the same lab.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from '../src/lab/lab.js';
import { loadMtaStsSites, startLabHttps, CERTS_DIR } from '../src/lab/https-server.js';
import { syntheticDomains } from './synthetic-zones.js';
import { run } from './proc.js';
import { digBatch } from './dig.js';
import type { DigBatchResult } from './dig.js';

export interface BulkRun {
  concurrency: number;
  wallMs: number;
  domainsPerS: number;
  lines: number;
  validReports: number;
  exitCode: number | null;
  maxRssKb?: number;
  childCpuS?: number;
  /** CPU the bench process (the lab DNS + HTTPS servers) spent during the run. */
  serverCpuS: number;
  serverQueries: number;
  dnsQueriesMean: number;
  dnsQueriesMax: number;
  status: Record<string, number>;
  /** unknown findings by id: a sign of timeouts under load when not planted. */
  unknownIds: Record<string, number>;
  /** Per family: mean and 95th percentile of its duration inside a report. */
  families: Record<string, { meanMs: number; p95Ms: number }>;
  stderr: string;
}

export interface BulkResult {
  domains: number;
  records: number;
  mtaStsSites: number;
  labStartMs: number;
  runs: BulkRun[];
  dig: (DigBatchResult & { domains: number })[];
  rawQueriesPerDomain: number;
}

const BIN = join(process.cwd(), 'bin', 'mxdoctor.js');
export const CA_FILE = join(CERTS_DIR, 'ca.pem');

export async function benchBulk(o: { domains: number; concurrencies: number[]; dig?: string; digProcesses: number[]; digSeqDomains: number; dir: string }): Promise<BulkResult> {
  const gen = syntheticDomains(o.domains);
  const file = join(o.dir, 'domains.txt');
  writeFileSync(file, `${gen.domains.join('\n')}\n`);
  const t0 = performance.now();
  // Full lab, not resolverOnly: the name-server family queries 127.0.0.2/3 directly.
  const lab = await startLab({ extraRecords: gen.records });
  const https = await startLabHttps({ sites: { ...loadMtaStsSites(), ...gen.sites } });
  const labStartMs = performance.now() - t0;
  const totalQueries = () => lab.servers.reduce((s, x) => s + x.queries, 0);
  const runs: BulkRun[] = [];
  const dig: BulkResult['dig'] = [];
  try {
    for (const c of o.concurrencies) {
      process.stderr.write(`bench: bulk audit of ${o.domains} domains, --concurrency ${c}...\n`);
      const out = join(o.dir, `bulk-${c}.ndjson`);
      const q0 = totalQueries();
      const cpu0 = process.cpuUsage();
      const r = await run('node', [BIN, 'check', '--file', file, '--resolver', `127.0.0.1:${lab.dnsPort}`, '--auth-port', String(lab.dnsPort),
        '--https-port', String(https.port), '--ca', CA_FILE, '--concurrency', String(c), '--quiet'], { stdoutFile: out, measure: true, timeoutMs: 600_000 });
      const cpu = process.cpuUsage(cpu0);
      runs.push({ ...summarize(readFileSync(out, 'utf8')), concurrency: c, wallMs: r.wallMs, domainsPerS: 0, exitCode: r.code,
        maxRssKb: r.maxRssKb, childCpuS: r.cpuS, serverCpuS: (cpu.user + cpu.system) / 1e6, serverQueries: totalQueries() - q0, stderr: r.stderr.trim().slice(0, 2000) });
      const last = runs.at(-1)!;
      last.domainsPerS = last.validReports / (r.wallMs / 1000);
    }
    if (o.dig) {
      for (const p of o.digProcesses) {
        // One sequential dig is slow: it may run on a prefix of the list (the rate is what counts).
        const n = p === 1 ? Math.min(o.digSeqDomains, o.domains) : o.domains;
        process.stderr.write(`bench: dig -f over ${n} domains, ${p} process(es)...\n`);
        const r = await digBatch(o.dig, lab.resolver, gen.raw.slice(0, n).flat(), p, o.dir);
        dig.push({ ...r, domains: n });
      }
    }
  } finally {
    await https.close();
    await lab.close();
  }
  const rawQueriesPerDomain = gen.raw.reduce((s, q) => s + q.length, 0) / gen.raw.length;
  return { domains: o.domains, records: gen.records.length, mtaStsSites: Object.keys(gen.sites).length, labStartMs, runs, dig, rawQueriesPerDomain };
}

type Summary = Omit<BulkRun, 'concurrency' | 'wallMs' | 'domainsPerS' | 'exitCode' | 'maxRssKb' | 'childCpuS' | 'serverCpuS' | 'serverQueries' | 'stderr'>;

function summarize(ndjson: string): Summary {
  const lines = ndjson.split('\n').filter(Boolean);
  const status: Record<string, number> = {};
  const unknownIds: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  let valid = 0;
  let qSum = 0;
  let qMax = 0;
  for (const line of lines) {
    let r: any;
    try { r = JSON.parse(line); } catch { continue; }
    if (r?.schema !== 'mxdoctor.report/v1') continue;
    valid++;
    status[r.status] = (status[r.status] ?? 0) + 1;
    qSum += r.dnsQueries ?? 0;
    qMax = Math.max(qMax, r.dnsQueries ?? 0);
    for (const f of r.findings ?? []) if (f.severity === 'unknown') unknownIds[f.id] = (unknownIds[f.id] ?? 0) + 1;
    for (const c of r.checks ?? []) (durations[c.check] ??= []).push(c.durationMs);
  }
  const families: Summary['families'] = {};
  for (const [k, v] of Object.entries(durations)) {
    v.sort((a, b) => a - b);
    families[k] = { meanMs: v.reduce((s, x) => s + x, 0) / v.length, p95Ms: v[Math.floor(v.length * 0.95)] ?? 0 };
  }
  return { lines: lines.length, validReports: valid, dnsQueriesMean: valid ? qSum / valid : 0, dnsQueriesMax: qMax, status, unknownIds, families };
}
