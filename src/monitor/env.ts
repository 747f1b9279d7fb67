// Where the monitor's checks get their I/O: the system resolver (or a module's own) for a
// real config, the in-process lab for `serve` without a config (as `demo` does), with
// the lab's domains as targets and its CA trusted.
import type { CheckContext } from '../core/check.js';
import type { ContextOptions } from '../context.js';
import { contextFactory } from '../context.js';
import { DnsClient } from '../io/dns-client.js';
import { createNetClient } from '../io/net.js';
import { systemResolvers } from '../io/resolv-conf.js';
import type { Resolver } from '../io/resolver.js';
import { startLab } from '../lab/lab.js';
import type { Lab } from '../lab/lab.js';
import type { ModuleConfig } from '../config/serve-schema.js';
import type { ServeConfig } from '../config/serve-resolve.js';
import { DEFAULT_MODULE, splitHostPort } from '../config/serve-resolve.js';
import type { MonitorEnv } from './monitor.js';

function moduleOptions(m: ModuleConfig): Partial<ContextOptions> {
  return {
    certWarnDays: m.cert_warn_days, certCritDays: m.cert_crit_days, probeServers: m.probe_servers,
    ...(m.slow !== undefined ? { slowMs: m.slow } : {}),
    ...(m.ca_pem?.length ? { ca: m.ca_pem } : {}),
    ...(m.dkim_selectors.length ? { dkimSelectors: m.dkim_selectors } : {}),
    ...(m.dnsbl_zones.length ? { dnsblZones: m.dnsbl_zones } : {}),
  };
}

/** Context factories per module, built once (their resolvers keep one cache each). */
export function moduleContexts(base: ContextOptions, resolverFor: (m: ModuleConfig) => Resolver): MonitorEnv & { close(): void } {
  const made = new Map<string, { module: ModuleConfig; factory: () => CheckContext; resolver: Resolver }>();
  return {
    contextFor(name, module) {
      const had = made.get(name);
      if (had && had.module === module) return had.factory;
      const resolver = resolverFor(module);
      const factory = contextFactory(resolver, { ...base, ...moduleOptions(module) });
      made.set(name, { module, factory, resolver });
      return factory;
    },
    close() {
      for (const { resolver } of made.values()) if (resolver instanceof DnsClient) resolver.close();
    },
  };
}

export function realEnv(): MonitorEnv & { close(): void } {
  return moduleContexts({}, (m) => new DnsClient({
    servers: m.resolver ? [splitHostPort(m.resolver)] : systemResolvers(),
    ...(m.dns_timeout ? { timeoutMs: m.dns_timeout } : {}),
  }));
}

export interface LabServe { lab: Lab; config: ServeConfig; env: MonitorEnv & { close(): void } }

/** `serve` without a config: the lab's domains, checked every minute, kept in memory. */
export async function labServe(listen: { host: string; port: number }, storePath?: string): Promise<LabServe> {
  const lab = await startLab();
  const ca = [...new Set([...lab.ca, ...lab.mailCa])];
  // healthy.test signs with selector "mx2026", which no list of common selectors guesses.
  // The lab's servers share this process's event loop with the checks: on a busy machine an
  // ordinary reply can take 600 ms; the lab's slow server (smtp-slow.test) greets after 1.8 s.
  const module: ModuleConfig = { ...DEFAULT_MODULE, dkim_selectors: ['mx2026'], slow: 1500 };
  const domains = lab.data.demo.map((d) => d.domain);
  const config: ServeConfig = {
    file: '(built-in lab)',
    listen: { ...listen, hosts: [] },
    store: { ...(storePath ? { path: storePath } : {}), retention: { minute: 2 * 86_400_000, hour: 90 * 86_400_000, day: 366 * 86_400_000, reports: 30 * 86_400_000 } },
    schedule: { interval: 60_000, jitter: 10_000, timeout: 60_000, concurrency: 4, max_backoff: 600_000 },
    objective: 0.9995,
    modules: { default: module },
    targets: domains.map((d) => ({ name: d, kind: 'domain', address: d, module: 'default', intervalMs: 60_000, logFiles: [] })),
    probeAllow: domains,
    rules: [],
    maintenance: [],
    channels: {},
    remediation: [],
  };
  const net = createNetClient({ ca, loopbackOnly: true, maxPerHost: 16 });
  const env = moduleContexts({ authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca, loopbackOnly: true, ports: lab.mailPorts, net },
    () => new DnsClient({ servers: [lab.resolver], timeoutMs: 2000, retries: 1 }));
  return { lab, config, env };
}
