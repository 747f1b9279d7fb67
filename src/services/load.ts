// Service: an SMTP load test (`mxdoctor load`): resolve the target once, run the bounded load
// (one concurrency or the ramp), judge it, one Report (facts.load) out. The caller's signal
// stops every socket at once; what was measured until then is still reported (load.interrupted).
import { availableParallelism } from 'node:os';
import net from 'node:net';
import { UsageError } from '../core/errors.js';
import { operationReport } from '../core/report.js';
import type { Report } from '../core/report.js';
import { isIgnored } from '../core/runner.js';
import { createNetClient, isLoopback } from '../io/net.js';
import type { NetClient } from '../io/net.js';
import { loadFacts } from '../load/facts.js';
import type { LoadFacts } from '../load/facts.js';
import { judgeLoad } from '../load/judge.js';
import { runLoad } from '../load/run.js';
import type { LoadSettings, Progress } from '../load/types.js';
import { hostResolver } from '../roundtrip/resolve-host.js';
import { withResolver } from './resources.js';
import type { ResolverOptions } from './resources.js';

/** What to run: the settings, with the address looked up here when `host` is a name. */
export type LoadRequest = Omit<LoadSettings, 'address'> & { address?: string };

export interface LoadServiceOptions extends ResolverOptions {
  /** Cancels the run (Ctrl-C, a monitor's shutdown): sockets close, the partial run is reported. */
  signal?: AbortSignal;
  /** About twice a second while running (the CLI's progress line). */
  onProgress?: (p: Progress) => void;
  /** The server's cores for the 2 × cores rule of thumb; default: this machine's on loopback. */
  serverCores?: number;
  ignore?: string[];
  net?: NetClient;
}

export interface LoadOutcome {
  report: Report;
  facts: LoadFacts;
}

export async function loadTest(req: LoadRequest, o: LoadServiceOptions = {}): Promise<LoadOutcome> {
  // Threads only with the service's own net client (a caller's cannot be shared across threads).
  const threads = o.net ? 1 : (req.threads ?? 1);
  const settings: LoadSettings = { ...req, threads, address: req.address ?? (await addressOf(req.host, o)) };
  // The workers bound the connections; the per-host cap only needs slack so that a new
  // connection does not wait for the previous socket's close event.
  const client = o.net ?? createNetClient({ maxPerHost: settings.concurrency * 2 });
  const run = await runLoad(settings, { net: client, ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const cores = o.serverCores ?? (isLoopback(settings.address) ? availableParallelism() : undefined);
  const facts = loadFacts(run, cores);
  const report = operationReport({
    target: `${settings.host}:${settings.port}`, kind: 'load', startedAt: run.startedAt, durationMs: run.durationMs,
    parts: [{ check: 'load', area: 'Load', findings: judgeLoad(facts), durationMs: run.durationMs }],
    ignore: (id) => isIgnored(id, o.ignore), facts: { load: facts },
  });
  return { report, facts };
}

/** An IP literal or localhost as is; a name through the resolver (first A/AAAA). */
async function addressOf(host: string, o: ResolverOptions): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return bare;
  if (bare.toLowerCase() === 'localhost') return '127.0.0.1';
  return withResolver(o, async (resolver) => {
    let found: string[];
    try {
      found = await hostResolver(resolver)(bare);
    } catch (e) {
      throw new UsageError(`load: could not look up ${bare}: ${(e as Error).message}`);
    }
    if (!found[0]) throw new UsageError(`load: ${bare} has no A or AAAA record`);
    return found[0];
  });
}
