// Deterministic synthetic mail domains for the bulk benchmark: each domain is its own
// zone (SOA, NS at a shared DNS provider), with two MX hosts (a shared mail provider's
// or its own with A + PTR), SPF with shared provider includes, DMARC, a DKIM key at a
// common selector, and for a minority MTA-STS, TLS-RPT and BIMI, plus a few planted
// defects, so the audit does the work it does on real domains.
// Every address is in 127.0.0.0/8: nothing the audit might connect to leaves loopback.
import type { ZoneRecord } from '../src/lab/zone-file.js';
import type { LabSite } from '../src/lab/https-server.js';

// Fixed public keys (SubjectPublicKeyInfo, base64) so DKIM checks parse real keys.
const RSA2048 = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvtiwrWsuw3U2j+NeXZyW7rdfaVyo6voeWNbrAFNdGulPb133qqcPpRFW3sklWGoN7X0WvM/W5FZZA7PaYpvAVeYG4pb+6461aChgOXU4MTJYxKhTL4LbMGHJoMXfbeZrM756pk7pbh6WnjrNtYg5mLYBtL6JUgopS9purwidGRYKtuqWUY5vSRws2HaaNI/6fjanEsOpXjfdp8NsuXCynxFqllk/TVs4AW4Oa6cUYTIQlztLBtYQfAdXLibViwZOSfnsg/H7LLkh4uPAb44XF105ZzjY1mngCNAEuwHsjYf2zQiFPmSAm56TV1VncH5bRV4kDLo8zjzI17ZTG6xYEQIDAQAB';
const RSA1024 = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDuxvhqX+0X/YPvPIvnDx7x9HeTheAFvo2TW+lyYLFYQ+I/aaJw0VnJHmKtve8wtXn1VkwTzcTmg4FiZE0SmT15znZyAE/J6+EFfKmMQdNxnsVs3ls3m+XGCu0CTZ+pA0YG7nKsf6ZzM7IIOYSJgA+CrXuFpbNNcKsgd4MctZiXEwIDAQAB';
const ED25519 = 'IJ67kev8uYRViiDUJs8ObA1SUCIEVV6St3DgkD2GY2M=';

