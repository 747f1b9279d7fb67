// What a check is, and the context it runs in. Checks are pure judgement over facts
// gathered through the injected I/O in the context (DESIGN.md §4).
import type { Finding, FindingDef } from './finding.js';
import type { Resolver, ServerAddr } from '../io/resolver.js';
import type { Clock } from '../io/clock.js';
import type { HttpClient } from '../io/http.js';
import type { NetClient } from '../io/net.js';

/** Where a finding is shown in the human report, in this order. */
export const AREAS = [
  'DNS', 'MX', 'Reverse DNS', 'SPF', 'DKIM', 'DMARC', 'MTA-STS', 'TLS-RPT', 'BIMI', 'DNSSEC', 'DANE', 'Name servers',
  'SMTP', 'Submission', 'TLS', 'Certificates', 'IMAP', 'POP3', 'LMTP', 'Blacklists',
  // Operations on a server rather than audits of a domain: test sends, round trips, the
  // queue and the host itself (mxdoctor send, roundtrip, queue, check --local).
  'Send', 'Round trip', 'Load', 'Queue', 'Host', 'Maildir', 'Logs', 'Diagnosis', 'Run',
] as const;
export type Area = (typeof AREAS)[number];

export interface DomainTarget {
  kind: 'domain';
  /** Lower-case A-label form, no trailing dot. */
  domain: string;
  /** What the user typed, when it differs (IDN, trailing dot, upper case). */
  input?: string;
}

/** One server endpoint named by the user (`mxdoctor smtp|imap|pop3|tls host[:port]`). */
export interface HostTarget {
  kind: 'host';
  /** Host name or IP literal. */
  host: string;
  port?: number;
  input?: string;
}

/** An IP address or name to look up in blacklists (`mxdoctor blacklist`). */
export interface AddressTarget {
  kind: 'address';
  /** IPv4/IPv6 address, or a host/domain name for domain lists. */
  address: string;
  input?: string;
}

export type Target = DomainTarget | HostTarget | AddressTarget;

/** The name a report shows for a target. */
export function targetName(t: Target): string {
  switch (t.kind) {
    case 'domain': return t.domain;
    case 'host': return t.port ? `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}` : t.host;
    case 'address': return t.address;
  }
}

export interface CheckOptions {
  /** DKIM selectors the user named, tried before the built-in list. */
  dkimSelectors: string[];
  /** Try the built-in list of common DKIM selectors too. */
  dkimGuess: boolean;
  /** Evaluate SPF for this client address (mxdoctor dns --ip). */
  spfIp?: string;
  /** MAIL FROM for the SPF evaluation; default postmaster@<domain>. */
  spfSender?: string;
  /** HELO name for the SPF evaluation. */
  spfHelo?: string;
  /** Port for queries sent straight to authoritative name servers (53 except in labs). */
  authPort: number;
  /** Port for HTTPS fetches (MTA-STS, BIMI): 443 except in labs. */
  httpsPort: number;
  /** Probe the mail servers (SMTP, submission, IMAP, POP3, TLS); false for a DNS-only audit. */
  probeServers: boolean;
  /** Server ports to probe per service; labs move them off the well-known ports. */
  ports: ServicePorts;
  /** Submission / mailbox hosts named by the user (else SRV records, else the MX hosts). */
  submissionHosts: string[];
  mailboxHosts: string[];
  /** Per-step timeout of the protocol clients (connect, greeting, each command). */
  stepTimeoutMs: number;
  /** A reply slower than this is a warning (500 ms by default: slower replies make senders back off). */
  slowMs: number;
  /** Name we announce in EHLO/HELO. */
  heloName: string;
  /** Certificate expiry thresholds, in days. */
  certWarnDays: number;
  certCritDays: number;
  /** Run the open-relay and RCPT tests (they stop before DATA). */
  relayTest: boolean;
  /** Opt-in intrusive tests (SMTP smuggling) against the named host only. */
  intrusive: boolean;
  /** Recipient for intrusive tests; required with --intrusive. */
  intrusiveRcpt?: string;
  /** DNSBL zones to use instead of the built-in lists. */
  dnsblZones: string[];
}

export interface ServicePorts {
  smtp: number;
  submission: number;
  submissions: number;
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
}

export const WELL_KNOWN_PORTS: ServicePorts = { smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995 };

export interface CheckContext {
  /**
   * Fires when this work must stop (the check's deadline or the run's overall deadline). The
   * runner hands each check a context whose resolver, net and http already carry it, so their
   * sockets close and their queries end when it fires; code that waits on anything else checks it.
   */
  signal: AbortSignal;
  resolver: Resolver;
  /** TCP/TLS connections for the server probes (per-host capped). */
  net: NetClient;
  http: HttpClient;
  clock: Clock;
  options: CheckOptions;
  /** Distinct DNS questions asked for this target so far (for reports and benchmarks). */
  dnsQuestions?: () => number;
  /**
   * Per-target memo so checks share facts (the MX set) without recomputing them. A value
   * computed under a signal that has since fired is computed again for a caller whose signal
   * has not (a cancelled check must not leave its cut-short facts to the others).
   */
  memo<T>(key: string, compute: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface Check<T extends Target = DomainTarget> {
  /** Family name; every finding id it emits starts with `<family>.`. */
  family: string;
  area: Area;
  /** One line for --help and the docs. */
  description: string;
  /** Every finding this check can emit: the registry and docs/findings.md come from these. */
  findings: FindingDef[];
  /** Connects to mail servers (slow steps, queueing behind the per-host cap): gets the longer deadline. */
  connects?: boolean;
  /** Why this check does not run for this context (e.g. server probes are off), or undefined to run it. */
  skip?(target: Target, ctx: CheckContext): string | undefined;
  run(target: T, ctx: CheckContext): Promise<Finding[]>;
}

export type { ServerAddr };

/** The reason every server-probing family gives when `probeServers` is off. */
export function skipUnlessProbing(_t: unknown, ctx: CheckContext): string | undefined {
  return ctx.options.probeServers ? undefined : 'server probes are off (--no-servers or a DNS-only command)';
}
