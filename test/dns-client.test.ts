// The stub resolver keeps every outcome apart and never hangs or throws.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLabDns } from '../src/lab/dns-server.js';
import type { LabDnsServer } from '../src/lab/dns-server.js';
import { parseZone } from '../src/lab/zone-file.js';
import { DnsClient } from '../src/io/dns-client.js';
import { parseServer } from '../src/io/resolver.js';
import { parseResolvConf } from '../src/io/resolv-conf.js';
import { soa } from './helpers/lab.js';

const ZONE = `${soa('c.test')}
a        A 127.0.0.1
alias    CNAME a.c.test.
big      TXT ${Array.from({ length: 40 }, (_, i) => `"record-${i}-${'x'.repeat(40)}"`).join(' ')}
long     TXT "${'y'.repeat(600)}"
sec.c.test. A 127.0.0.2
nomx     MX 0 .
old      SPF "v=spf1 -all"
`;

describe('DnsClient', () => {
  let server: LabDnsServer;
  let client: DnsClient;
  before(async () => {
    server = await startLabDns({
      records: parseZone(ZONE), secureZones: ['sec.c.test'], bogusZones: ['bogus.c.test'],
      misbehave: { 'slow.c.test': 'timeout', 'fail.c.test': 'servfail', 'no.c.test': 'refused', 'junk.c.test': 'garbage', 'other.c.test': 'mismatch' },
    });
    // Generous: a loaded CI machine must not turn a slow answer into a timeout. The timeout cases cost 1 s each.
    client = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: 1000, retries: 0 });
  });
  after(async () => { client.close(); await server.close(); });

  test('answer, NXDOMAIN and NODATA are told apart', async () => {
    assert.equal((await client.query('a.c.test', 'A')).status, 'answer');
    assert.equal((await client.query('missing.c.test', 'A')).status, 'nxdomain');
    assert.equal((await client.query('a.c.test', 'MX')).status, 'nodata');
  });

  test('CNAME chains are followed and reported', async () => {
    const r = await client.query('alias.c.test', 'A');
    assert.equal(r.status, 'answer');
    assert.deepEqual(r.cnames, ['a.c.test']);
    assert.equal(r.records[0]!.data, '127.0.0.1');
  });

  test('timeout, SERVFAIL, REFUSED, garbage and a mismatched answer are distinct and never hang', async () => {
    assert.equal((await client.query('slow.c.test', 'A')).status, 'timeout');
    assert.equal((await client.query('fail.c.test', 'A')).status, 'servfail');
    assert.equal((await client.query('no.c.test', 'A')).status, 'refused');
    const junk = await client.query('junk.c.test', 'A');
    assert.equal(junk.status, 'error');
    assert.match(junk.error!, /malformed/);
    assert.equal((await client.query('other.c.test', 'A')).status, 'error');
  });

  test('a truncated UDP answer is fetched again over TCP', async () => {
    const r = await client.query('big.c.test', 'TXT');
    assert.equal(r.status, 'answer');
    assert.equal(r.records[0]!.data.length, 40);
  });

  test('TXT strings over 255 bytes arrive split and join back', async () => {
    const r = await client.query('long.c.test', 'TXT');
    assert.deepEqual(r.records[0]!.data.map((s: string) => s.length), [255, 255, 90]);
  });

  test('the AD bit is reported with DO set, and a bogus zone SERVFAILs unless CD is set', async () => {
    assert.equal((await client.query('sec.c.test', 'A', { dnssec: true })).ad, true);
    assert.equal((await client.query('sec.c.test', 'A')).ad, false);
    assert.equal((await client.query('x.bogus.c.test', 'A', { dnssec: true })).status, 'servfail');
    assert.equal((await client.query('x.bogus.c.test', 'A', { dnssec: true, cd: true })).status, 'nxdomain');
  });

  test('null MX and the obsolete SPF type decode', async () => {
    assert.equal((await client.query('nomx.c.test', 'MX')).records[0]!.data.exchange, '');
    assert.deepEqual((await client.query('old.c.test', 'SPF')).records[0]!.data, ['v=spf1 -all']);
  });

  test('a name that cannot be put on the wire is an error, not a throw', async () => {
    const r = await client.query(`${'a'.repeat(70)}.c.test`, 'A');
    assert.equal(r.status, 'error');
    assert.match(r.error!, /limit 63/);
  });

  test('answers are cached and concurrent identical questions share one wire query', async () => {
    const before = client.queriesSent;
    await Promise.all([client.query('a.c.test', 'AAAA'), client.query('a.c.test', 'AAAA')]);
    await client.query('a.c.test', 'AAAA');
    assert.equal(client.queriesSent - before, 1);
  });

  test('a question asked with DO set answers the same question without it (minus AD), not the reverse', async () => {
    const before = client.queriesSent;
    const withDo = await client.query('sec.c.test', 'A', { dnssec: true, cd: true });
    const without = await client.query('sec.c.test', 'A', { cd: true });
    assert.equal(client.queriesSent - before, 1);
    assert.equal(withDo.ad, true);
    assert.equal(without.ad, false);
    assert.deepEqual(without.records, withDo.records);
    await client.query('a.c.test', 'TXT');
    await client.query('a.c.test', 'TXT', { dnssec: true });
    assert.equal(client.queriesSent - before, 3, 'an answer without DO cannot stand for one with DO');
    // An answer that could not tell is no stand-in: the question without DO goes out itself.
    await client.query('y.bogus.c.test', 'A', { dnssec: true });
    await client.query('y.bogus.c.test', 'A');
    assert.equal(client.queriesSent - before, 5);
  });

  test('over the in-flight cap, queries wait their turn and all get answered', async () => {
    const c = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: 1000, retries: 0, maxInflight: 2, cacheBytes: 0 });
    try {
      const names = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 'a.c.test' : `n${i}.c.test`));
      const rs = await Promise.all(names.map((n) => c.query(n, 'A')));
      assert.deepEqual(rs.map((r) => r.status), names.map((n) => (n === 'a.c.test' ? 'answer' : 'nxdomain')));
      assert.equal(c.queriesSent, 30);
    } finally {
      c.close();
    }
  });

  test('timeouts: each attempt waits timeoutMs, retries go out, and no timer is left behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const idle = timers();
    const c = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: 150, retries: 2 });
    try {
      const t0 = performance.now();
      const [slow, fast] = await Promise.all([c.query('slow.c.test', 'A'), c.query('a.c.test', 'A')]);
      const ms = performance.now() - t0;
      assert.equal(slow.status, 'timeout');
      assert.equal(fast.status, 'answer');
      assert.equal(c.queriesSent, 4, 'three attempts for the silent name, one for the other');
      assert.ok(ms >= 3 * 150 - 5 && ms < 3 * 150 + 500, `${Math.round(ms)} ms for three 150 ms attempts`);
      assert.equal(timers(), idle, 'nothing in flight, no timer');
    } finally {
      c.close();
    }
  });

  test('close() ends pending queries as timeouts at once', async () => {
    const c = new DnsClient({ servers: [{ host: server.host, port: server.port }], timeoutMs: 5000, retries: 0 });
    const pending = c.query('slow.c.test', 'A');
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    c.close();
    assert.equal((await pending).status, 'timeout');
    assert.ok(performance.now() - t0 < 1000);
  });

  test('a second server is tried when the first does not answer', async () => {
    const c2 = new DnsClient({ servers: [{ host: '127.0.0.1', port: 9 }, { host: server.host, port: server.port }], timeoutMs: 1000, retries: 0 });
    try {
      assert.equal((await c2.query('a.c.test', 'A')).status, 'answer');
    } finally {
      c2.close();
    }
  });
});

test('server specs and resolv.conf', () => {
  assert.deepEqual(parseServer('127.0.0.1'), { host: '127.0.0.1', port: 53 });
  assert.deepEqual(parseServer('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseServer('[::1]:5353'), { host: '::1', port: 5353 });
  assert.deepEqual(parseServer('::1'), { host: '::1', port: 53 });
  assert.equal(parseServer('127.0.0.1:99999'), undefined);
  assert.deepEqual(parseResolvConf('# x\nnameserver 10.0.0.1\nsearch a\nnameserver fe80::1%eth0\n').map((s) => s.host), ['10.0.0.1', 'fe80::1']);
});
