// The dashboard served by a real `mxdoctor serve` process on the built-in lab, driven in
// Debian's headless Chromium: the overview lists the lab's targets with their statuses, a
// target page shows a planted defect's finding and its fix, "check now" stores a new run and
// the page shows it, a POST without the token is refused, no console errors on any page.
// Screenshots of every page at desktop and phone width go to test-artifacts/dashboard/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, watchErrors } from './helpers/browser.js';
import { startServeProcess, type ServeProcess } from './helpers/serve-process.js';

const ARTIFACTS = 'test-artifacts/dashboard';
const TARGETS = ['healthy.test', 'smtp-expired.test', 'spf-plusall.test'];
const skip = browserMissing();

interface TargetEntry { name: string; status: string; lastRun: { id: number } | null }

async function targets(url: string): Promise<TargetEntry[]> {
  const res = await fetch(`${url}/api/v1/targets`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { targets: TargetEntry[] }).targets;
}

async function untilChecked(url: string, deadlineMs: number): Promise<TargetEntry[]> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const list = await targets(url);
    if (list.length === TARGETS.length && list.every((t) => t.lastRun)) return list;
    if (Date.now() > end) throw new Error(`targets not checked in time: ${JSON.stringify(list.map((t) => [t.name, t.status]))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('dashboard on a real mxdoctor serve (lab)', { skip, timeout: 240_000 }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let checked: TargetEntry[];
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    serve = await startServeProcess(TARGETS.flatMap((t) => ['--target', t]));
    browser = await launchBrowser();
    checked = await untilChecked(serve.url, 150_000);
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 } });
    const errors = watchErrors(page);
    await page.goto(`${serve.url}/${path}`);
    return { page, errors };
  }

  test('the overview lists every lab target with the status the API holds, planted defects critical', async () => {
    const { page, errors } = await open('#/');
    for (const t of checked) {
      const row = `tr[data-target="${t.name}"]`;
      await page.waitForSelector(row);
      assert.equal(await page.getAttribute(`${row} [data-status]`, 'data-status'), t.status, t.name);
    }
    const byName = Object.fromEntries(checked.map((t) => [t.name, t.status]));
    assert.equal(byName['smtp-expired.test'], 'critical', 'an expired certificate is critical');
    assert.equal(byName['spf-plusall.test'], 'critical', 'SPF +all is critical');
    assert.notEqual(byName['healthy.test'], 'critical');
    await page.screenshot({ path: `${ARTIFACTS}/overview-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a target page shows the planted defect with its fix', async () => {
    const { page, errors } = await open('#/target/smtp-expired.test');
    await page.waitForSelector('[data-finding^="cert."] [data-status="critical"]');
    const fix = await page.textContent('[data-finding^="cert."] .fix');
    assert.match(fix ?? '', /Fix:\s*\S/);
    await page.screenshot({ path: `${ARTIFACTS}/target-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('check now runs the target again and the page shows the new run', async () => {
    const before = checked.find((t) => t.name === 'healthy.test')!.lastRun!.id;
    const { page, errors } = await open('#/target/healthy.test');
    await page.waitForSelector('button:has-text("Check now")');
    await page.click('button:has-text("Check now")');
    await page.waitForSelector('[data-job-state="done"]', { timeout: 120_000 });
    const link = await page.getAttribute('[data-job-state="done"] a[href^="#/run/"]', 'href');
    const runId = Number(link?.split('/').pop());
    assert.ok(runId > before, `a new run (${runId}) after ${before}`);
    await page.waitForSelector(`table.plain a[href="#/run/${runId}"]`, { timeout: 15_000 });
    await page.click(`table.plain a[href="#/run/${runId}"]`);
    await page.waitForSelector('h1:has-text("Report: healthy.test")');
    await page.screenshot({ path: `${ARTIFACTS}/report-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a target\'s alerts can be silenced and the silence ended from its page', async () => {
    const { page, errors } = await open('#/target/spf-plusall.test');
    await page.waitForSelector('[data-silences="0"]');
    await page.selectOption('select', '4h');
    await page.click('button:has-text("Silence")');
    await page.waitForSelector('[data-silences="1"]');
    const { silences } = (await (await fetch(`${serve.url}/api/v1/silences`)).json()) as { silences: { target: string; active: boolean }[] };
    assert.ok(silences.some((s) => s.target === 'spf-plusall.test' && s.active), 'stored by serve');
    await page.click('button:has-text("End silence")');
    await page.waitForSelector('[data-silences="0"]');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('state-changing requests without the token, or from another site, are refused', async () => {
    const bare = await fetch(`${serve.url}/api/v1/targets/healthy.test/check`, { method: 'POST' });
    assert.equal(bare.status, 401);
    const session = (await (await fetch(`${serve.url}/api/v1/session`)).json()) as { token?: string };
    assert.ok(session.token, 'a loopback session token for the page itself');
    const crossSite = await fetch(`${serve.url}/api/v1/targets/healthy.test/check`, {
      method: 'POST', headers: { Authorization: `Bearer ${session.token}`, Origin: 'http://evil.example' },
    });
    assert.equal(crossSite.status, 403);
    // fetch() will not send a Host of our choosing: node:http does (a DNS-rebinding page's name).
    const u = new URL(serve.url);
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: u.hostname, port: u.port, path: '/api/v1/session', headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(rebound, 403, 'a foreign Host name (DNS rebinding) gets nothing');
  });

  test('every page at desktop and phone width without console errors', async () => {
    for (const width of [1280, 390]) {
      for (const [hash, name, ready] of [
        ['#/', 'overview', 'tr[data-target]'],
        ['#/target/spf-plusall.test', 'target', '[data-finding]'],
        ['#/incidents', 'incidents', 'h1'],
        ['#/logs', 'logs', 'h1'],
      ] as const) {
        const { page, errors } = await open(hash, width);
        await page.waitForSelector(ready);
        await page.waitForTimeout(300);
        if (width < 600) {
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          assert.ok(overflow <= 1, `${name} is ${overflow}px wider than a phone`);
        }
        await page.screenshot({ path: `${ARTIFACTS}/${name}-${width < 600 ? 'phone' : 'desktop'}.png`, fullPage: true });
        assert.deepEqual(errors, [], `${name} at ${width}px`);
        await page.close();
      }
    }
  });
});
