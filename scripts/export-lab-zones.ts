// Exports the lab's zone data (src/lab/zones/*.zone, read by loadLabData) as real RFC 1035
// master files, one per zone apex, so a real DNS server (test/lab/start-dns.sh) serves
// exactly what the in-process lab serves. Generic: any zone file added to the lab is
// picked up. Writes into <out> (default test/lab/run/zones):
//   primary/<apex>.zone     the primary data
//   secondary/<apex>.zone   the same with *.secondary.zone RRsets laid over (stale server)
//   zones.list              one line per zone: "<apex> <plain|secure|bogus>"
// Usage: node --import tsx scripts/export-lab-zones.ts [--out dir] [--map 127.0.0.2=127.0.1.1,...]
// --map rewrites the A records of name-server hosts (owners of NS targets) so the NS
// addresses point at the real servers instead of the in-process lab's 127.0.0.2/.3/.4.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { loadLabData } from '../src/lab/lab.js';
import type { ZoneRecord } from '../src/lab/zone-file.js';

const args = process.argv.slice(2);
const opt = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
const outDir = opt('--out') ?? 'test/lab/run/zones';
const addrMap = new Map((opt('--map') ?? '').split(',').filter(Boolean).map((p) => p.split('=') as [string, string]));

const data = loadLabData();
const nsTargets = new Set([...data.records, ...data.secondaryRecords].filter((r) => r.type === 'NS').map((r) => String(r.data).toLowerCase()));
const rewrite = (rs: ZoneRecord[]) => rs.map((r) =>
  r.type === 'A' && nsTargets.has(r.name.toLowerCase()) && addrMap.has(r.data) ? { ...r, data: addrMap.get(r.data) } : r);
const primary = rewrite(data.records);
const secondary = rewrite(overlay(data.records, data.secondaryRecords));

/** Same rule as src/lab/lab.ts: the secondary's RRsets replace the primary's (name+type). */
function overlay(p: ZoneRecord[], s: ZoneRecord[]): ZoneRecord[] {
  const replaced = new Set(s.map((r) => `${r.name}|${r.type}`));
  return [...p.filter((r) => !replaced.has(`${r.name}|${r.type}`)), ...s];
}

const under = (name: string, apex: string) => apex === '' || name === apex || name.endsWith(`.${apex}`);
const parentOf = (name: string) => name.split('.').slice(1).join('.');

/** Zone apexes: every SOA owner, plus a synthetic apex for records no SOA covers. */
function apexes(records: ZoneRecord[]): string[] {
  const set = new Set(records.filter((r) => r.type === 'SOA').map((r) => r.name.toLowerCase()));
  for (const r of records) {
    const name = r.name.toLowerCase();
    if (closest(name, set) !== undefined) continue;
    const labels = name.split('.');
    // in-addr.arpa / ip6.arpa keep two labels; anything else gets its TLD as a zone.
    set.add(labels.slice(labels.at(-1) === 'arpa' ? -2 : -1).join('.'));
  }
  return [...set].sort((a, b) => a.split('.').reverse().join('.').localeCompare(b.split('.').reverse().join('.')));
}

