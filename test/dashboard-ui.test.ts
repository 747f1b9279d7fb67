// The dashboard's front end in a real headless Chromium against a canned API (the shapes of
// docs/api.md): statuses with words and icons, filter and search, the token form when the
// server needs one, "check now" progress, keyboard reachability, phone width, dark mode, no
// console errors. The same pages against a real `mxdoctor serve` are in dashboard-serve.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser, watchErrors } from './helpers/browser.js';
import { startFixtureApi, type FixtureApi } from './helpers/dashboard-fixture-api.js';

const ARTIFACTS = 'test-artifacts/dashboard';
const skip = browserMissing();

describe('dashboard front end (Chromium, canned API)', { skip }, () => {
  let browser: Browser;
  let api: FixtureApi;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
    api = await startFixtureApi();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  test('overview: every target with a status word, the worst finding, filters and search', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${api.url}/#/`);
    await page.waitForSelector('tr[data-target="expired.test"]');
    const status = await page.textContent('tr[data-target="expired.test"] [data-status]');
    assert.match(status ?? '', /Critical/);
    assert.match(await page.textContent('tr[data-target="expired.test"]') ?? '', /Certificate of mx1\.expired\.test expired/);
    assert.match(await page.textContent('tr[data-target="healthy.test"] [data-status]') ?? '', /OK/);
    await page.click('button:has-text("Critical")');
    assert.equal(await page.locator('tr[data-target]').count(), 1);
    await page.click('button:has-text("All")');
    await page.fill('input[type="search"]', 'healthy');
    assert.deepEqual(await page.locator('tr[data-target]').evaluateAll((rows) => rows.map((r) => (r as { getAttribute(n: string): string | null }).getAttribute('data-target'))), ['healthy.test']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('target page: the finding with its fix; check now shows progress and ends done', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${api.url}/#/target/expired.test`);
    await page.waitForSelector('[data-finding="cert.expired"]');
    assert.match(await page.textContent('[data-finding="cert.expired"] .fix') ?? '', /Renew the certificate/);
    await page.click('button:has-text("Check now")');
    await page.waitForSelector('[data-job-state="done"]', { timeout: 10_000 });
    assert.ok(api.posts.includes('/api/v1/targets/expired.test/check'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('keyboard: the first Tab reaches the skip link, then the navigation', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/#/`);
    await page.waitForSelector('tr[data-target]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Overview');
    await page.close();
  });

  test('phone width in dark mode: no horizontal scrolling, statuses still carry words', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${api.url}/#/`);
    await page.waitForSelector('tr[data-target="expired.test"]');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone screen`);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, 'rgb(13, 17, 23)', 'dark colour scheme applied');
    await page.screenshot({ path: `${ARTIFACTS}/ui-overview-phone-dark.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('a server that needs a token: the page asks for it and then loads', async () => {
    const guarded = await startFixtureApi({ tokenRequired: true, token: 's3cret-token' });
    try {
      const page = await browser.newPage();
      await page.goto(`${guarded.url}/#/`);
      await page.waitForSelector('input[type="password"]');
      await page.fill('input[type="password"]', 's3cret-token');
      await page.click('button:has-text("Use token")');
      await page.waitForSelector('tr[data-target="expired.test"]');
      await page.close();
    } finally {
      await guarded.close();
    }
  });

  test('logs: files with what is still to read, a missing file, findings problems first, totals, counters; log text stays text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${api.url}/#/logs`);
    await page.waitForSelector('section[data-logs="maillog"]');
    assert.match(await page.textContent('tr[data-file="/var/log/mail.log"]') ?? '', /3\.0 MiB.*2\.0 KiB/);
    assert.match(await page.textContent('tr[data-file="/var/log/mail.err"] [data-status]') ?? '', /not there yet/);
    const ids = await page.$$eval('section[data-logs="maillog"] [data-finding]', (els) => els.map((e) => e.getAttribute('data-finding')));
    assert.deepEqual(ids, ['logwatch.file-missing', 'logs.auth-brute-force'], 'unknown before warning, as the CLI orders them');
    assert.equal(await page.textContent('[data-total="rejected"]'), '55');
    assert.equal(await page.textContent('[data-counter="postfix_smtpd_messages_rejected_total{code=\\"554\\"}"] td'), '55');
    assert.equal(await page.$('section[data-logs] img'), null, 'a log line\'s markup is shown as text, never rendered');
    await page.screenshot({ path: `${ARTIFACTS}/logs-canned-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
