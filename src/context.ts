// Builds the I/O context (resolver, HTTP client, clock) from options: the one place
// where real sockets are chosen, so tests and the lab can substitute their own.
import type { CheckContext, CheckOptions } from './core/check.js';
import { WELL_KNOWN_PORTS } from './core/check.js';
import { createNetClient } from './io/net.js';
import type { NetClient } from './io/net.js';
import type { Resolver, ServerAddr } from './io/resolver.js';
import { DnsClient } from './io/dns-client.js';
import { createHttpClient } from './io/http.js';
import type { HttpClient } from './io/http.js';
import { systemClock } from './io/clock.js';
import type { Clock } from './io/clock.js';

export interface ContextOptions extends Partial<CheckOptions> {
  /** Use this resolver instead of building a DnsClient. */
  resolver?: Resolver;
  /** Resolver addresses; default from /etc/resolv.conf. */
  servers?: ServerAddr[];
  dnsTimeoutMs?: number;
  dnsRetries?: number;
  http?: HttpClient;
  net?: NetClient;
  /** Connect to loopback addresses only (the demo, tests, benchmarks). */
  loopbackOnly?: boolean;
  /** PEM texts trusted beside the system store for HTTPS fetches. */
  ca?: string[];
  clock?: Clock;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  dkimSelectors: [],
  dkimGuess: true,
  authPort: 53,
  httpsPort: 443,
  probeServers: true,
  ports: WELL_KNOWN_PORTS,
  submissionHosts: [],
  mailboxHosts: [],
  stepTimeoutMs: 10_000,
  slowMs: 500,
  heloName: 'mxdoctor.invalid',
  certWarnDays: 30,
  certCritDays: 7,
  relayTest: true,
  intrusive: false,
  dnsblZones: [],
};

export function checkOptions(o: Partial<CheckOptions>): CheckOptions {
  const picked: Partial<CheckOptions> = {};
  for (const k of [...Object.keys(DEFAULT_CHECK_OPTIONS), 'spfIp', 'spfSender', 'spfHelo', 'intrusiveRcpt'] as (keyof CheckOptions)[]) {
    (picked as any)[k] = o[k];
  }
  const out: CheckOptions = { ...DEFAULT_CHECK_OPTIONS };
  for (const [k, v] of Object.entries(picked)) if (v !== undefined) (out as any)[k] = v;
  return out;
}

/** A factory of per-target contexts sharing one resolver (and so one cache). */
export function contextFactory(resolver: Resolver, o: ContextOptions): () => CheckContext {
  const options = checkOptions(o);
  const http = o.http ?? createHttpClient({ resolver, ca: o.ca, loopbackOnly: o.loopbackOnly, portOverride: options.httpsPort === 443 ? undefined : options.httpsPort });
  const clock = o.clock ?? systemClock;
  const netClient = o.net ?? createNetClient({ ca: o.ca, loopbackOnly: o.loopbackOnly });
  return () => {
    const memo = new Map<string, Promise<unknown>>();
    const asked = new Set<string>();
    // Count the distinct questions this target needs (whether the shared cache answered them or not).
    const counting: Resolver = {
      query(name, type, opts) {
        const o = opts ?? {};
        asked.add(`${name.toLowerCase()}|${type}|${o.dnssec ? 1 : 0}${o.cd ? 1 : 0}${o.recursion === false ? 0 : 1}|${o.server ? `${o.server.host}:${o.server.port}` : ''}`);
        return resolver.query(name, type, opts);
      },
    };
    return {
      resolver: counting, http, net: netClient, clock, options,
      dnsQuestions: () => asked.size,
      memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
        let p = memo.get(key) as Promise<T> | undefined;
        if (!p) memo.set(key, (p = compute()));
        return p;
      },
    };
  };
}

export function createResolver(o: ContextOptions, fallbackServers: () => ServerAddr[]): Resolver {
  if (o.resolver) return o.resolver;
  return new DnsClient({ servers: o.servers?.length ? o.servers : fallbackServers(), timeoutMs: o.dnsTimeoutMs, retries: o.dnsRetries });
}
