// The dashboard's Logs page on a real `mxdoctor serve` process watching a log file, driven in
// Debian's headless Chromium: lines the test appends to the file show up on the open page
// (the page re-reads /api/v1/logs) as the detectors' finding with its fix, the window's
// totals and the counters; no console errors; screenshots at desktop and phone width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser, watchErrors } from './helpers/browser.js';
import { startServeProcess, type ServeProcess } from './helpers/serve-process.js';

const ARTIFACTS = 'test-artifacts/dashboard';
const skip = browserMissing();
const L = (t: string, prog: string, text: string) => `Dec  8 ${t} mail ${prog}: ${text}\n`;

describe('dashboard Logs page on a real serve watching a file', { skip, timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-dashlogs-'));
  const log = join(dir, 'mail.log');
  let serve: ServeProcess;
  let browser: Browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(log, L('04:00:00', 'postfix/smtpd[1]', 'connect from a.example[192.0.2.1]'));
    writeFileSync(join(dir, 'serve.yaml'), 'store: { path: store.db }\ntargets:\n  - name: maillog\n    log_files: [mail.log]\n    log_start: beginning\n    interval: 1h\n');
    serve = await startServeProcess(['--config', join(dir, 'serve.yaml')]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('appended lines appear on the open page: finding with its fix, totals, counters, file position', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${serve.url}/#/logs`);
    await page.waitForSelector('section[data-logs="maillog"] [data-file]');
    // The counters sit in a closed <details>: attached, not visible.
    await page.waitForSelector('[data-counter="postfix_smtpd_connects_total"]', { state: 'attached' });
    assert.equal((await page.textContent('[data-counter="postfix_smtpd_connects_total"] td'))?.trim(), '1');
    assert.equal(await page.$('[data-finding="logs.fatal"]'), null);

    appendFileSync(log, L('04:01:00', 'postfix/smtpd[2]', 'NOQUEUE: reject: RCPT from b.example[192.0.2.2]: 554 5.7.1 <x@example.org>: Relay access denied; from=<s@b.example> to=<x@example.org> proto=ESMTP helo=<b>')
      + L('04:01:02', 'postfix/master[3]', 'fatal: bind 0.0.0.0 port 25: Address already in use'));
    // No reload: the page re-reads the API every 5 s and serve reads the file every second.
    await page.waitForSelector('[data-finding="logs.fatal"] [data-status="critical"]', { timeout: 30_000 });
    assert.match((await page.textContent('[data-finding="logs.fatal"] .fix')) ?? '', /Fix:\s*\S/);
    assert.equal((await page.textContent('[data-total="rejected"]'))?.trim(), '1');
    assert.equal((await page.textContent('[data-counter="mxdoctor_log_problems_total{level=\\"fatal\\"}"] td'))?.trim(), '1');
    assert.match((await page.textContent('[data-window]')) ?? '', /3 lines/);
    await page.screenshot({ path: `${ARTIFACTS}/logs-live-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const phoneErrors = watchErrors(phone);
    await phone.goto(`${serve.url}/#/logs`);
    await phone.waitForSelector('[data-finding="logs.fatal"]');
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 1, `the Logs page is ${overflow}px wider than a phone`);
    await phone.screenshot({ path: `${ARTIFACTS}/logs-live-phone.png`, fullPage: true });
    assert.deepEqual(phoneErrors, []);
    await phone.close();

    // The target page: the stored run's findings (the scheduled start run or this check now).
    const target = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const targetErrors = watchErrors(target);
    await target.goto(`${serve.url}/#/target/maillog`);
    await target.waitForSelector('[data-logs-link] a[href="#/logs"]');
    await target.click('button:has-text("Check now")');
    await target.waitForSelector('text=Done:', { timeout: 30_000 });
    await target.waitForSelector('[data-family="logs"] [data-finding="logs.fatal"]', { state: 'attached', timeout: 30_000 });
    await target.screenshot({ path: `${ARTIFACTS}/logs-target-desktop.png`, fullPage: true });
    assert.deepEqual(targetErrors, []);
    await target.close();
  });
});
