// Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
// (no browser download). Flags keep it off the network: this machine reaches only loopback.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.MXDOCTOR_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined. In CI a missing browser is a failure. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} not found: install Debian's chromium (bash test/lab/install-browser.sh)`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** Collects console errors, page errors and failed requests of a page, to assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/api/')) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  return errors;
}
