// The queue chart of a `local: true` target on a real `mxdoctor serve` process, in Debian's
// headless Chromium. The machine's mail tools are scripted: `postconf`, `postqueue` and
// `doveconf` earlier in serve's PATH than any installed ones, with a queue that grows by two
// deferred messages at every run, so the stored series and the chart come from real runs
// through the whole path (config → schedule → services/local.ts → store → API → page).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser, watchErrors } from './helpers/browser.js';
import { startServeProcess, type ServeProcess } from './helpers/serve-process.js';

const ARTIFACTS = 'test-artifacts/dashboard';
const skip = browserMissing();

/** A fake Postfix host in `dir`: bin/ with the scripts, spool/ as its queue directory. */
function fakeMailHost(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'spool'));
  mkdirSync(join(dir, 'postfix'));
  const script = (name: string, body: string) => { writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`); chmodSync(join(bin, name), 0o755); };
  // postconf -c <dir> -x …: the one instance the config names (no running master of this machine).
  script('postconf', `printf 'queue_directory = ${dir}/spool\\nsmtpd_tls_cert_file =\\nsmtpd_tls_eccert_file =\\nsmtpd_tls_dcert_file =\\nsmtpd_tls_chain_files =\\nmaillog_file =\\nmulti_instance_directories =\\n'`);
  script('doveconf', `case "$*" in *mail_location*) echo "maildir:${dir}/vmail/%d/%n" ;; *) echo "" ;; esac`);
  // Run n lists 2n deferred messages and one active one (postqueue -j: one JSON object a line).
  const now = Math.floor(Date.now() / 1000) - 600;
  script('postqueue', [
    `f=${dir}/calls; n=$(cat "$f" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$f"`,
    `echo '{"queue_name": "active", "queue_id": "A1", "arrival_time": ${now}, "message_size": 300, "sender": "a@example.test", "recipients": [{"address": "b@example.test"}]}'`,
    'i=0; while [ $i -lt $((n * 2)) ]; do',
    `  echo "{\\"queue_name\\": \\"deferred\\", \\"queue_id\\": \\"D$i\\", \\"arrival_time\\": ${now}, \\"message_size\\": 900, \\"sender\\": \\"a@example.test\\", \\"recipients\\": [{\\"address\\": \\"c@slow.example.test\\", \\"delay_reason\\": \\"connect to mx.slow.example.test[192.0.2.9]:25: Connection timed out\\"}]}"`,
    '  i=$((i + 1)); done',
  ].join('\n'));
  return bin;
}

interface Series { t: number[]; avg: number[]; min: number[]; max: number[]; count: number[] }

describe('dashboard: the queue chart of a local target on a real serve', { skip, timeout: 180_000 }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let dir: string;
  const series = async (metric: string): Promise<Series> => (await (await fetch(`${serve.url}/api/v1/targets/mail/series?metric=${metric}&since=1h&step=minute`)).json()) as Series;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'mxdoctor-local-'));
    const bin = fakeMailHost(dir);
    writeFileSync(join(dir, 'serve.yaml'), [
      'store: { path: state.db }',
      'schedule: { interval: 1s, jitter: 0s, timeout: 30s }',
      'modules:',
      '  mailhost:',
      // postfix_config names the instance: without it serve would also list the queues of any
      // Postfix running on this machine (the real-server suite's).
      '    local: { postfix_config: [postfix], mail_store: [vmail], queue_warn: 5, queue_crit: 50 }',
      'targets:',
      '  - local: true',
      '    name: mail',
      '    module: mailhost',
      '',
    ].join('\n'));
    serve = await startServeProcess(['--config', join(dir, 'serve.yaml')], 60_000, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    browser = await launchBrowser();
    // Three runs at least: the queue grew from 3 to 7 messages or more.
    for (const end = Date.now() + 90_000; ;) {
      const s = await series('queue_size');
      if (s.count.reduce((a, b) => a + b, 0) >= 3) break;
      if (Date.now() > end) throw new Error(`fewer than 3 runs stored: ${JSON.stringify(s)}\n${serve.stderr()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  test('the queue sizes of real runs are stored as series', async () => {
    // Runs go on every second: read the three series until no run landed between the reads.
    let total: Series, deferred: Series, active: Series;
    for (let i = 0; ; i++) {
      [total, deferred, active] = [await series('queue_size'), await series('queue_deferred'), await series('queue_active')];
      if (JSON.stringify(total.count) === JSON.stringify(deferred.count) && JSON.stringify(total.count) === JSON.stringify(active.count)) break;
      assert.ok(i < 20, 'the series never matched up');
    }
    assert.ok(Math.min(...total.min) >= 3, `the first run saw 3 messages: ${JSON.stringify(total)}`);
    assert.ok(Math.max(...total.max) >= 7, 'the third run saw at least 7');
    assert.deepEqual(deferred.max.map((m, i) => m + active.max[i]!), total.max, 'per-queue series add up to the total');
    assert.deepEqual([...new Set(active.avg)], [1]);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    assert.match(metrics, /postfix_showq_queue_depth\{target="mail",queue="deferred"\} \d+/);
  });

  test('the target page draws the queue chart with a line per queue, without console errors', async () => {
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 } });
      const errors = watchErrors(page);
      await page.goto(`${serve.url}/#/target/mail`);
      const chart = '[data-chart="Queue size"]';
      await page.waitForSelector(`${chart} canvas`);
      assert.equal(await page.$(`${chart}.empty`), null, 'the chart has data');
      // The per-queue lines arrive after the total: wait for their legend entries.
      await page.waitForSelector(`${chart} .u-legend th:has-text("deferred")`);
      const legend = await page.$$eval(`${chart} .u-legend th`, (ths) => ths.map((th) => th.textContent?.trim()));
      for (const label of ['all queues', 'deferred', 'active', 'hold', 'incoming']) assert.ok(legend.includes(label), `${label} in ${legend.join(', ')}`);
      assert.equal(await page.$('[data-chart="Delivery time (round trip)"]'), null, 'no delivery chart without round-trip data');
      await page.waitForSelector('[data-family="queue"]');
      await page.screenshot({ path: `${ARTIFACTS}/target-local-${width < 600 ? 'phone' : 'desktop'}.png`, fullPage: true });
      assert.deepEqual(errors, [], `at ${width}px`);
      await page.close();
    }
  });
});