const SELECTORS = ['selector1', 'google', 'default', 'k1', 's1', 'mail'];
const WORDS = ['acme', 'blue', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kite', 'lumen', 'maple', 'nova', 'orbit', 'pine'];
const MAIL_PROVIDERS = ['mailprov-a', 'mailprov-b', 'mailprov-c', 'mailprov-d'];
const DNS_PROVIDERS = ['dnsprov-a', 'dnsprov-b', 'dnsprov-c'];

/** A raw record a dig user would fetch for the same domain (name, type). */
export interface RawQuery {
  name: string;
  type: string;
}

export interface SyntheticSet {
  domains: string[];
  records: ZoneRecord[];
  /** MTA-STS policy sites for the lab HTTPS server (mta-sts.<domain>). */
  sites: Record<string, LabSite>;
  /** Per domain, the raw records that hold its mail configuration (for dig). */
  raw: RawQuery[][];
}

/** mulberry32: a tiny seeded PRNG, so the same N gives the same zones on every run (and the fuzzer the same inputs). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rr = (name: string, type: string, data: unknown, ttl = 3600): ZoneRecord => ({ name, type, ttl, data });
const soa = (zone: string, ns: string): ZoneRecord =>
  rr(zone, 'SOA', { mname: ns, rname: `hostmaster.${zone}`, serial: 2026112701, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 });
const ptrName = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

/** Providers shared by many domains: what makes a bulk run's cache matter. */
function sharedInfrastructure(): ZoneRecord[] {
  const out: ZoneRecord[] = [];
  DNS_PROVIDERS.forEach((p) => {
    const z = `${p}.test`;
    out.push(soa(z, `ns1.${z}`), rr(z, 'NS', `ns1.${z}`), rr(z, 'NS', `ns2.${z}`));
    // The lab's authoritative servers: 127.0.0.2 primary, 127.0.0.3 secondary.
    out.push(rr(`ns1.${z}`, 'A', '127.0.0.2'), rr(`ns2.${z}`, 'A', '127.0.0.3'));
  });
  MAIL_PROVIDERS.forEach((p, k) => {
    const z = `${p}.test`;
    out.push(soa(z, `ns1.${DNS_PROVIDERS[0]}.test`), rr(z, 'NS', `ns1.${DNS_PROVIDERS[0]}.test`));
    for (const h of [1, 2]) {
      const ip = `127.10.${k}.${h}`;
      out.push(rr(`mx${h}.${z}`, 'A', ip), rr(ptrName(ip), 'PTR', `mx${h}.${z}`));
    }
    out.push(rr(`_spf.${z}`, 'TXT', [`v=spf1 ip4:127.10.${k}.0/24 ip4:127.11.${k}.0/24 include:_spf2.${z} ~all`]));
    out.push(rr(`_spf2.${z}`, 'TXT', [`v=spf1 ip4:127.12.${k}.0/24 ip6:fd00:${k}::/48 -all`]));
    // Microsoft 365 style: customers' selector1 is a CNAME to a key the provider hosts.
    out.push(rr(`selector1._domainkey.${z}`, 'TXT', [`v=DKIM1; k=rsa; p=${RSA2048}`]));
  });
  out.push(soa('sendwave.test', 'ns1.dnsprov-a.test'), rr('_spf.sendwave.test', 'TXT', ['v=spf1 ip4:127.20.0.0/16 -all']));
  out.push(soa('mktgcloud.test', 'ns1.dnsprov-a.test'), rr('spf.mktgcloud.test', 'TXT', ['v=spf1 include:_spf.sendwave.test ip4:127.21.0.0/16 -all']));
  // A DMARC report collector that authorizes every domain (RFC 7489 §7.1) and one that does not.
  out.push(soa('dmarc-collector.test', 'ns1.dnsprov-b.test'), rr('*._report._dmarc.dmarc-collector.test', 'TXT', ['v=DMARC1']));
  out.push(soa('reportsink.test', 'ns1.dnsprov-b.test'));
  return out;
}

export function syntheticDomains(n: number, seed = 2026): SyntheticSet {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const records = sharedInfrastructure();
  const domains: string[] = [];
  const sites: Record<string, LabSite> = {};
  const raw: RawQuery[][] = [];
  for (let i = 0; i < n; i++) {
    const d = `${WORDS[i % WORDS.length]}-${i.toString(36)}.test`;
    domains.push(d);
    const dnsProv = pick(DNS_PROVIDERS);
    const q: RawQuery[] = [{ name: d, type: 'SOA' }, { name: d, type: 'NS' }, { name: d, type: 'MX' }];
    records.push(soa(d, `ns1.${dnsProv}.test`), rr(d, 'NS', `ns1.${dnsProv}.test`), rr(d, 'NS', `ns2.${dnsProv}.test`));
    if (rand() < 0.7) records.push(rr(d, 'A', `127.2.${(i >> 8) & 255}.${i & 255}`));
    if (rand() < 0.3) records.push(rr(d, 'TXT', [`google-site-verification=bench${i.toString(16).padStart(8, '0')}`]));

    // MX: 45% at a shared mail provider, the rest self-hosted with their own A and PTR.
    const hosted = rand() < 0.45;
    const provider = pick(MAIL_PROVIDERS);
    const mxHosts: string[] = [];
    if (hosted) {
      mxHosts.push(`mx1.${provider}.test`, `mx2.${provider}.test`);
      const k = MAIL_PROVIDERS.indexOf(provider);
      for (const h of [1, 2]) q.push({ name: `mx${h}.${provider}.test`, type: 'A' }, { name: ptrName(`127.10.${k}.${h}`), type: 'PTR' });
    } else {
      for (const h of [1, 2]) {
        const host = `mx${h}.${d}`;
        const ip = `127.${3 + h}.${(i >> 8) & 255}.${i & 255}`;
        mxHosts.push(host);
        q.push({ name: host, type: 'A' }, { name: ptrName(ip), type: 'PTR' });
        if (h === 2 && rand() < 0.03) continue; // defect: MX host without an address
        records.push(rr(host, 'A', ip));
        if (rand() < 0.9) records.push(rr(ptrName(ip), 'PTR', host)); // 10%: no reverse DNS
      }
    }
    mxHosts.forEach((h, k) => records.push(rr(d, 'MX', { preference: 10 * (k + 1), exchange: h })));

    // SPF: one record, provider includes; a few with ?all, two records or none.
    const r = rand();
    const extra = rand() < 0.3 ? ' include:spf.mktgcloud.test' : '';
    const base = hosted ? `v=spf1 include:_spf.${provider}.test${extra}` : `v=spf1 mx a include:_spf.sendwave.test${extra}`;
    if (r < 0.03) { /* no SPF */ } else if (r < 0.07) records.push(rr(d, 'TXT', [`${base} ?all`]));
    else if (r < 0.09) records.push(rr(d, 'TXT', [`${base} -all`]), rr(d, 'TXT', ['v=spf1 -all']));
    else records.push(rr(d, 'TXT', [`${base} ${hosted ? '~all' : '-all'}`]));
    q.push({ name: d, type: 'TXT' });

    // DMARC: 85%; p spread; rua at home, at an authorizing collector, or (5%) unauthorized.
    if (rand() < 0.85) {
      const p = pick(['none', 'quarantine', 'reject', 'reject']);
      const u = rand();
      const rua = u < 0.5 ? `mailto:dmarc@${d}` : u < 0.95 ? 'mailto:rua@dmarc-collector.test' : 'mailto:agg@reportsink.test';
      records.push(rr(`_dmarc.${d}`, 'TXT', [`v=DMARC1; p=${p}; rua=${rua}; adkim=r; aspf=r`]));
    }
    q.push({ name: `_dmarc.${d}`, type: 'TXT' });

    // DKIM at a common selector; the M365-like provider uses a CNAME to its own key.
    const selector = hosted && provider === 'mailprov-a' ? 'selector1' : pick(SELECTORS);
    const keyName = `${selector}._domainkey.${d}`;
    if (selector === 'selector1' && hosted && provider === 'mailprov-a') records.push(rr(keyName, 'CNAME', `selector1._domainkey.${provider}.test`));
    else {
      const k = rand();
      const key = k < 0.85 ? `k=rsa; p=${RSA2048}` : k < 0.95 ? `k=rsa; p=${RSA1024}` : `k=ed25519; p=${ED25519}`;
      records.push(rr(keyName, 'TXT', [`v=DKIM1; ${key}`]));
    }
    q.push({ name: keyName, type: 'TXT' });

    // MTA-STS for 10% (policy served by the bench's HTTPS server), TLS-RPT 15%, BIMI 3%.
    if (rand() < 0.1) {
      records.push(rr(`_mta-sts.${d}`, 'TXT', [`v=STSv1; id=2026${String(i).padStart(8, '0')}`]), rr(`mta-sts.${d}`, 'A', '127.0.0.1'));
      sites[`mta-sts.${d}`] = { body: `version: STSv1\nmode: ${rand() < 0.5 ? 'enforce' : 'testing'}\n${mxHosts.map((h) => `mx: ${h}\n`).join('')}max_age: 604800\n` };
    }
    q.push({ name: `_mta-sts.${d}`, type: 'TXT' });
    if (rand() < 0.15) records.push(rr(`_smtp._tls.${d}`, 'TXT', [`v=TLSRPTv1; rua=mailto:tlsrpt@${d}`]));
    q.push({ name: `_smtp._tls.${d}`, type: 'TXT' });
    if (rand() < 0.03) records.push(rr(`default._bimi.${d}`, 'TXT', [`v=BIMI1; l=https://bimi.${d}/logo.svg`]));
    raw.push(q);
  }
  return { domains, records, sites, raw };
}
