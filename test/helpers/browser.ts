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

export interface PageProblems {
  console: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** Requests to anything but file: and data: URLs (a self-contained page makes none). */
  requests: string[];
}

/**
 * A new page that records everything that would make a self-contained document fail (the HTML
 * report): console errors and warnings, page errors, dialogs, failed and outgoing requests.
 */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage();
  const problems: PageProblems = { console: [], pageErrors: [], failedRequests: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('requestfailed', (r) => problems.failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.requests.push(r.url()); });
  page.on('dialog', (d) => { problems.pageErrors.push(`dialog opened: ${d.message()}`); void d.dismiss(); });
  return { page, problems };
}
