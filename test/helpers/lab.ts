// Test helpers: serve a zone (master-file text) from the in-process DNS server and
// run checks against it through a real DnsClient over loopback UDP/TCP.
import { startLabDns } from '../../src/lab/dns-server.js';
import type { LabDnsOptions, LabDnsServer } from '../../src/lab/dns-server.js';
import { parseZone } from '../../src/lab/zone-file.js';
import { DnsClient } from '../../src/io/dns-client.js';
import { runChecks } from '../../src/index.js';
import type { RunChecksOptions } from '../../src/index.js';
import type { Report, ReportedFinding } from '../../src/core/report.js';

export interface ZoneLab {
  server: LabDnsServer;
  resolver: DnsClient;
  /** Run the given families (all when omitted) against a domain. */
  check(domain: string, only?: string[], options?: RunChecksOptions): Promise<Report>;
  close(): Promise<void>;
}

export async function zoneLab(zone: string, opts: Omit<LabDnsOptions, 'records'> = {}, clientTimeoutMs = 1000): Promise<ZoneLab> {
  const server = await startLabDns({ ...opts, records: parseZone(zone) });
  const resolver = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: clientTimeoutMs, retries: 0 });
  return {
    server,
    resolver,
    async check(domain, only, options = {}) {
      const [report] = await runChecks([domain], { resolver, only, authPort: server.port, ...options });
      return report!;
    },
    async close() {
      resolver.close();
      await server.close();
    },
  };
}

export function ids(report: Report): string[] {
  return report.findings.map((f) => f.id);
}

export function find(report: Report, id: string): ReportedFinding | undefined {
  return report.findings.find((f) => f.id === id);
}

/** A minimal SOA so the server knows its zone apex (NXDOMAIN vs NODATA). */
export function soa(origin: string): string {
  return `$ORIGIN ${origin}.\n@ 3600 IN SOA ns1.${origin}. hostmaster.${origin}. 2026010101 7200 3600 1209600 300\n`;
}

export interface AuthLabOptions extends Omit<LabDnsOptions, 'records'> {
  /** Zone text whose RRsets replace the primary's on 127.0.0.3. */
  secondary?: string;
  /** Misbehaviour of 127.0.0.3 only (`misbehave` applies to the resolver). */
  secondaryMisbehave?: LabDnsOptions['misbehave'];
}

/**
 * A resolver on 127.0.0.1 plus authoritative servers on one shared port, as src/lab/lab.ts
 * runs them: 127.0.0.2 serves `zone`, 127.0.0.3 serves it with the RRsets of `secondary`
 * laid over (a stale secondary), 127.0.0.4 refuses everything (lame).
 */
export async function authLab(zone: string, opts: AuthLabOptions = {}, clientTimeoutMs = 1000): Promise<ZoneLab> {
  const { secondary = '', secondaryMisbehave = {}, ...common } = opts;
  const records = parseZone(zone);
  const over = parseZone(secondary);
  const replaced = new Set(over.map((r) => `${r.name}|${r.type}`));
  const stale = [...records.filter((r) => !replaced.has(`${r.name}|${r.type}`)), ...over];
  for (let attempt = 0; ; attempt++) {
    const servers: LabDnsServer[] = [];
    try {
      const resolverServer = await startLabDns({ ...common, records });
      servers.push(resolverServer);
      const port = resolverServer.port;
      servers.push(await startLabDns({ ...common, records, misbehave: {} }, { host: '127.0.0.2', port }));
      servers.push(await startLabDns({ ...common, records: stale, misbehave: secondaryMisbehave }, { host: '127.0.0.3', port }));
      servers.push(await startLabDns({ records: [], refuseAll: true }, { host: '127.0.0.4', port }));
      const resolver = new DnsClient({ servers: [{ host: '127.0.0.1', port }], timeoutMs: clientTimeoutMs, retries: 0 });
      return {
        server: resolverServer,
        resolver,
        async check(domain, only, options = {}) {
          const [report] = await runChecks([domain], { resolver, only, authPort: port, ...options });
          return report!;
        },
        async close() {
          resolver.close();
          await Promise.all(servers.map((s) => s.close()));
        },
      };
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      if (attempt >= 5) throw err; // the random port was taken on another address: try another
    }
  }
}

/** Run families against a domain of the demo lab (src/lab/zones), e.g. to prove healthy.test is clean. */
export async function checkDemoLab(domain: string, only: string[]): Promise<Report> {
  const { startLab } = await import('../../src/lab/lab.js');
  const lab = await startLab({ noHttps: true, noMail: true });
  try {
    const [report] = await runChecks([domain], { servers: [lab.resolver], authPort: lab.dnsPort, only, dnsTimeoutMs: 300, dnsRetries: 0 });
    return report!;
  } finally {
    await lab.close();
  }
}

/** Findings of the report that are problems (warning, critical, unknown). */
export function problems(report: Report): string[] {
  return report.findings.filter((f) => f.severity === 'warning' || f.severity === 'critical' || f.severity === 'unknown').map((f) => f.id);
}
