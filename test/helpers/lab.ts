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

export async function zoneLab(zone: string, opts: Omit<LabDnsOptions, 'records'> = {}, clientTimeoutMs = 300): Promise<ZoneLab> {
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
