// Regenerates the README's dashboard screenshot (docs/dashboard-overview.png): a real
// `mxdoctor serve` on the built-in lab, every lab domain checked once, the overview in
// headless Chromium. Run: node --import tsx scripts/screenshot-dashboard.ts
import { launchBrowser } from '../test/helpers/browser.js';
import { startServeProcess } from '../test/helpers/serve-process.js';

const OUT = new URL('../docs/dashboard-overview.png', import.meta.url).pathname;
const serve = await startServeProcess([]);
try {
  const end = Date.now() + 180_000;
  for (;;) {
    const { targets } = (await (await fetch(`${serve.url}/api/v1/targets`)).json()) as { targets: { lastRun: unknown }[] };
    if (targets.length > 0 && targets.every((t) => t.lastRun)) break;
    if (Date.now() > end) throw new Error('the lab was not checked within 3 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${serve.url}/#/`);
  await page.waitForSelector('tr[data-target]');
  await page.waitForTimeout(1500); // uptime bars
  await page.screenshot({ path: OUT });
  await browser.close();
  console.log(`wrote ${OUT}`);
} finally {
  await serve.stop();
}
