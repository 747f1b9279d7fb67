// Measurement 1: the bulk DNS audit, run the way a user runs it (`mxdoctor check --file
// ... --concurrency N` as a child process, NDJSON to a file), against the in-process lab
// serving N synthetic domains; then dig fetching the same raw records from the same lab.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../src/lab/lab.js';
import { loadMtaStsSites, startLabHttps, CERTS_DIR } from '../src/lab/https-server.js';
import { syntheticDomains } from './synthetic-zones.js';
import { run } from './proc.js';
import { digBatch } from './dig.js';
import { POOL_MIN_DOMAINS, poolSize } from '../src/cli/bulk-pool.js';
import type { DigBatchResult } from './dig.js';

export interface BulkRun {
  label: string;
  concurrency: number;
  /** Domains in the file (a prefix of the synthetic list for the sweeps). */
  domains: number;
  only?: string;
  wallMs: number;
  domainsPerS: number;
  lines: number;
  validReports: number;
  exitCode: number | null;
  /** Stopped by the time cap before the end of the file: the rate counts the reports written by then. */
  stopped?: boolean;
  maxRssKb?: number;
  childCpuS?: number;
  /** CPU the bench process (the lab DNS + HTTPS servers) spent during the run. */
  serverCpuS: number;
  serverQueries: number;
  /** report.dnsQueries: in bulk mode it counts the queries of every domain in flight. */
  dnsQueriesMean: number;
  status: Record<string, number>;
  /** unknown findings by id: a sign of timeouts under load when not planted. */
  unknownIds: Record<string, number>;
  /** Per family: mean and 95th percentile of its duration inside a report. */
  families: Record<string, { meanMs: number; p95Ms: number }>;
  /** 1-minute load average before and after: other work on the machine skews wall times. */
  load: [number, number];
  stderr: string;
}

export interface BulkResult {
  domains: number;
  records: number;
  mtaStsSites: number;
  labStartMs: number;
  probeServers: boolean;
  /** One domain, every family: start-up and module loading, taken off CPU per domain. */
  baseline?: BulkRun;
  main?: BulkRun;
  sweep: BulkRun[];
  perFamily: BulkRun[];
  dig: (DigBatchResult & { domains: number })[];
  rawQueriesPerDomain: number;
  /** Share of the synthetic domains with a DKIM key (then _domainkey.<domain> exists and the common selectors are all asked). */
  dkimShare: number;
  /** Worker threads the CLI uses by default for a list this long (src/cli/bulk-pool.ts); 1 = none. */
  workers: number;
  poolMinDomains: number;
}

const BIN = join(process.cwd(), 'bin', 'mxdoctor.js');
export const CA_FILE = join(CERTS_DIR, 'ca.pem');

export interface BulkOptions {
  domains: number;
  concurrency: number;
  /** Other --concurrency values, run on a prefix of the list. */
  sweep: number[];
  sweepDomains: number;
  /** Each registered family alone (--only), on a prefix: its queries and CPU per domain. */
  families: string[];
  familyDomains: number;
  dig?: string;
  digProcesses: number[];
  digSeqDomains: number;
  /** Cap on the main run's wall time, in seconds. */
  maxRunS: number;
  /** Let the server-probe families connect to the MX hosts (default: DNS audit only, --no-servers). */
  probeServers: boolean;
  dir: string;
}

