// The OpenSPF RFC 7208 suite's zones as a Resolver, read the way its drivers read them
// (pyspf test/testspf.py, see test/fixtures/spf/README.md): a name not listed is NXDOMAIN,
// a listed name without the asked type is NODATA; TIMEOUT times out every type that has
// no record before it; SPF entries are served as TXT unless the name has TXT entries of
// its own (TXT: NONE only stops the copy); CNAMEs are followed, a loop is SERVFAIL.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { DnsRecord, DnsResponse, QueryOptions, RRType, Resolver } from '../../src/io/resolver.js';

export interface SuiteTest {
  scenario: string;
  name: string;
  description?: string;
  spec: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
}

type Entry = Record<string, unknown> | string;
export interface Scenario { description: string; tests: SuiteTest[]; zone: Map<string, Entry[]> }

const key = (n: string) => n.replace(/\.$/, '').toLowerCase();

export function loadSuite(path: string): Scenario[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    const d = doc.toJS() as { description: string; tests: Record<string, Omit<SuiteTest, 'name' | 'scenario'>>; zonedata?: Record<string, Entry[]> };
    const zone = new Map(Object.entries(d.zonedata ?? {}).map(([n, e]) => [key(n), e ?? []] as const));
    const tests = Object.entries(d.tests).map(([name, t]) => ({ ...t, name, scenario: d.description, mailfrom: t.mailfrom ?? '' }));
    return { description: d.description, tests, zone };
  });
}

/** The strings of one TXT/SPF entry: a string, or a list of character-strings. */
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

export class SuiteResolver implements Resolver {
  queries = 0;
  constructor(private readonly zone: Map<string, Entry[]>) {}

  async query(name: string, type: RRType, _o?: QueryOptions): Promise<DnsResponse> {
    this.queries++;
    const cnames: string[] = [];
    let owner = key(name);
    for (let hop = 0; ; hop++) {
      const entries = this.zone.get(owner);
      if (!entries) return this.reply(name, type, cnames.length ? 'nxdomain' : 'nxdomain', [], cnames);
      const cname = entries.find((e): e is Record<string, unknown> => typeof e === 'object' && 'CNAME' in e);
      if (cname && type !== 'CNAME') {
        if (hop > 8 || cnames.includes(key(String(cname.CNAME)))) return this.reply(name, type, 'servfail', [], cnames);
        owner = key(String(cname.CNAME));
        cnames.push(owner);
        continue;
      }
      const got = this.records(owner, entries, type);
      if (got === 'timeout') return this.reply(name, type, 'timeout', [], cnames);
      return this.reply(name, type, got.length ? 'answer' : 'nodata', got, cnames);
    }
  }

  private records(owner: string, entries: Entry[], type: RRType): DnsRecord[] | 'timeout' {
    const hasTxt = entries.some((e) => typeof e === 'object' && 'TXT' in e);
    const wanted = type === 'TXT' && !hasTxt ? 'SPF' : type;
    const out: DnsRecord[] = [];
    for (const e of entries) {
      if (e === 'TIMEOUT') {
        if (!out.length) return 'timeout';
        continue;
      }
      if (typeof e !== 'object') continue;
      const [t, v] = Object.entries(e)[0]!;
      if (t !== wanted || v === 'NONE') continue;
      const rec = (data: unknown): DnsRecord => ({ name: owner, type, ttl: 300, data });
      if (t === 'SPF' || t === 'TXT') out.push(rec(strings(v)));
      else if (t === 'MX') { const [preference, exchange] = v as [number, string]; out.push(rec({ preference, exchange: key(exchange) })); }
      else out.push(rec(t === 'PTR' ? key(String(v)) : String(v)));
    }
    return out;
  }

  private reply(name: string, type: RRType, status: DnsResponse['status'], records: DnsRecord[], cnames: string[]): DnsResponse {
    const rcode = { answer: 'NOERROR', nodata: 'NOERROR', nxdomain: 'NXDOMAIN', servfail: 'SERVFAIL' }[status as string] ?? '';
    return { name, type, status, records, cnames, authority: [], ad: false, aa: false, rcode, server: 'suite', elapsedMs: 0 };
  }
}
