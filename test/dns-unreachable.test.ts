// A resolver that cannot be reached (offline, a namespace with only loopback, an unroutable
// --resolver) gives `unknown` findings saying so, at once, and never an uncaught error: the
// kernel reports ENETUNREACH to connect(), and a send() on the unconnected socket used to throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { DnsClient } from '../src/io/dns-client.js';
import { runChecks } from '../src/index.js';

/** A real UDP socket whose connect() fails as the kernel's does without a route (nothing is sent). */
function noRoute(type: 'udp4' | 'udp6'): dgram.Socket {
  const socket = dgram.createSocket(type);
  socket.connect = ((_port: number, _host: string, cb: (err?: Error) => void) => {
    const err = Object.assign(new Error('connect ENETUNREACH 192.0.2.53:53'), { code: 'ENETUNREACH' });
    process.nextTick(() => cb(err));
  }) as typeof socket.connect;
  return socket;
}

/** Fails the test on any error that would have killed a library caller. */
function watchUncaught(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const onErr = (e: unknown) => seen.push(e);
  process.on('uncaughtException', onErr);
  process.on('unhandledRejection', onErr);
  return {
    stop() {
      process.off('uncaughtException', onErr);
      process.off('unhandledRejection', onErr);
      return seen;
    },
  };
}

test('a query to a resolver without a route is an error saying so, not a throw or a timeout', async () => {
  const watch = watchUncaught();
  const client = new DnsClient({ servers: [{ host: '192.0.2.53', port: 53 }], timeoutMs: 5000, retries: 1, udpSocket: noRoute });
  try {
    const t0 = performance.now();
    const [a, b] = await Promise.all([client.query('example.test', 'MX'), client.query('example.test', 'TXT')]);
    for (const r of [a, b]) {
      assert.equal(r.status, 'error');
      assert.match(r.error ?? '', /resolver unreachable: no route \(ENETUNREACH\)/);
    }
    // Later queries on the failed endpoint fail the same way, without waiting for the timeout.
    const c = await client.query('other.test', 'A');
    assert.equal(c.status, 'error');
    assert.ok(performance.now() - t0 < 4000, 'failed at once, not after the 5 s timeout');
  } finally {
    client.close();
  }
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(watch.stop(), []);
});

test('runChecks with an unreachable resolver returns unknown reports (exit 3) and never kills its caller', async () => {
  const watch = watchUncaught();
  const resolver = new DnsClient({ servers: [{ host: '2001:db8::53', port: 53 }], timeoutMs: 5000, retries: 1, udpSocket: noRoute });
  try {
    const [report] = await runChecks(['example.test'], { resolver, loopbackOnly: true, checkTimeoutMs: 10_000 });
    assert.ok(report);
    assert.equal(report.status, 'unknown');
    assert.equal(report.exitCode, 3);
    const mx = report.findings.find((f) => f.id === 'mx.lookup-failed');
    assert.ok(mx, 'mx.lookup-failed reported');
    assert.match(JSON.stringify(mx), /resolver unreachable: no route/);
    assert.ok(!report.findings.some((f) => f.id === 'run.check-crashed'), 'no check crashed');
    assert.ok(!report.findings.some((f) => f.severity === 'critical'), 'nothing judged missing');
    assert.ok(!report.findings.some((f) => f.id === 'submission.not-offered'), 'submission not called "not offered" when its hosts could not be looked up');
    assert.ok(report.findings.some((f) => f.id === 'submission.host-lookup-failed'), 'submission says it could not tell');
  } finally {
    resolver.close();
  }
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(watch.stop(), []);
});
