// The host lookup of send and roundtrip: "could not tell" (a timeout of either family) throws,
// so it becomes an unknown finding; only a definite "no records" is [].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostResolver } from '../src/roundtrip/resolve-host.js';
import type { DnsResponse, Resolver } from '../src/io/resolver.js';

function stub(outcomes: Record<string, { status: DnsResponse['status']; records?: string[] }>): Resolver {
  return {
    async query(name, type): Promise<DnsResponse> {
      const o = outcomes[type] ?? { status: 'nodata' };
      return {
        name, type, status: o.status, records: (o.records ?? []).map((data) => ({ name, type, data, ttl: 60 })) as never,
        cnames: [], authority: [], ad: false, aa: false, rcode: o.status === 'servfail' ? 'SERVFAIL' : 'NOERROR', server: 'stub', elapsedMs: 0,
      };
    },
  };
}

test('A timing out while AAAA has no record is "could not look up", not "no address"', async () => {
  await assert.rejects(hostResolver(stub({ A: { status: 'timeout' }, AAAA: { status: 'nodata' } }))('mail.example.test'), /cannot look up mail\.example\.test/);
  await assert.rejects(hostResolver(stub({ A: { status: 'nodata' }, AAAA: { status: 'servfail' } }))('mail.example.test'), /cannot look up/);
});

test('definite answers: addresses, or [] when neither family has one; IP literals are not looked up', async () => {
  assert.deepEqual(await hostResolver(stub({ A: { status: 'answer', records: ['192.0.2.7'] }, AAAA: { status: 'timeout' } }))('mx.example.test'), ['192.0.2.7']);
  assert.deepEqual(await hostResolver(stub({ A: { status: 'nxdomain' }, AAAA: { status: 'nxdomain' } }))('gone.example.test'), []);
  assert.deepEqual(await hostResolver(stub({}))('[2001:db8::1]'), ['2001:db8::1']);
});
