// The stub resolver's wire queries end when their askers give up (QueryOptions.signal): the UDP
// wait and its retries stop, a TCP fallback connection is closed, a query other askers still
// wait for goes on, and a cancelled answer is never served from the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { DnsClient } from '../src/io/dns-client.js';

/** A reply to `q` with no records (NOERROR/NODATA), or with TC set (retry over TCP). */
function reply(q: Buffer, truncated = false): Buffer {
  const r = Buffer.from(q);
  r[2] = 0x80 | (q[2]! & 0x01) | (truncated ? 0x02 : 0);
  r[3] = 0x80;
  return r;
}

async function udpServer(onQuery: (q: Buffer, answer: (b: Buffer) => void) => void) {
  const s = dgram.createSocket('udp4');
  let seen = 0;
  s.on('message', (q, from) => { seen++; onQuery(q, (b) => s.send(b, from.port, from.address)); });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, seen: () => seen, close: () => s.close() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an asker giving up ends the UDP wait at once: no retry, no timer left', async () => {
  const srv = await udpServer(() => undefined);
  const c = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 30_000, retries: 2 });
  try {
    const ctl = new AbortController();
    const t0 = performance.now();
    const p = c.query('cancel.test', 'TXT', { signal: ctl.signal });
    setTimeout(() => ctl.abort(new Error('the test gave up')), 100);
    const r = await p;
    assert.equal(r.status, 'timeout');
    assert.match(r.error ?? '', /cancelled: the test gave up/);
    assert.ok(performance.now() - t0 < 10_000, 'not the 30 s timeout');
    await sleep(300);
    assert.equal(srv.seen(), 1, 'no retry after the cut');
    // Nothing left waiting: no timer of the transport keeps the process alive.
    assert.ok(!process.getActiveResourcesInfo().includes('Timeout'), process.getActiveResourcesInfo().join(','));
    // Asked again, the question goes out again: the cancelled answer is not cached.
    const ctl2 = new AbortController();
    const again = c.query('cancel.test', 'TXT', { signal: ctl2.signal });
    setTimeout(() => ctl2.abort(new Error('again')), 100);
    assert.match((await again).error ?? '', /cancelled: again/);
    assert.equal(srv.seen(), 2, 'queried afresh, not answered from the cache');
  } finally {
    c.close();
    srv.close();
  }
});

test('a query another asker still waits for is not cut', async () => {
  const srv = await udpServer((q, answer) => setTimeout(() => answer(reply(q)), 400));
  const c = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 10_000, retries: 0 });
  try {
    const ctl = new AbortController();
    const first = c.query('shared.test', 'MX', { signal: ctl.signal });
    const second = c.query('shared.test', 'MX');
    ctl.abort(new Error('first gave up'));
    assert.equal((await second).status, 'nodata');
    assert.equal((await first).status, 'nodata', 'the shared promise is the wire answer');
    assert.equal(srv.seen(), 1);
  } finally {
    c.close();
    srv.close();
  }
});

test('the TCP fallback connection is closed when the asker gives up', async () => {
  let closed!: () => void;
  const sawClose = new Promise<void>((r) => { closed = r; });
  let accepted = 0;
  // resume(): the server reads (and ignores) the query, so it sees the client's close.
  const tcp = net.createServer((sock) => { accepted++; sock.resume(); sock.on('close', closed); sock.on('error', () => undefined); });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  const port = (tcp.address() as net.AddressInfo).port;
  // The UDP server on the same port answers "truncated": the client retries over TCP, which never answers.
  const udp = dgram.createSocket('udp4');
  udp.on('message', (q, from) => udp.send(reply(q, true), from.port, from.address));
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', () => r()));
  const c = new DnsClient({ servers: [{ host: '127.0.0.1', port }], timeoutMs: 30_000, retries: 0 });
  try {
    const ctl = new AbortController();
    const p = c.query('big.test', 'TXT', { signal: ctl.signal });
    for (let i = 0; i < 100 && !accepted; i++) await sleep(50);
    assert.equal(accepted, 1, 'the client connected over TCP');
    ctl.abort(new Error('deadline'));
    const r = await p;
    assert.match(r.error ?? '', /cancelled: deadline/);
    await sawClose;
  } finally {
    c.close();
    udp.close();
    tcp.close();
  }
});
