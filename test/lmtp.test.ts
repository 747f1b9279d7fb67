// LMTP (RFC 2033) greeting and LHLO against scripted loopback servers.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { scriptedServer } from './helpers/scripted-smtp.js';
import type { Script, ScriptedServer } from './helpers/scripted-smtp.js';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import { lmtpHostCheck } from '../src/checks/server/lmtp.js';
import { runTarget } from '../src/core/runner.js';
import { contextFactory } from '../src/context.js';
import type { Resolver } from '../src/io/resolver.js';
import type { Report } from '../src/core/report.js';

const noDns: Resolver = { query: async () => { throw new Error('this test must not use DNS'); } };
const servers: ScriptedServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function check(script: Script | number, host = '127.0.0.1', resolver: Resolver = noDns): Promise<Report> {
  let port = script as number;
  if (typeof script !== 'number') {
    const s = await scriptedServer(script);
    servers.push(s);
    port = s.port;
  }
  return runTarget({ kind: 'host', host, port }, { checks: [lmtpHostCheck], context: contextFactory(resolver, { stepTimeoutMs: 1000 }), checkTimeoutMs: 10_000 });
}

/** Dovecot's LMTP: 220, then LHLO → 250 with extensions; SMTP servers answer LHLO with 500. */
const lmtp = (o: { greeting?: string; lhlo?: string } = {}): Script => async (c) => {
  c.send(o.greeting ?? '220 mail.example.test Dovecot (Debian) ready.');
  for (;;) {
    const line = await c.readLine();
    if (line === null) return;
    if (/^LHLO /i.test(line)) c.send(o.lhlo ?? '250-mail.example.test\r\n250-8BITMIME\r\n250-CHUNKING\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250 STARTTLS');
    else if (/^QUIT/i.test(line)) { c.send('221 2.0.0 OK'); c.close(); return; }
    else c.send('500 5.5.1 Unknown command');
  }
};

describe('lmtp check', () => {
  test('healthy: greeting and LHLO extensions', async () => {
    const r = await check(lmtp());
    assert.deepEqual(ids(r), ['lmtp.summary', 'lmtp.greeting-ok', 'lmtp.lhlo-ok']);
    assert.match(find(r, 'lmtp.lhlo-ok')!.detail!, /CHUNKING/);
    assert.match(find(r, 'lmtp.summary')!.title, /^LMTP \d+ ok \(STARTTLS offered\)$/);
  });

  test('an SMTP server on the port: LHLO rejected', async () => {
    const r = await check(lmtp({ lhlo: '500 5.5.2 Error: command not recognized' }));
    assert.ok(ids(r).includes('lmtp.lhlo-rejected'));
    assert.equal(r.exitCode, 2);
  });

  test('421 greeting, silence, garbage, closed port, unknown host', async () => {
    assert.ok(ids(await check(lmtp({ greeting: '421 4.3.2 Shutting down' }))).includes('lmtp.greeting-rejected'));
    assert.ok(ids(await check(async (c) => { await c.readLine(); })).includes('lmtp.no-greeting'));
    assert.ok(ids(await check(async (c) => { c.sendRaw('\x16\x03\x01 not smtp\r\n'); await c.readLine(); })).includes('lmtp.protocol-error'));
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    assert.match(find(await check(port), 'lmtp.connect-failed')!.detail!, /^refused/);
    const lab = await zoneLab(`${soa('lmtp.test')}\nmail A 127.0.0.1\n`);
    try {
      assert.ok(ids(await check(24, 'gone.lmtp.test', lab.resolver)).includes('lmtp.host-not-found'));
    } finally {
      await lab.close();
    }
  });
});