export async function benchBulk(o: BulkOptions): Promise<BulkResult> {
  const gen = syntheticDomains(o.domains);
  const fileFor = (n: number) => {
    const f = join(o.dir, `domains-${n}.txt`);
    if (!existsSync(f)) writeFileSync(f, `${gen.domains.slice(0, n).join('\n')}\n`);
    return f;
  };
  const t0 = performance.now();
  // Full lab, not resolverOnly: the name-server family queries 127.0.0.2/3 directly.
  const lab = await startLab({ extraRecords: gen.records, noHttps: true, noMail: true }); // our HTTPS server serves the synthetic policies too
  const https = await startLabHttps({ sites: { ...loadMtaStsSites(), ...gen.sites } });
  const labStartMs = performance.now() - t0;
  const totalQueries = () => lab.servers.reduce((s, x) => s + x.queries, 0);
  const audit = async (label: string, n: number, c: number, only?: string, capS = 300): Promise<BulkRun> => {
    process.stderr.write(`bench: bulk audit of ${n} domains, --concurrency ${c}${only ? ` --only ${only}` : ''}...\n`);
    const out = join(o.dir, 'bulk.ndjson');
    const q0 = totalQueries();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    const r = await run('node', [BIN, 'check', '--file', fileFor(n), '--resolver', `127.0.0.1:${lab.dnsPort}`, '--auth-port', String(lab.dnsPort),
      '--https-port', String(https.port), '--ca', CA_FILE, '--concurrency', String(c), '--quiet', ...(o.probeServers ? [] : ['--no-servers']), ...(only ? ['--only', only] : [])],
      { stdoutFile: out, measure: true, timeoutMs: capS * 1000 });
    const cpu = process.cpuUsage(cpu0);
    const sum = summarize(ndjsonLines(readFileSync(out)));
    return { ...sum, label, concurrency: c, domains: n, only, wallMs: r.wallMs, domainsPerS: sum.validReports / (r.wallMs / 1000), exitCode: r.code, stopped: r.killed,
      maxRssKb: r.maxRssKb, childCpuS: r.cpuS, serverCpuS: (cpu.user + cpu.system) / 1e6, serverQueries: totalQueries() - q0,
      load: [load0, loadavg()[0]!], stderr: r.stderr.trim().slice(0, 2000) };
  };
  const res: BulkResult = { domains: o.domains, records: gen.records.length, mtaStsSites: Object.keys(gen.sites).length, labStartMs, probeServers: o.probeServers, sweep: [], perFamily: [], dig: [],
    rawQueriesPerDomain: gen.raw.reduce((s, q) => s + q.length, 0) / gen.raw.length,
    dkimShare: dkimShare(gen.domains, gen.records.map((r) => r.name)),
    workers: poolSize({ probeServers: o.probeServers }), poolMinDomains: POOL_MIN_DOMAINS };
  try {
    res.baseline = await audit('baseline', 1, 1);
    res.main = await audit('main', o.domains, o.concurrency, undefined, o.maxRunS);
    const sweepN = Math.min(o.sweepDomains, o.domains);
    for (const c of o.sweep) res.sweep.push(await audit('sweep', sweepN, c, undefined, Math.max(20, o.maxRunS / 3)));
    const famN = Math.min(o.familyDomains, o.domains);
    for (const f of o.families) res.perFamily.push(await audit('family', famN, o.concurrency, f, Math.max(10, o.maxRunS / 10)));
    if (o.dig) {
      for (const p of o.digProcesses) {
        // One sequential dig is slow: it may run on a prefix of the list (the rate is what counts).
        const n = p === 1 ? Math.min(o.digSeqDomains, o.domains) : o.domains;
        process.stderr.write(`bench: dig -f over ${n} domains, ${p} process(es)...\n`);
        const r = await digBatch(o.dig, lab.resolver, gen.raw.slice(0, n).flat(), p, o.dir, Math.max(20, o.maxRunS / 3) * 1000);
        // When the cap stopped dig, count the domains its responses cover.
        res.dig.push({ ...r, domains: r.stopped ? (n * r.responses) / r.queries : n });
      }
    }
  } finally {
    await https.close();
    await lab.close();
  }
  return res;
}

/** Share of `domains` with a record under <selector>._domainkey.<domain>. */
function dkimShare(domains: string[], names: string[]): number {
  const parents = new Set(names.filter((n) => n.includes('._domainkey.')).map((n) => n.slice(n.indexOf('._domainkey.') + 12)));
  return domains.filter((d) => parents.has(d)).length / domains.length;
}

type Summary = Pick<BulkRun, 'lines' | 'validReports' | 'dnsQueriesMean' | 'status' | 'unknownIds' | 'families'>;

/**
 * The NDJSON output line by line from its bytes: 100,000 reports are about 1.3 GB, more than
 * one string may hold (V8's limit is 512 MiB), so the file is never decoded whole.
 */
export function* ndjsonLines(buf: Buffer): Generator<string> {
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (end > start) yield buf.toString('utf8', start, end);
    start = end + 1;
  }
}

function summarize(ndjson: Iterable<string>): Summary {
  let count = 0;
  const status: Record<string, number> = {};
  const unknownIds: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  let valid = 0;
  let qSum = 0;
  for (const line of ndjson) {
    count++;
    let r: any;
    try { r = JSON.parse(line); } catch { continue; }
    if (r?.schema !== 'mxdoctor.report/v1') continue;
    valid++;
    status[r.status] = (status[r.status] ?? 0) + 1;
    qSum += r.dnsQueries ?? 0;
    for (const f of r.findings ?? []) if (f.severity === 'unknown') unknownIds[f.id] = (unknownIds[f.id] ?? 0) + 1;
    for (const c of r.checks ?? []) (durations[c.check] ??= []).push(c.durationMs);
  }
  const families: Summary['families'] = {};
  for (const [k, v] of Object.entries(durations)) {
    v.sort((a, b) => a - b);
    families[k] = { meanMs: v.reduce((s, x) => s + x, 0) / v.length, p95Ms: v[Math.floor(v.length * 0.95)] ?? 0 };
  }
  return { lines: count, validReports: valid, dnsQueriesMean: valid ? qSum / valid : 0, status, unknownIds, families };
}
