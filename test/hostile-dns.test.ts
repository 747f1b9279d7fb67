// Hostile DNS: a CNAME loop at the apex, a truncated answer whose TCP retry is reset, a
// response with a compression-pointer loop, an answer with the wrong id. Each is "could not
// tell" (unknown, exit 3) within a bound, never "no MX" / "no SPF", never a hang or a crash.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { DnsClient } from '../src/io/dns-client.js';
import { runChecks } from '../src/index.js';
import { renderText } from '../src/report/text.js';
import { operationReport } from '../src/core/report.js';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';

describe('a CNAME loop is a broken lookup, not a missing record', () => {
  let lab: ZoneLab;
  before(async () => {
    lab = await zoneLab(`${soa('loop.test')}@ CNAME a.loop.test.\na CNAME b.loop.test.\nb CNAME a.loop.test.\n`);
  });
  after(() => lab.close());

  test('apex → a → b → a: the DnsClient names the loop (status error)', async () => {
    const r = await lab.resolver.query('loop.test', 'MX');
    assert.equal(r.status, 'error');
    assert.match(r.error!, /CNAME loop: loop\.test → a\.loop\.test → b\.loop\.test → a\.loop\.test/);
  });

  test('mx and spf: unknown lookup failures naming the loop; never mx.none or spf.missing; exit 3', async () => {
    const t0 = performance.now();
    const r = await lab.check('loop.test', ['mx', 'spf'], { probeServers: false });
    assert.equal(find(r, 'mx.lookup-failed')?.severity, 'unknown', ids(r).join(' '));
    assert.match(find(r, 'mx.lookup-failed')!.detail!, /CNAME loop/);
    assert.ok(find(r, 'spf.lookup-failed'), ids(r).join(' '));
    for (const id of ['mx.none', 'mx.domain-missing', 'spf.missing']) assert.ok(!ids(r).includes(id), `${id} for a loop`);
    assert.equal(r.exitCode, 3);
    assert.ok(performance.now() - t0 < 15_000);
  });
});

/** A DNS server on one port (UDP and TCP) that misbehaves by question name. */
async function hostileDns(): Promise<{ port: number; close(): Promise<void> }> {
  const udp = dgram.createSocket('udp4');
  const tcp = net.createServer((s) => { s.on('error', () => undefined); s.once('data', () => s.resetAndDestroy()); });
  udp.on('message', (msg, rinfo) => {
    const id = msg.readUInt16BE(0);
    // The question: name labels from offset 12 to the zero byte, then type and class.
    let end = 12;
    const labels: string[] = [];
    while (msg[end]! > 0) { labels.push(msg.subarray(end + 1, end + 1 + msg[end]!).toString()); end += msg[end]! + 1; }
    const question = msg.subarray(12, end + 5);
    const name = labels.join('.');
    const header = (flags: number, an: number, qid = id) => {
      const h = Buffer.alloc(12);
      h.writeUInt16BE(qid, 0); h.writeUInt16BE(flags, 2); h.writeUInt16BE(1, 4); h.writeUInt16BE(an, 6);
      return h;
    };
    let reply: Buffer | undefined;
    if (name.startsWith('tc.')) reply = Buffer.concat([header(0x8380, 0), question]); // QR RD RA TC
    else if (name.startsWith('loop.')) {
      // One answer whose owner name is a pointer to itself: a decoder that follows it never ends.
      const at = 12 + question.length;
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc000 | at, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(60, 6); rr.writeUInt16BE(0, 10);
      reply = Buffer.concat([header(0x8180, 1), question, rr]);
    } else if (name.startsWith('wrongid.')) reply = Buffer.concat([header(0x8180, 0, (id + 1) & 0xffff), question]);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  const port = udp.address().port;
  await new Promise<void>((r, j) => { tcp.once('error', j); tcp.listen(port, '127.0.0.1', r); });
  return { port, close: async () => { udp.close(); await new Promise((r) => tcp.close(r)); } };
}

describe('hostile DNS servers: TC with a TCP reset, a compression loop, a wrong id', () => {
  let srv: Awaited<ReturnType<typeof hostileDns>>;
  let client: DnsClient;
  before(async () => {
    srv = await hostileDns();
    client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 500, retries: 0 });
  });
  after(async () => { client.close(); await srv.close(); });

  for (const [name, want] of [['tc.hostile.test', /timeout|error/], ['loop.hostile.test', /error/], ['wrongid.hostile.test', /timeout/]] as const) {
    test(`${name}: ${want.source}, within a bound`, async () => {
      const t0 = performance.now();
      const r = await client.query(name, 'MX');
      assert.match(r.status, want);
      assert.ok(performance.now() - t0 < 5000);
    });
  }

  test('a domain audit over such a resolver is unknown (exit 3), not "no MX" / "no SPF"', async () => {
    for (const domain of ['tc.hostile.test', 'loop.hostile.test', 'wrongid.hostile.test']) {
      const t0 = performance.now();
      const [r] = await runChecks([domain], { resolver: client, only: ['mx', 'spf'], probeServers: false });
      assert.ok(ids(r!).includes('mx.lookup-failed'), `${domain}: ${ids(r!).join(' ')}`);
      assert.ok(!ids(r!).includes('mx.none') && !ids(r!).includes('spf.missing'), `${domain}: ${ids(r!).join(' ')}`);
      assert.equal(r!.exitCode, 3);
      assert.ok(performance.now() - t0 < 15_000);
    }
  });
});

