import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { zoneLab, ids, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { startLabHttps } from '../src/lab/https-server.js';
import type { LabHttpsServer, LabSite } from '../src/lab/https-server.js';
import { startLab } from '../src/lab/lab.js';
import type { Lab } from '../src/lab/lab.js';
import { createHttpClient } from '../src/io/http.js';
import type { HttpClient } from '../src/io/http.js';
import { DnsClient } from '../src/io/dns-client.js';
import { runChecks } from '../src/index.js';
import type { Report } from '../src/index.js';

const TXT = '"v=STSv1; id=20260101T000000"';
const policy = (mode: string, maxAge: number, ...mx: string[]) =>
  `version: STSv1\r\nmode: ${mode}\r\n${mx.map((m) => `mx: ${m}\r\n`).join('')}max_age: ${maxAge}\r\n`;

/** A domain with two MX hosts, the TXT record and (unless noHost) mta-sts → 127.0.0.1. */
function domain(label: string, opts: { txt?: string[]; host?: string | null } = {}): string {
  const txt = opts.txt ?? [TXT];
  const lines = [`${label}.mx1 A 127.0.0.30`, `${label}.mx2 A 127.0.0.31`, `${label} MX 10 mx1.${label}.sts.test.`, `${label} MX 20 mx2.${label}.sts.test.`];
  for (const t of txt) lines.push(`_mta-sts.${label} TXT ${t}`);
  if (opts.host !== null) lines.push(`mta-sts.${label} A ${opts.host ?? '127.0.0.1'}`);
  return lines.join('\n');
}

const ZONE = `
${soa('sts.test')}
${domain('good')}
${domain('nope', { txt: [], host: null })}
${domain('orphan', { txt: [] })}
${domain('multi', { txt: [TXT, '"v=STSv1; id=2"'], host: null })}
${domain('badid', { txt: ['"v=STSv1; id=2026-01-01"'], host: null })}
${domain('loose', { txt: ['"v=STSv1 id=123"'], host: null })}
${domain('discard', { txt: [TXT, '"v=STSv1 id=2"'] })}
${domain('nohost', { host: null })}
${domain('dnsfail')}
${domain('txtfail')}
${domain('refused', { host: '127.0.0.5' })}
${domain('wrongname')}
${domain('selfsigned')}
${domain('hang')}
${domain('big')}
${domain('redirect')}
${domain('notfound')}
${domain('html')}
${domain('badpolicy')}
${domain('testing')}
${domain('none')}
${domain('short')}
${domain('week')}
${domain('mxmiss')}
${domain('unused')}
${domain('spare1')}
${domain('mxfail')}
_mta-sts.implicit TXT ${TXT}
mta-sts.implicit A 127.0.0.1
implicit A 127.0.0.32
`;

const both = (l: string) => [`mx1.${l}.sts.test`, `mx2.${l}.sts.test`];
const SITES: Record<string, LabSite> = {
  good: { body: policy('enforce', 1209600, 'mx1.good.sts.test', '*.good.sts.test') },
  orphan: { body: policy('enforce', 1209600, '*.orphan.sts.test') },
  discard: { body: policy('enforce', 1209600, '*.discard.sts.test') },
  wrongname: { body: policy('enforce', 1209600, '*.wrongname.sts.test'), cert: 'wrong-name' },
  selfsigned: { body: policy('enforce', 1209600, '*.selfsigned.sts.test'), cert: 'self-signed' },
  big: { body: policy('enforce', 1209600, '*.big.sts.test') + `x-pad: ${'x'.repeat(70_000)}\n` },
  redirect: { status: 301, location: 'https://www.redirect.sts.test/mta-sts.txt', body: '' },
  notfound: { status: 404, contentType: 'text/html', body: '<h1>Not Found</h1>' },
  html: { contentType: 'text/html; charset=utf-8', body: policy('enforce', 1209600, '*.html.sts.test') },
  badpolicy: { body: 'version: STSv1\nmode: Enforce\nmx: *.badpolicy.sts.test\nmax_age: 99999999\n' },
  testing: { body: policy('testing', 1209600, 'mx1.testing.sts.test') },
  none: { body: policy('none', 60) },
  short: { body: policy('enforce', 3600, ...both('short')) },
  week: { body: policy('enforce', 259200, ...both('week')) },
  mxmiss: { body: policy('enforce', 1209600, 'mx1.mxmiss.sts.test', 'mail.mxmiss.sts.test') },
  unused: { body: policy('enforce', 1209600, '*.unused.sts.test', 'old-mx.example.net') },
  spare1: { body: `version: STSv1\nmode: enforce\n\nmx: *.spare1.sts.test\nmax_age: 1209600\nreport: yes\n` },
  mxfail: { body: policy('enforce', 1209600, '*.mxfail.sts.test') },
  implicit: { body: policy('enforce', 1209600, 'implicit.sts.test') },
};

describe('mta-sts check', () => {
  let lab: ZoneLab;
  let https: LabHttpsServer;
  let http: HttpClient;
  let hang: net.Server;
  let hangHttp: HttpClient;
  const hangSockets = new Set<net.Socket>();
  const check = (label: string, client = http) => lab.check(`${label}.sts.test`, ['mta-sts'], { http: client });

  before(async () => {
    lab = await zoneLab(ZONE, { misbehave: { 'mta-sts.dnsfail.sts.test': 'servfail', '_mta-sts.txtfail.sts.test': 'timeout', 'mxfail.sts.test': 'servfail' } });
    https = await startLabHttps({ sites: Object.fromEntries(Object.entries(SITES).map(([k, v]) => [`mta-sts.${k}.sts.test`, v])) });
    http = createHttpClient({ resolver: lab.resolver, ca: https.ca, portOverride: https.port, timeoutMs: 2000 });
    // Accepts TCP and never speaks: the fetch must time out, not hang the check.
    hang = net.createServer((s) => hangSockets.add(s));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    hangHttp = createHttpClient({ resolver: lab.resolver, ca: https.ca, portOverride: (hang.address() as net.AddressInfo).port, timeoutMs: 300 });
  });
  after(async () => {
    await lab.close();
    await https.close();
    for (const s of hangSockets) s.destroy(); // a paused socket never notices the client left
    await new Promise<void>((r) => hang.close(() => r()));
  });

  test('healthy policy: TXT, policy and every MX covered, nothing else', async () => {
    const r = await check('good');
    assert.deepEqual(ids(r).sort(), ['mta-sts.mx-covered', 'mta-sts.policy-valid', 'mta-sts.txt-valid']);
    assert.equal(r.exitCode, 0);
    const ev = find(r, 'mta-sts.mx-covered')!.evidence as any;
    assert.deepEqual(ev.mx, [{ host: 'mx1.good.sts.test', pattern: 'mx1.good.sts.test' }, { host: 'mx2.good.sts.test', pattern: '*.good.sts.test' }]);
    assert.match(String((find(r, 'mta-sts.policy-valid')!.evidence as any).policy), /mode: enforce/);
    assert.equal((find(r, 'mta-sts.policy-valid')!.evidence as any).url, 'https://mta-sts.good.sts.test/.well-known/mta-sts.txt');
  });

  test('no TXT record: not deployed (info)', async () => {
    const r = await check('nope');
    assert.deepEqual(ids(r), ['mta-sts.not-deployed']);
    assert.equal(r.exitCode, 0);
  });

  test('a policy without the TXT record is inert', async () => {
    assert.deepEqual(ids(await check('orphan')).sort(), ['mta-sts.not-deployed', 'mta-sts.policy-without-txt']);
  });

  test('TXT record problems', async () => {
    assert.ok(ids(await check('multi')).includes('mta-sts.txt-multiple'));
    for (const l of ['badid', 'loose']) {
      const r = await check(l);
      assert.ok(ids(r).includes('mta-sts.txt-invalid'), l);
      assert.ok(!ids(r).includes('mta-sts.txt-valid'), l);
    }
    assert.match(find(await check('badid'), 'mta-sts.txt-invalid')!.detail!, /letters and digits/);
    const d = await check('discard');
    assert.ok(ids(d).includes('mta-sts.txt-valid'));
    assert.match(find(d, 'mta-sts.txt-valid')!.detail!, /discard/);
  });

  test('TXT lookup timeout is unknown, never "not deployed"', async () => {
    const r = await check('txtfail');
    assert.deepEqual(ids(r), ['mta-sts.txt-lookup-failed']);
    assert.equal(r.exitCode, 3);
  });

  test('policy host: missing, lookup failure, refused', async () => {
    assert.deepEqual(ids(await check('nohost')).sort(), ['mta-sts.policy-host-missing', 'mta-sts.txt-valid']);
    assert.deepEqual(ids(await check('dnsfail')).sort(), ['mta-sts.policy-host-lookup-failed', 'mta-sts.txt-valid']);
    const r = await check('refused');
    assert.ok(ids(r).includes('mta-sts.policy-connect-failed'));
    assert.equal(r.exitCode, 2);
  });

  test('invalid certificates: wrong name and self-signed', async () => {
    for (const l of ['wrongname', 'selfsigned']) {
      const r = await check(l);
      assert.ok(ids(r).includes('mta-sts.policy-tls-invalid'), l);
      assert.ok(!ids(r).includes('mta-sts.policy-valid'), l);
    }
  });

  test('the same policy host is fine with the lab CA and rejected without it', async () => {
    const noCa = createHttpClient({ resolver: lab.resolver, portOverride: https.port, timeoutMs: 2000 });
    assert.ok(ids(await check('good', noCa)).includes('mta-sts.policy-tls-invalid'));
  });

  test('a silent server times out (unknown)', async () => {
    const r = await check('hang', hangHttp);
    assert.ok(ids(r).includes('mta-sts.policy-fetch-timeout'));
    assert.equal(r.exitCode, 3);
  });

  test('an oversized body fails the fetch', async () => {
    assert.ok(ids(await check('big')).includes('mta-sts.policy-fetch-failed'));
  });

  test('HTTP status: redirect and 404', async () => {
    const r = await check('redirect');
    assert.ok(ids(r).includes('mta-sts.policy-redirect'));
    assert.match(find(r, 'mta-sts.policy-redirect')!.detail!, /301 to https:\/\/www\.redirect/);
    const n = await check('notfound');
    assert.ok(ids(n).includes('mta-sts.policy-http-status'));
    assert.match(find(n, 'mta-sts.policy-http-status')!.detail!, /404/);
  });

  test('served as text/html', async () => {
    const r = await check('html');
    assert.ok(ids(r).includes('mta-sts.policy-content-type'));
    assert.ok(!ids(r).includes('mta-sts.policy-valid'));
  });

  test('invalid policy syntax', async () => {
    const r = await check('badpolicy');
    assert.ok(ids(r).includes('mta-sts.policy-invalid'));
    const detail = find(r, 'mta-sts.policy-invalid')!.detail!;
    assert.match(detail, /mode "Enforce"/);
    assert.match(detail, /31557600/);
  });

  test('lines senders ignore are noted', async () => {
    const r = await check('spare1');
    assert.ok(ids(r).includes('mta-sts.policy-valid'));
    assert.match(find(r, 'mta-sts.policy-nonstandard')!.detail!, /unknown key "report"/);
  });

  test('testing mode: info, and an uncovered MX is only a warning', async () => {
    const r = await check('testing');
    assert.ok(ids(r).includes('mta-sts.mode-testing'));
    const miss = find(r, 'mta-sts.mx-not-covered')!;
    assert.equal(miss.severity, 'warning');
    assert.equal(miss.subject, 'mx2.testing.sts.test');
  });

  test('mode none: info, no MX judgement', async () => {
    const r = await check('none');
    assert.deepEqual(ids(r).sort(), ['mta-sts.mode-none', 'mta-sts.policy-valid', 'mta-sts.txt-valid']);
  });

  test('max_age: under a day is a warning, under a week is info', async () => {
    const s = await check('short');
    assert.equal(find(s, 'mta-sts.max-age-short')!.severity, 'warning');
    const w = await check('week');
    assert.equal(find(w, 'mta-sts.max-age-under-weeks')!.severity, 'info');
    assert.ok(!ids(w).includes('mta-sts.max-age-short'));
  });

  test('enforce mode: an uncovered MX is critical; unmatched patterns noted', async () => {
    const r = await check('mxmiss');
    const miss = find(r, 'mta-sts.mx-not-covered')!;
    assert.equal(miss.severity, 'critical');
    assert.equal(miss.subject, 'mx2.mxmiss.sts.test');
    assert.deepEqual((miss.evidence as any).mx, [{ host: 'mx1.mxmiss.sts.test', pattern: 'mx1.mxmiss.sts.test' }, { host: 'mx2.mxmiss.sts.test', pattern: null }]);
    assert.equal(find(r, 'mta-sts.mx-pattern-unused')!.subject, 'mail.mxmiss.sts.test');
    assert.ok(!ids(r).includes('mta-sts.mx-covered'));
    assert.equal(r.exitCode, 2);
  });

  test('covered, with a leftover pattern', async () => {
    const r = await check('unused');
    assert.ok(ids(r).includes('mta-sts.mx-covered'));
    assert.equal(find(r, 'mta-sts.mx-pattern-unused')!.subject, 'old-mx.example.net');
  });

  test('implicit MX: the domain itself must match', async () => {
    assert.ok(ids(await check('implicit')).includes('mta-sts.mx-covered'));
  });

  test('MX lookup failure is unknown', async () => {
    assert.ok(ids(await check('mxfail')).includes('mta-sts.mx-lookup-failed'));
  });
});

describe('mta-sts in the demo lab', () => {
  let lab: Lab;
  let resolver: DnsClient;
  const run = async (d: string): Promise<Report> => {
    const [r] = await runChecks([d], { resolver, only: ['mta-sts'], httpsPort: lab.httpsPort, ca: lab.ca, authPort: lab.dnsPort });
    return r!;
  };
  before(async () => {
    lab = await startLab();
    resolver = new DnsClient({ servers: [lab.resolver], timeoutMs: 1500, retries: 0 });
  });
  after(async () => {
    resolver.close();
    await lab.close();
  });

  test('healthy.test is clean', async () => {
    const r = await run('healthy.test');
    assert.deepEqual(ids(r).sort(), ['mta-sts.mx-covered', 'mta-sts.policy-valid', 'mta-sts.txt-valid']);
  });

  test('each demo domain shows its defect', async () => {
    const expected: Record<string, string> = {
      'sts-mxmiss.test': 'mta-sts.mx-not-covered', 'sts-html.test': 'mta-sts.policy-content-type',
      'sts-404.test': 'mta-sts.policy-http-status', 'sts-nohost.test': 'mta-sts.policy-host-missing',
      'sts-badid.test': 'mta-sts.txt-invalid', 'sts-testing.test': 'mta-sts.max-age-short',
      'sts-badcert.test': 'mta-sts.policy-tls-invalid', 'sts-redirect.test': 'mta-sts.policy-redirect',
      'sts-badpolicy.test': 'mta-sts.policy-invalid',
    };
    const demo = lab.data.demo.filter((d) => d.domain.startsWith('sts-')).map((d) => d.domain).sort();
    assert.deepEqual(demo, Object.keys(expected).sort());
    for (const [d, id] of Object.entries(expected)) {
      const found = ids(await run(d));
      assert.ok(found.includes(id), `${d}: ${found.join(', ')}`);
    }
  });
});
