// The lab DNS server's fast path answers byte for byte like its dns-packet path, and
// leaves every query it cannot answer exactly (misbehaving names, odd messages) to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { answer } from '../src/lab/dns-server.js';
import type { LabDnsOptions } from '../src/lab/dns-server.js';
import { buildIndex, inZones, zoneOf } from '../src/lab/dns-index.js';
import { parseFast } from '../src/lab/dns-fast.js';
import { loadLabData } from '../src/lab/lab.js';
import { parseZone } from '../src/lab/zone-file.js';
import { encodeQuery } from '../src/io/dns-wire.js';
import type { RRType } from '../src/io/resolver.js';
import { soa } from './helpers/lab.js';

const ZONE = `${soa('f.test')}
a        A 127.0.0.1
a        AAAA ::1
Mixed    A 127.0.0.9
alias    CNAME a.f.test.
loop1    CNAME loop2.f.test.
loop2    CNAME loop1.f.test.
*.wild   TXT "wildcard"
big      TXT ${Array.from({ length: 40 }, (_, i) => `"record-${i}-${'x'.repeat(40)}"`).join(' ')}
long     TXT "${'y'.repeat(600)}"
@        MX 10 a.f.test.
nomx     MX 0 .
old      SPF "v=spf1 -all"
_25._tcp.a TLSA 3 1 1 ${'ab'.repeat(32)}
srv      SRV 0 5 587 a.f.test.
sec      A 127.0.0.2
x.bogus  A 127.0.0.3
deep.ent.f.test. A 127.0.0.4
`;

const TYPES: RRType[] = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA', 'PTR', 'SRV', 'TLSA', 'DS', 'SPF', 'CAA'];
const NAMES = ['f.test', 'a.f.test', 'A.F.Test', 'mixed.f.test', 'alias.f.test', 'loop1.f.test', 'x.wild.f.test', 'big.f.test', 'long.f.test',
  'nomx.f.test', 'old.f.test', '_25._tcp.a.f.test', 'srv.f.test', 'sec.f.test', 'x.bogus.f.test', 'ent.f.test', 'missing.f.test', 'other.test', 'slow.f.test'];

function compare(opts: LabDnsOptions, names: string[], types: RRType[]): number {
  const idx = buildIndex(opts.records, opts.secureZones, opts.bogusZones);
  let fastAnswered = 0;
  for (const name of names) {
    for (const type of types) {
      for (const [dnssecOk, cd] of [[false, false], [true, false], [true, true]] as const) {
        const msg = encodeQuery(0x1234, name, type, { rd: true, cd, dnssecOk }) as Buffer;
        for (const udp of [true, false]) {
          const fast = answer(msg, opts, idx, udp);
          const slow = answer(msg, opts, idx, udp, false);
          assert.deepEqual(fast, slow, `${name} ${type} DO=${dnssecOk} CD=${cd} udp=${udp}`);
          if (parseFast(msg)) fastAnswered++;
        }
      }
    }
  }
  return fastAnswered;
}

test('fast and dns-packet paths send the same bytes: answers, CNAMEs, wildcards, NXDOMAIN/NODATA, AD, truncation, SPF', () => {
  const opts: LabDnsOptions = {
    records: parseZone(ZONE), secureZones: ['sec.f.test'], bogusZones: ['bogus.f.test'], misbehave: { 'slow.f.test': 'servfail' },
  };
  const n = compare(opts, NAMES, TYPES);
  assert.equal(n, NAMES.length * TYPES.length * 6, 'the fast path parsed every query');
});

test('the same over the whole lab data (every zone file), and for a refusing server', () => {
  const data = loadLabData();
  const owners = [...new Set(data.records.map((r) => r.name))].slice(0, 400);
  compare({ records: data.records, secureZones: data.secureZones, bogusZones: data.bogusZones, misbehave: data.misbehave }, owners, ['A', 'MX', 'TXT', 'TLSA', 'NS']);
  compare({ records: [], refuseAll: true }, ['a.f.test'], ['A']);
});

test('queries the fast path leaves to dns-packet: no OPT, EDNS options, two questions, odd bytes, a response', () => {
  const records = parseZone(ZONE);
  const idx = buildIndex(records);
  const q = (p: Partial<dnsPacket.Packet>) => dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'a.f.test', class: 'IN' }], ...p });
  const cases: [string, Buffer, boolean][] = [
    ['no OPT', q({}), true],
    ['OPT with an option', q({ additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: 0, options: [{ code: 10, data: Buffer.alloc(8) }] } as any] }), false],
    ['two questions', q({ questions: [{ type: 'A', name: 'a.f.test', class: 'IN' }, { type: 'MX', name: 'f.test', class: 'IN' }] }), false],
    ['a space in a label', q({ questions: [{ type: 'A', name: 'a b.f.test', class: 'IN' }] }), false],
    ['class CH', q({ questions: [{ type: 'A', name: 'a.f.test', class: 'CH' }] }), false],
    ['unknown type', q({ questions: [{ type: 'HINFO', name: 'a.f.test', class: 'IN' }] }), false],
    ['trailing garbage', Buffer.concat([q({}), Buffer.from([1, 2, 3])]), false],
  ];
  for (const [what, msg, fast] of cases) {
    assert.equal(!!parseFast(msg), fast, what);
    assert.deepEqual(answer(msg, { records }, idx, true), answer(msg, { records }, idx, true, false), what);
  }
  assert.equal(parseFast(Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0x61])), undefined, 'a cut-short question');
  assert.equal(answer(Buffer.from([0, 1, 2]), { records }, idx, true), undefined, 'garbage gets no answer');
});

test('zone membership without a label walk agrees with the walk', () => {
  const zones = new Set(['bogus.f.test', 'f.test', '']);
  for (const name of ['bogus.f.test', 'x.bogus.f.test', 'xbogus.f.test', 'f.test', 'af.test', 'test', 'other.example', '']) {
    assert.equal(inZones(name, zones), !!zoneOf(name, zones), name);
  }
  assert.equal(inZones('xbogus.f.test', new Set(['bogus.f.test'])), false);
});
