// Builds the I/O context (resolver, HTTP client, clock) from options: the one place
// where real sockets are chosen, so tests and the lab can substitute their own.
import type { CheckContext, CheckOptions } from './core/check.js';
import { WELL_KNOWN_PORTS } from './core/check.js';
import { createNetClient } from './io/net.js';
import type { NetClient } from './io/net.js';
import type { Resolver, ServerAddr } from './io/resolver.js';
import { DnsClient } from './io/dns-client.js';
import { systemResolvers } from './io/resolv-conf.js';
import { setMaxListeners } from 'node:events';
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
  /** The run's overall deadline: every context's signal (checks get a child of it). */
  signal?: AbortSignal;
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
  const signal = o.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  return () => {
    const memo = new Map<string, { p: Promise<unknown>; signal: AbortSignal }>();
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
      signal, resolver: counting, http, net: netClient, clock, options,
      dnsQuestions: () => asked.size,
      memo<T>(key: string, compute: () => Promise<T>, by: AbortSignal = signal): Promise<T> {
        const had = memo.get(key);
        if (had && !(had.signal.aborted && !by.aborted)) return had.p as Promise<T>;
        const p = compute();
        memo.set(key, { p, signal: by });
        return p;
      },
    };
  };
}

export function createResolver(o: ContextOptions, fallbackServers: () => ServerAddr[]): Resolver {
  if (o.resolver) return o.resolver;
  return new DnsClient({ servers: o.servers?.length ? o.servers : fallbackServers(), timeoutMs: o.dnsTimeoutMs, retries: o.dnsRetries });
}

/**
 * Run `fn` with a resolver: the caller's (`o.resolver`, which the caller closes) or a
 * DnsClient built from the options, closed here when `fn` ends (its pending queries end too).
 */
export async function withResolver<T>(o: ResolverOptions, fn: (resolver: Resolver) => Promise<T>): Promise<T> {
  const r = openResolver(o);
  try {
    return await fn(r.resolver);
  } finally {
    r.close();
  }
}

export type ResolverOptions = Pick<ContextOptions, 'resolver' | 'servers' | 'dnsTimeoutMs' | 'dnsRetries'>;

/** The same rule for code whose scope is not one call (a generator): close() is a no-op for a caller's resolver. */
export function openResolver(o: ResolverOptions): { resolver: Resolver; close(): void } {
  if (o.resolver) return { resolver: o.resolver, close: () => undefined };
  const resolver = createResolver(o, systemResolvers);
  return { resolver, close: () => { if (resolver instanceof DnsClient) resolver.close(); } };
}