function closest(name: string, set: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const z of set) if (under(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** Group records by zone. DS at a child apex belongs to the parent side (RFC 4034 §5). */
function group(records: ZoneRecord[], zones: string[]): Map<string, ZoneRecord[]> {
  const out = new Map(zones.map((z) => [z, [] as ZoneRecord[]]));
  for (const r of records) {
    const name = r.name.toLowerCase();
    const zone = r.type === 'DS' && zones.includes(name) ? closest(parentOf(name), zones) : closest(name, zones);
    if (zone === undefined) { console.warn(`export-lab-zones: no zone for ${r.name} ${r.type}, skipped`); continue; }
    out.get(zone)!.push(r);
  }
  for (const [zone, rs] of out) {
    // A real server needs an SOA at the apex (RFC 1035 §5.2); the in-process lab does not.
    if (!rs.some((r) => r.type === 'SOA' && r.name.toLowerCase() === zone)) {
      rs.unshift({ name: zone, type: 'SOA', ttl: 3600, data: { mname: 'localhost', rname: `hostmaster.${zone || 'lab.invalid'}`, serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } });
    }
    rs.sort((a, b) => (a.type === 'SOA' ? -1 : b.type === 'SOA' ? 1 : 0));
  }
  return out;
}

const abs = (n: string) => (n === '' ? '.' : `${n}.`);
function charString(s: string): string {
  return `"${[...Buffer.from(s, 'latin1')].map((b) => (b === 0x22 || b === 0x5c ? `\\${String.fromCharCode(b)}` : b < 0x20 || b > 0x7e ? `\\${String(b).padStart(3, '0')}` : String.fromCharCode(b))).join('')}"`;
}

function rdataText(r: ZoneRecord): string {
  const d = r.data;
  switch (r.type) {
    case 'A': case 'AAAA': return String(d);
    case 'NS': case 'CNAME': case 'PTR': return abs(String(d));
    case 'MX': return `${d.preference} ${abs(d.exchange)}`;
    case 'TXT': case 'SPF': {
      // A master file cannot hold a character-string over 255 octets (RFC 1035 §3.3).
      const parts = (d as string[]).flatMap((s) => (s.length > 255 ? (console.warn(`export-lab-zones: ${r.name} ${r.type}: string of ${s.length} chars split at 255`), s.match(/[^]{1,255}/g)!) : [s]));
      return parts.map(charString).join(' ');
    }
    case 'SRV': return `${d.priority} ${d.weight} ${d.port} ${abs(d.target)}`;
    case 'SOA': return `${abs(d.mname)} ${abs(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'CAA': return `${d.flags ?? 0} ${d.tag} ${charString(d.value)}`;
    case 'TLSA': return `${d.usage} ${d.selector} ${d.matchingType} ${Buffer.from(d.certificate).toString('hex')}`;
    case 'DS': return `${d.keyTag} ${d.algorithm} ${d.digestType} ${Buffer.from(d.digest).toString('hex')}`;
    case 'DNSKEY': return `${d.flags} 3 ${d.algorithm} ${Buffer.from(d.key).toString('base64')}`;
    default: {
      // Anything newer: RFC 3597 generic form, encoded by dns-packet itself.
      const wire = (dnsPacket as any).record(r.type).encode(d) as Buffer;
      return `\\# ${wire.length - 2} ${wire.subarray(2).toString('hex') || ''}`.trim();
    }
  }
}

function zoneText(zone: string, rs: ZoneRecord[]): string {
  const lines = [`; ${abs(zone)} exported from src/lab/zones by scripts/export-lab-zones.ts; do not edit`, `$ORIGIN ${abs(zone)}`];
  for (const r of rs) lines.push(`${abs(r.name.toLowerCase())}\t${r.ttl}\tIN\t${r.type}\t${rdataText(r)}`);
  return `${lines.join('\n')}\n`;
}

const zones = apexes([...primary, ...secondary]);
rmSync(outDir, { recursive: true, force: true });
for (const [sub, records] of [['primary', primary], ['secondary', secondary]] as const) {
  mkdirSync(join(outDir, sub), { recursive: true });
  for (const [zone, rs] of group(records, zones)) writeFileSync(join(outDir, sub, `${zone || 'root'}.zone`), zoneText(zone, rs));
}
const flag = (z: string) => (data.bogusZones.includes(z) ? 'bogus' : data.secureZones.includes(z) ? 'secure' : 'plain');
writeFileSync(join(outDir, 'zones.list'), zones.map((z) => `${z || '.'} ${flag(z)}\n`).join(''));
console.log(`export-lab-zones: ${zones.length} zones, ${primary.length} records (secondary ${secondary.length}) -> ${outDir}`);
