import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../src/report/html.js';
import { withCompliance } from '../src/compliance/evaluate.js';
import { BASELINE } from '../src/compliance/baseline.js';
import { CJK_DETAIL, HOSTILE, samples } from './helpers/sample-reports.js';
import { browserMissing, launchBrowser, watchedPage } from './helpers/browser.js';

test('html: self-contained page opens in headless Chromium with no console error, no request, no script run', { skip: browserMissing() }, async () => {
  const html = renderHtml(withCompliance(samples(), BASELINE), { now: new Date(0) });
  assert.ok(!/<script|src=["']?https?:|href=["']?https?:|@import|url\(/i.test(html), 'no script or external resource');
  const dir = mkdtempSync(join(tmpdir(), 'mxd-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const browser = await launchBrowser();
  try {
    const { page, problems } = await watchedPage(browser);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    assert.equal(await page.title(), 'mxdoctor report: 3 targets');
    assert.equal(await page.locator('svg').count(), 3, 'two bar charts and the per-target bars');
    const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 3);
    assert.match(rows[1]!, /例子\.example\s+domain\s+CRITICAL\s+3\s+2\s+0\s+2\s+0/);
    await page.locator('details summary').first().click();
    await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { (d as unknown as { open: boolean }).open = true; }));
    const text = await page.locator('body').innerText();
    assert.ok(text.includes(CJK_DETAIL), 'Chinese text shown');
    assert.ok(text.includes(HOSTILE), 'hostile server text shown as text');
    assert.ok(text.indexOf('Summary') < text.indexOf('Compliance: good.example'));
    assert.match(text, /Not an open relay\s+no-open-relay\s+FAIL/);
    // The escaped <script> must not have become an element.
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(problems, { console: [], pageErrors: [], failedRequests: [], requests: [] });
    // The same watch does catch a console error: the test can fail.
    const { page: bad, problems: seen } = await watchedPage(browser);
    writeFileSync(join(dir, 'bad.html'), '<!DOCTYPE html><title>x</title><img src="missing.png">');
    await bad.goto(pathToFileURL(join(dir, 'bad.html')).href, { waitUntil: 'load' });
    assert.ok(seen.failedRequests.length + seen.console.length > 0, JSON.stringify(seen));
  } finally {
    await browser.close();
  }
});
