// Round-trip targets in serve: `roundtrip: bob` names a destination of the file's roundtrip:
// section; a run sends through the hermetic round-trip lab (smtp-server + a scripted IMAP
// store on loopback, the sender's zone on a loopback DNS server), finds the message over IMAP,
// stores the report, and its delivery time becomes the delivery_seconds series the
// dashboard's delivery chart draws; the SMTP and IMAP passwords appear nowhere.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/io/clock.js';
import { startServe } from '../src/monitor/serve.js';
import { dashboardAsset } from '../src/dashboard/assets.js';
import type { ServeHandle } from '../src/monitor/serve.js';
import { soa, zoneLab } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { IMAP_PASSWORD, LAB_CA, PUBLIC_B64, RCPT, roundtripLab, SENDER, SMTP_PASSWORD } from './helpers/roundtrip-lab.js';
import type { RoundtripLab } from './helpers/roundtrip-lab.js';
import { browserMissing, launchBrowser, watchErrors } from './helpers/browser.js';

const ZONE = `${soa('sender.test')}@ TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject"
sel1._domainkey TXT "v=DKIM1; k=rsa; p=" ${(PUBLIC_B64.match(/.{1,200}/g) ?? []).map((s) => `"${s}"`).join(' ')}
`;

describe('serve: round-trip targets', () => {
  let lab: RoundtripLab;
  let dns: ZoneLab;
  let h: ServeHandle;
  before(async () => {
    lab = await roundtripLab({ clock: systemClock });
    dns = await zoneLab(ZONE);
  });
  after(async () => {
    await h?.close();
    await lab?.close();
    await dns?.close();
  });

  test('a scheduled round trip stores its delivery time as a series; no password anywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-serve-rt-'));
    writeFileSync(join(dir, 'ca.pem'), LAB_CA);
    const file = join(dir, 'serve.yaml');
    writeFileSync(file, [
      'listen: { address: "127.0.0.1:0" }',
      'store: { path: state.db }',
      'schedule: { timeout: 1m }',
      'modules:',
      `  rt: { resolver: "127.0.0.1:${dns.server.port}", dns_timeout: 1s }`,
      'targets:',
      '  - roundtrip: bob',
      '    module: rt',
      'roundtrip:',
      '  deadline: 10', '  poll: 100', '  delete: true', '  ca: [ca.pem]',
      '  send:', `    server: localhost:${lab.smtpPort}`, '    tls: starttls', `    from: ${SENDER}`, `    user: ${SENDER}`, '    password_env: MXDOCTOR_SMTP_PASSWORD',
      '  destinations:',
      '    - name: bob', `      to: ${RCPT}`, '      imap:', `        server: localhost:${lab.imap.port}`, '        tls: none', '        password_env: MXDOCTOR_IMAP_PASSWORD',
      '',
    ].join('\n'));
    h = await startServe({
      configFile: file, schedule: false, log: () => {}, assets: dashboardAsset,
      io: { readText: (p) => readFileSync(p, 'utf8'), env: { MXDOCTOR_SMTP_PASSWORD: SMTP_PASSWORD, MXDOCTOR_IMAP_PASSWORD: IMAP_PASSWORD } },
    });
    assert.deepEqual(h.monitor.config.targets.map((t) => [t.name, t.kind]), [['roundtrip:bob', 'roundtrip']]);
    const [r] = await h.runOnce();
    assert.equal(r!.kind, 'roundtrip');
    assert.ok(r!.findings.some((f) => f.id === 'roundtrip.delivered-inbox'), r!.findings.map((f) => `${f.id} ${f.detail ?? ''}`).join('\n'));
    const seconds = (r!.facts!.roundtrip as { deliverySeconds: number }).deliverySeconds;
    assert.equal(typeof seconds, 'number');

    const base = h.http!.url;
    const series = await (await fetch(`${base}/api/v1/targets/${encodeURIComponent('roundtrip:bob')}/series?metric=delivery_seconds&since=1h`)).json() as { avg: number[] };
    assert.deepEqual(series.avg, [seconds], 'the delivery time is a stored series point');
    const texts = await Promise.all(['/api/v1/targets', `/api/v1/targets/${encodeURIComponent('roundtrip:bob')}`, '/metrics'].map(async (p) => (await fetch(`${base}${p}`)).text()));
    for (const t of [...texts, JSON.stringify(r)]) assert.ok(!t.includes(SMTP_PASSWORD) && !t.includes(IMAP_PASSWORD), 'no password');
  });

  test('the target page draws the delivery-time chart from the stored point', { skip: browserMissing() }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${h.http!.url}/#/target/${encodeURIComponent('roundtrip:bob')}`);
      const chart = '[data-chart="Delivery time (round trip)"]';
      await page.waitForSelector(`${chart} canvas`);
      assert.equal(await page.$(`${chart}.empty`), null, 'the chart has data');
      assert.equal(await page.$('[data-chart="Queue size"]'), null, 'no queue chart for a round-trip target');
      await page.waitForSelector('[data-family="roundtrip"]');
      mkdirSync('test-artifacts/dashboard', { recursive: true });
      await page.screenshot({ path: 'test-artifacts/dashboard/target-roundtrip-desktop.png', fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
