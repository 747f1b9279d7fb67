// The Resolver interface every check talks to, and the outcome model that keeps
// "could not tell" (timeout, SERVFAIL, REFUSED) apart from "does not exist".

import { abortMessage, signalOf, untilAborted } from './deadline.js';
import type { SignalSource } from './deadline.js';

export type RRType =
  | 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'NS' | 'SOA' | 'PTR' | 'SRV'
  | 'TLSA' | 'DS' | 'DNSKEY' | 'CAA' | 'SPF' | 'RRSIG';

/**
 * answer: records of the asked type. nxdomain: the name does not exist (RCODE 3).
 * nodata: the name exists but has no record of this type. The rest mean we could not tell.
 */
export type DnsStatus = 'answer' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'error';

export interface ServerAddr {
  host: string;
  port: number;
}

export interface DnsRecord {
  name: string;
  type: string;
  ttl: number;
  /** dns-packet's decoded rdata, except TXT/SPF which are normalised to string[] (one per character-string). */
  data: any;
}

export interface DnsResponse {
  name: string;
  type: RRType;
  status: DnsStatus;
  /** Records of the asked type (after any CNAME chain). */
  records: DnsRecord[];
  /** CNAME targets followed, in order. */
  cnames: string[];
  /** Authority section (SOA on NODATA/NXDOMAIN, NS on referrals). */
  authority: DnsRecord[];
  /** Authenticated Data bit: a validating resolver vouches for the answer (RFC 4035 §3.2.3). */
  ad: boolean;
  /** Authoritative Answer bit: set when we asked an authoritative server directly. */
  aa: boolean;
  rcode: string;
  /** "host:port" that gave this answer, or that we last tried. */
  server: string;
  error?: string;
  elapsedMs: number;
}

export interface QueryOptions {
  /** Set the DO bit so a validating resolver reports AD and returns RRSIGs. */
  dnssec?: boolean;
  /** Checking Disabled (RFC 4035 §3.2.2): ask the resolver not to validate. */
  cd?: boolean;
  /** Ask this server instead of the configured resolvers (e.g. an authoritative server). */
  server?: ServerAddr;
  /** Recursion Desired; false when asking an authoritative server. Default true. */
  recursion?: boolean;
  /**
   * The asker gives up when it fires. A wire query shared by several askers (the cache) is
   * cut, its UDP wait and TCP connection ended, only when every one of them has given up.
   */
  signal?: AbortSignal;
}

export interface Resolver {
  query(name: string, type: RRType, options?: QueryOptions): Promise<DnsResponse>;
}

/** True when the outcome says nothing about whether the record exists. */
export function isIndeterminate(r: DnsResponse): boolean {
  return r.status === 'servfail' || r.status === 'refused' || r.status === 'timeout' || r.status === 'error';
}

/** One TXT/SPF record's character-strings (the client normalises them to string[]; anything else is one string). */
export function txtStrings(data: unknown): string[] {
  return Array.isArray(data) ? data.map(String) : [String(data)];
}

/** One TXT record's text: its character-strings joined without separator (RFC 7208 §3.3). */
export function txtText(data: unknown): string {
  return txtStrings(data).join('');
}

/** Every TXT record's text (txtText). */
export function txtTexts(r: DnsResponse): string[] {
  return r.records.map((rec) => txtText(rec.data));
}

export function describeFailure(r: DnsResponse): string {
  switch (r.status) {
    case 'timeout': return `no answer from ${r.server} within the timeout`;
    case 'servfail': return `${r.server} answered SERVFAIL`;
    case 'refused': return `${r.server} refused the query`;
    case 'error': return `${r.server}: ${r.error ?? 'malformed or unexpected response'}`;
    case 'nxdomain': return `${r.name} does not exist (NXDOMAIN)`;
    case 'nodata': return `${r.name} has no ${r.type} record`;
    default: return 'answered';
  }
}

export function formatServer(s: ServerAddr): string {
  return s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

/** Parse "host", "host:port", "[v6]:port" or a bare IPv6 address. */
export function parseServer(spec: string, defaultPort = 53): ServerAddr | undefined {
  const s = spec.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return withPort(v6[1]!, v6[2], defaultPort);
  if ((s.match(/:/g) ?? []).length > 1) return { host: s.replace(/%.*$/, ''), port: defaultPort };
  const m = /^([^:]+)(?::(\d+))?$/.exec(s);
  return m ? withPort(m[1]!, m[2], defaultPort) : undefined;
}

function withPort(host: string, port: string | undefined, def: number): ServerAddr | undefined {
  const p = port === undefined ? def : Number(port);
  if (!Number.isInteger(p) || p < 1 || p > 65535 || !host) return undefined;
  return { host, port: p };
}

/**
 * The same resolver, answering `timeout` ("could not tell") at once for every question asked
 * after `signal` fired or still waiting when it fires. The signal goes down with the question:
 * the wire query (shared through the cache with other askers) is cut once all have given up.
 */
export function bindResolverSignal(resolver: Resolver, source: SignalSource | undefined): Resolver {
  if (!source) return resolver;
  return {
    query(name, type, options) {
      const signal = signalOf(source);
      if (!signal) return resolver.query(name, type, options);
      const cancelled = (): DnsResponse => ({
        name, type, status: 'timeout', records: [], cnames: [], authority: [], ad: false, aa: false, rcode: 'TIMEOUT',
        server: options?.server ? formatServer(options.server) : '-', error: `cancelled: ${abortMessage(signal)}`, elapsedMs: 0,
      });
      if (signal.aborted) return Promise.resolve(cancelled());
      return untilAborted(resolver.query(name, type, { ...options, signal }), signal, cancelled);
    },
  };
}