describe('a zone with 1,000 MX records and hosts with many addresses: the fan-out is capped', () => {
  let lab: ZoneLab;
  before(async () => {
    const mx = Array.from({ length: 1000 }, (_, i) => `@ MX ${i} mx${i}.many.test.\nmx${i} A 192.0.2.${i % 250}\n`).join('');
    const wide = Array.from({ length: 12 }, (_, i) => `mx A 198.51.100.${i + 1}\n`).join('');
    const long = `@ TXT "v=spf1 ${Array.from({ length: 120 }, (_, i) => `ip4:203.0.113.${i}`).join(' ')} -all"\n`;
    lab = await zoneLab(`${soa('many.test')}${mx}${soa('wide.test')}@ MX 10 mx.wide.test.\n${wide}${long}`);
  });
  after(() => lab.close());

  test('1,000 MX hosts: 10 examined, mx.fanout-capped (warning); queries, findings and text output stay small', async () => {
    const t0 = performance.now();
    const r = await lab.check('many.test', undefined, { probeServers: false });
    const capped = find(r, 'mx.fanout-capped');
    assert.equal(capped?.severity, 'warning', ids(r).join(' '));
    assert.match(capped!.detail!, /10 of 1000 MX hosts/);
    assert.ok((r.dnsQueries ?? 0) < 400, `${r.dnsQueries} DNS queries`);
    assert.ok(r.findings.length < 100, `${r.findings.length} findings`);
    const text = renderText([r], { color: false });
    assert.ok(text.length < 60_000, `${text.length} characters of text`);
    assert.ok(performance.now() - t0 < 30_000);
  });

  test('a host with 12 addresses: 4 examined (info); a 2 KB TXT record is shortened in text, whole in JSON', async () => {
    const r = await lab.check('wide.test', ['mx', 'spf', 'ptr'], { probeServers: false });
    assert.equal(find(r, 'mx.fanout-capped')?.severity, 'info', ids(r).join(' '));
    const ptrSubjects = new Set(r.findings.filter((f) => f.id.startsWith('ptr.')).map((f) => f.subject));
    assert.ok(ptrSubjects.size <= 4, `${ptrSubjects.size} addresses looked up for PTR`);
  });

  test('long records and details are shortened in the text report, whole in JSON and with -v', () => {
    const record = `v=spf1 ${'ip4:203.0.113.1 '.repeat(300)}-all`;
    const r = operationReport({ target: 'x.test', kind: 'send', startedAt: new Date(), durationMs: 1, parts: [{ check: 'spf', area: 'SPF', findings: [
      { id: 'spf.too-long', severity: 'warning', title: record, detail: `${record}\n${'line\n'.repeat(100)}` },
    ] }] });
    const text = renderText([r], { color: false });
    assert.ok(!text.includes(record));
    assert.match(text, /more characters; --json or -v shows all/);
    assert.match(text, /more lines; --json or -v shows all/);
    assert.ok(text.length < 5000, `${text.length}`);
    assert.ok(renderText([r], { color: false, verbose: true }).includes(record));
    assert.ok(JSON.stringify(r).includes(record));
  });
});
