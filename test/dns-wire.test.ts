// The stub resolver's hand-written wire codec matches dns-packet's, refuses names that cannot
// go on the wire, and survives hostile responses; the answer cache stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { decodeResponse, encodeQuery, EDNS_UDP_SIZE, TYPE_CODE } from '../src/io/dns-wire.js';
import type { RRType } from '../src/io/resolver.js';
import { AnswerCache, approxBytes } from '../src/io/dns-cache.js';

const reference = (id: number, name: string, type: RRType, rd: boolean, cd: boolean, dnssecOk: boolean) => dnsPacket.encode({
  type: 'query', id,
  flags: (rd ? dnsPacket.RECURSION_DESIRED : 0) | (cd ? dnsPacket.CHECKING_DISABLED : 0),
  questions: [{ type: type as any, name, class: 'IN' }],
  additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0 } as any],
});

test('queries are byte for byte what dns-packet encodes, for every type and flag', () => {
  const names = ['example.com', 'a.b.c.d.e.example', '_25._tcp.mx1.example.net', 'xn--bcher-kva.example', 'x', '.', 'ünï.example', `${'a'.repeat(63)}.test`];
  for (const name of names) {
    for (const type of Object.keys(TYPE_CODE) as RRType[]) {
      for (const [rd, cd, dnssecOk] of [[true, false, false], [false, true, true], [true, true, false]] as const) {
        const mine = encodeQuery(0xbeef, name, type, { rd, cd, dnssecOk });
        assert.ok(Buffer.isBuffer(mine), `${name} ${type}`);
        assert.deepEqual(mine, reference(0xbeef, name, type, rd, cd, dnssecOk), `${name} ${type} rd=${rd} cd=${cd} do=${dnssecOk}`);
      }
    }
  }
});

test('names that cannot go on the wire are refused with the reason (RFC 1035 §2.3.4)', () => {
  const bits = { rd: true, cd: false, dnssecOk: false };
  assert.equal(encodeQuery(1, `${'a'.repeat(64)}.test`, 'A', bits), 'label of 64 bytes (limit 63)');
  assert.equal(encodeQuery(1, 'a..test', 'A', bits), 'empty label');
  assert.equal(encodeQuery(1, '.test', 'A', bits), 'empty label');
  assert.equal(encodeQuery(1, 'test.', 'A', bits), 'empty label');
  assert.equal(encodeQuery(1, Array.from({ length: 64 }, () => 'abc').join('.'), 'A', bits), 'longer than 253 bytes');
  assert.ok(Buffer.isBuffer(encodeQuery(1, Array.from({ length: 63 }, () => 'abc').join('.'), 'A', bits)), '251 bytes is fine');
});

test('responses decode to the records dns-packet decodes, the additional section skipped', () => {
  const buf = dnsPacket.encode({
    type: 'response', id: 42, flags: dnsPacket.AUTHENTIC_DATA | dnsPacket.RECURSION_DESIRED | 3,
    questions: [{ type: 'MX', name: 'Example.COM', class: 'IN' }],
    answers: [
      { type: 'CNAME', name: 'example.com', ttl: 60, class: 'IN', data: 'alias.example.net' },
      { type: 'MX', name: 'alias.example.net', ttl: 300, class: 'IN', data: { preference: 0, exchange: '.' } },
      { type: 'TXT', name: 'example.com', ttl: 1, class: 'IN', data: ['one', 'two'] },
    ],
    authorities: [{ type: 'SOA', name: 'example.net', ttl: 5, class: 'IN', data: { mname: 'ns.example.net', rname: 'h.example.net', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as any],
  });
  const r = decodeResponse(buf)!;
  assert.equal(r.id, 42);
  assert.equal(r.rcode, 3);
  assert.equal(r.qname, 'Example.COM');
  assert.equal(r.qtype, TYPE_CODE.MX);
  assert.deepEqual(r.answers.map((a) => [a.name, a.type, a.ttl, a.data]), [
    ['example.com', 'CNAME', 60, 'alias.example.net'],
    ['alias.example.net', 'MX', 300, { preference: 0, exchange: '' }],
    ['example.com', 'TXT', 1, ['one', 'two']],
  ]);
  assert.deepEqual(r.authority[0]!.data, { mname: 'ns.example.net', rname: 'h.example.net', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 });
});

test('hostile responses: cut short, a query, pointers forward, absurd counts, no question', () => {
  const ok = dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'a.test', class: 'IN' }], answers: [{ type: 'A', name: 'a.test', ttl: 1, class: 'IN', data: '192.0.2.1' }] });
  for (let cut = 0; cut < ok.length; cut++) assert.equal(decodeResponse(ok.subarray(0, cut)), undefined, `cut at ${cut}`);
  assert.equal(decodeResponse(dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'a.test', class: 'IN' }] })), undefined);
  const loop = Buffer.from(ok);
  loop.writeUInt16BE(0xc000 | 12, 12); // the question name points at itself
  assert.equal(decodeResponse(loop), undefined);
  assert.equal(decodeResponse(Buffer.from([0, 1, 0x81, 0x80, 0xff, 0xff, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef])), undefined);
  const none = decodeResponse(Buffer.from([0, 1, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]))!;
  assert.equal(none.qtype, -1, 'no question matches no question type');
});

test('the answer cache keeps at most its byte budget, recent and re-used entries first', () => {
  const c = new AnswerCache<number>(400);
  for (let i = 0; i < 4; i++) c.set(`k${i}`, i, 100);
  assert.equal(c.get('k0'), 0); // moves to the young generation
  for (let i = 4; i < 7; i++) c.set(`k${i}`, i, 100);
  assert.ok(c.bytes <= 400, `${c.bytes} bytes`);
  assert.equal(c.get('k0'), 0, 'a re-used entry survives');
  assert.equal(c.get('k1'), undefined, 'an old unused one does not');
  const off = new AnswerCache<number>(0);
  off.set('a', 1, 10);
  assert.equal(off.get('a'), undefined);
  assert.equal(off.size, 0);
});

test('an answer that turns out large takes the room of many small ones', () => {
  const c = new AnswerCache<string>(10_000);
  for (let i = 0; i < 10; i++) c.set(`small${i}`, 'x', 100);
  c.set('big', 'dnskey', 100);
  assert.equal(c.size, 11);
  c.resize('big', 6_000); // its answer arrived: a DNSKEY set with signatures
  assert.equal(c.get('big'), 'dnskey');
  assert.ok(c.bytes <= 7_100, `${c.bytes} bytes`);
  // 60 more small answers: an entry bound of 10,000 would keep all 71; 10,000 bytes cannot.
  for (let i = 0; i < 60; i++) c.set(`more${i}`, 'z', 100);
  assert.ok(c.bytes <= 10_000, `${c.bytes} bytes`);
  assert.ok(c.size < 71);
  assert.equal(c.get('small0'), undefined);
  assert.equal(c.get('more59'), 'z');
});

test('approxBytes grows with what an answer holds', () => {
  const a = { name: 'example.com', type: 'A', ttl: 300, data: '192.0.2.1' };
  const one = approxBytes({ records: [a], cnames: [], authority: [] });
  const ten = approxBytes({ records: Array(10).fill(a), cnames: [], authority: [] });
  assert.ok(one > 50 && one < 500, `${one}`);
  assert.ok(ten > 8 * one / 2 && ten < 10 * one, `${ten} vs ${one}`);
  assert.ok(approxBytes({ key: Buffer.alloc(4096) }) > 4096);
});
