// The lab: DNS servers on loopback serving the zone files in ./zones, with the defects
// those files declare, the MTA-STS HTTPS server and mail servers on every demo MX address.
// `mxdoctor demo`, the tests and the benchmarks all use it.
import net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseZone } from './zone-file.js';
import type { ZoneRecord } from './zone-file.js';
import { startLabDns } from './dns-server.js';
import type { LabDnsServer, Misbehaviour } from './dns-server.js';
import type { ServerAddr } from '../io/resolver.js';
import { loadMtaStsSites, startLabHttps } from './https-server.js';
import type { LabHttpsServer } from './https-server.js';
import { WELL_KNOWN_PORTS } from '../core/check.js';
import type { ServicePorts } from '../core/check.js';
import { planMailServers, tlsaForPort } from './mail-plan.js';
import { startMailServers } from './mail-server.js';
import type { LabMailServers } from './mail-server.js';

export const ZONES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'zones');

export interface LabData {
  records: ZoneRecord[];
  /** Records that replace the primary's on the secondary server (stale secondary). */
  secondaryRecords: ZoneRecord[];
  secureZones: string[];
  bogusZones: string[];
  misbehave: Record<string, Misbehaviour>;
  /** Mail server profile per address ("@lab mail ADDRESS PROFILE", src/lab/mail-plan.ts). */
  mail: Record<string, string>;
  demo: { domain: string; description: string }[];
}

export function loadLabData(dir = ZONES_DIR): LabData {
  const data: LabData = { records: [], secondaryRecords: [], secureZones: [], bogusZones: [], misbehave: {}, mail: {}, demo: [] };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.zone')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const records = parseZone(text);
    (file.endsWith('.secondary.zone') ? data.secondaryRecords : data.records).push(...records);
    for (const m of text.matchAll(/^;\s*@(demo|lab)\s+(.+)$/gm)) {
      const [word, ...rest] = m[2]!.trim().split(/\s+/);
      if (m[1] === 'demo') data.demo.push({ domain: word!, description: rest.join(' ') });
      else if (word === 'secure') data.secureZones.push(rest[0]!);
      else if (word === 'bogus') data.bogusZones.push(rest[0]!);
      else if (word === 'misbehave') data.misbehave[rest[0]!] = rest[1] as Misbehaviour;
      else if (word === 'mail') data.mail[rest[0]!] = rest[1]!;
    }
  }
  data.records = withDefaultNs(data.records);
  return data;
}

/** Zones that publish no NS records get the lab's two authoritative servers (see base.zone). */
function withDefaultNs(records: ZoneRecord[]): ZoneRecord[] {
  const hasNs = new Set(records.filter((r) => r.type === 'NS').map((r) => r.name));
  const added = records
    .filter((r) => r.type === 'SOA' && !hasNs.has(r.name))
    .flatMap((soa) => ['ns1.nic.test', 'ns2.nic.test'].map((ns) => ({ name: soa.name, type: 'NS', ttl: soa.ttl, data: ns })));
  return [...records, ...added];
}

export interface Lab {
  /** The lab's recursive resolver (what --resolver points at). */
  resolver: ServerAddr;
  /** The port every lab DNS server listens on (authoritative servers too). */
  dnsPort: number;
  data: LabData;
  servers: LabDnsServer[];
  /** Port of the lab HTTPS server (MTA-STS policies) on 127.0.0.1: pass as the `httpsPort` option. */
  httpsPort: number;
  /** The lab's test CA (PEM): pass as the `ca` option so lab certificates are trusted. */
  ca: string[];
  https?: LabHttpsServer;
  /** Ports of the lab mail servers (the same on every address): pass as the `ports` option. */
  mailPorts: ServicePorts;
  /** The CA of the mail servers' certificates (PEM; the lab CA): add it to the `ca` option. */
  mailCa: string[];
  mail?: LabMailServers;
  close(): Promise<void>;
}

export interface LabOptions {
  /** Added to every DNS answer (benchmarks). */
  delayMs?: number;
  /** Extra records (benchmarks add synthetic domains). */
  extraRecords?: ZoneRecord[];
  /** Only the resolver, no authoritative servers (benchmarks). */
  resolverOnly?: boolean;
  /** Do not start the HTTPS server (MTA-STS policies). */
  noHttps?: boolean;
  /** Do not start the mail servers (benchmarks that run DNS-only checks). */
  noMail?: boolean;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const data = loadLabData();
  // Mail servers first: their SMTP port decides where the TLSA records go (tlsaForPort).
  const mail = opts.noMail ? undefined
    : await startMailServers(planMailServers(data.records, data.demo.map((d) => d.domain), data.mail, await ipv6Loopback()));
  const records = [...data.records, ...(mail ? tlsaForPort(data.records, mail.ports.smtp) : []), ...(opts.extraRecords ?? [])];
  const common = { secureZones: data.secureZones, bogusZones: data.bogusZones, delayMs: opts.delayMs };
  for (let attempt = 0; ; attempt++) {
    const servers: LabDnsServer[] = [];
    try {
      const resolver = await startLabDns({ ...common, records, misbehave: data.misbehave }, { host: '127.0.0.1' });
      servers.push(resolver);
      if (!opts.resolverOnly) {
        // Authoritative servers share the resolver's port so NS addresses work with one --auth-port.
        servers.push(await startLabDns({ ...common, records }, { host: '127.0.0.2', port: resolver.port }));
        servers.push(await startLabDns({ ...common, records: overlay(records, data.secondaryRecords) }, { host: '127.0.0.3', port: resolver.port }));
        servers.push(await startLabDns({ records: [], refuseAll: true }, { host: '127.0.0.4', port: resolver.port }));
      }
      // mta-sts.<domain> names in the zones point at 127.0.0.1, where this server listens.
      const https = opts.noHttps ? undefined : await startLabHttps({ sites: loadMtaStsSites(), host: '127.0.0.1' });
      return {
        resolver: { host: resolver.host, port: resolver.port }, dnsPort: resolver.port, data, servers,
        httpsPort: https?.port ?? 443, ca: https?.ca ?? [], https,
        mailPorts: mail?.ports ?? WELL_KNOWN_PORTS, mailCa: mail ? [mail.ca] : [], mail,
        close: async () => { await Promise.all([...servers.map((s) => s.close()), https?.close(), mail?.close()]); },
      };
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      if (attempt >= 5) {
        await mail?.close();
        throw err; // the random port was taken on another address: try another
      }
    }
  }
}

/** Whether ::1 can be bound here (containers without IPv6 cannot). */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

/** Replace the primary's RRsets with the secondary's where both have the same name and type. */
function overlay(primary: ZoneRecord[], secondary: ZoneRecord[]): ZoneRecord[] {
  const replaced = new Set(secondary.map((r) => `${r.name}|${r.type}`));
  return [...primary.filter((r) => !replaced.has(`${r.name}|${r.type}`)), ...secondary];
}
