// Measurement 2: one domain's full audit (healthy.test) when every DNS answer takes
// 50 ms more. The CLI is timed as a user runs it (node + tsx start-up included) and the
// library in-process, recording every wire query; then the same queries sent one after
// the other by dig, as a shell script of dig calls would.
import { join } from 'node:path';
import { startLab } from '../src/lab/lab.js';
import { loadMtaStsSites, startLabHttps, labCa } from '../src/lab/https-server.js';
import type { LabHttpsServer } from '../src/lab/https-server.js';
import { DnsClient } from '../src/io/dns-client.js';
import { formatServer } from '../src/io/resolver.js';
import type { DnsResponse, QueryOptions, RRType, Resolver } from '../src/io/resolver.js';
import { runChecks, DOMAIN_CHECKS } from '../src/index.js';
import { run } from './proc.js';
import { digScript, digScriptBatch } from './dig.js';
import type { DigBatchResult, DigCall } from './dig.js';
import { CA_FILE } from './bulk.js';

export const DOMAIN = 'healthy.test';

export interface SingleResult {
  delayMs: number;
  probeServers: boolean;
  httpsFrom: 'lab' | 'bench' ;
  cli: { wallMs: number; durationMs: number; dnsQueries?: number; status: string; exitCode: number | null }[];
  lib: { durationMs: number; wireQueries: number; calls: number }[];
  /** Per family, from the in-process run: its duration, and the wire queries it sends when run alone. */
  families: { family: string; durationMs: number; aloneQueries: number; aloneMs: number }[];
  /** The same name and type sent more than once (with other flags or to other servers). */
  repeated: { name: string; type: string; times: number }[];
  findingsNotOk: string[];
  calls: DigCall[];
  digScript?: DigBatchResult;
  digBatch?: DigBatchResult;
}

/** Records every resolver call; the DnsClient's cache key is the same, so unique keys = wire queries. */
class Recorder implements Resolver {
  readonly calls: DigCall[] = [];
  private readonly seen = new Set<string>();
  constructor(readonly inner: DnsClient) {}
  query(name: string, type: RRType, o: QueryOptions = {}): Promise<DnsResponse> {
    const server = o.server ?? this.inner.servers[0]!;
    const key = `${name.toLowerCase().replace(/\.$/, '')}|${type}|${o.dnssec ? 1 : 0}${o.cd ? 1 : 0}${o.recursion === false ? 0 : 1}|${formatServer(server)}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.calls.push({ name, type, server, dnssec: o.dnssec, cd: o.cd, recursion: o.recursion });
    }
    return this.inner.query(name, type, o);
  }
}

const BIN = join(process.cwd(), 'bin', 'mxdoctor.js');
const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
export { median };

export async function benchSingle(o: { delayMs: number; repeats: number; probeServers: boolean; dig?: string; dir: string }): Promise<SingleResult> {
  const lab = await startLab({ delayMs: o.delayMs, noMail: true }) as Awaited<ReturnType<typeof startLab>> & { httpsPort?: number; ca?: string[] };
  let own: LabHttpsServer | undefined;
  if (!lab.httpsPort) own = await startLabHttps({ sites: loadMtaStsSites() });
  const httpsPort = lab.httpsPort ?? own!.port;
  const ca = lab.ca ?? [labCa()];
  const libOptions = { authPort: lab.dnsPort, httpsPort, ca, checkTimeoutMs: 20_000, probeServers: o.probeServers };
  const fresh = () => new DnsClient({ servers: [lab.resolver], timeoutMs: 2000, retries: 1 });
  try {
    process.stderr.write(`bench: ${DOMAIN} with ${o.delayMs} ms per DNS answer...\n`);
    const cli: SingleResult['cli'] = [];
    for (let i = 0; i < o.repeats; i++) {
      const r = await run('node', [BIN, 'check', DOMAIN, '--json', '--resolver', formatServer(lab.resolver), '--auth-port', String(lab.dnsPort),
        '--https-port', String(httpsPort), '--ca', CA_FILE, ...(o.probeServers ? [] : ['--no-servers'])], { timeoutMs: 60_000 });
      const rep = JSON.parse(r.stdout).reports[0];
      cli.push({ wallMs: r.wallMs, durationMs: rep.durationMs, dnsQueries: rep.dnsQueries, status: rep.status, exitCode: r.code });
    }

    const lib: SingleResult['lib'] = [];
    const runs: { rec: Recorder; familyMs: Record<string, number>; notOk: string[] }[] = [];
    for (let i = 0; i < o.repeats; i++) {
      const client = fresh();
      const rec = new Recorder(client);
      const [rep] = await runChecks([DOMAIN], { resolver: rec, ...libOptions });
      client.close();
      lib.push({ durationMs: rep!.durationMs, wireQueries: client.queriesSent, calls: rec.calls.length });
      runs.push({ rec, familyMs: Object.fromEntries(rep!.checks.map((c) => [c.check, c.durationMs])), notOk: rep!.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info').map((f) => `${f.id} (${f.severity})`) });
    }
    // The per-family durations and the query list come from the median run.
    const mid = runs[lib.indexOf(median(lib, (x) => x.durationMs))]!;
    const recorder = mid.rec;
    const familyMs = mid.familyMs;
    const findingsNotOk = mid.notOk;

    const families: SingleResult['families'] = [];
    for (const check of DOMAIN_CHECKS) {
      const client = fresh();
      const t0 = performance.now();
      await runChecks([DOMAIN], { resolver: client, only: [check.family], ...libOptions });
      families.push({ family: check.family, durationMs: familyMs[check.family] ?? 0, aloneQueries: client.queriesSent, aloneMs: performance.now() - t0 });
      client.close();
    }

    const calls = recorder.calls;
    const byName = new Map<string, number>();
    for (const c of calls) byName.set(`${c.name.toLowerCase()}|${c.type}`, (byName.get(`${c.name.toLowerCase()}|${c.type}`) ?? 0) + 1);
    const repeated = [...byName].filter(([, n]) => n > 1).map(([k, times]) => ({ name: k.split('|')[0]!, type: k.split('|')[1]!, times }));

    const res: SingleResult = { delayMs: o.delayMs, probeServers: o.probeServers, httpsFrom: own ? 'bench' : 'lab', cli, lib, families, repeated, findingsNotOk, calls };
    if (o.dig && calls.length) {
      process.stderr.write(`bench: the same ${calls.length} queries with dig, one after the other...\n`);
      res.digScript = await digScript(o.dig, calls, o.dir);
      res.digBatch = await digScriptBatch(o.dig, calls, o.dir);
    }
    return res;
  } finally {
    await own?.close();
    await lab.close();
  }
}
