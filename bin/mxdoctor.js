#!/usr/bin/env node
// Entry point. An installed package ships dist/ only. In a source checkout, dist/ (built by
// `npm run build`, which `npm ci` runs as `prepare`) is used while its stamp (dist/.built, written
// when a build completes) is newer than everything under src/: compiled code starts faster and uses less memory than TypeScript
// through tsx (docs/performance.md). Otherwise src/ runs through tsx. MXDOCTOR_FROM_SOURCE=1
// forces src/; so do tests (node --test sets NODE_TEST_CONTEXT in their processes).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import v8 from 'node:v8';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// `mxdoctor --version` alone: the version in package.json (src/version.ts reads the same), with no
// source tree walked and no module loaded. Monitoring runs it too; it is the start-up floor (issue 15).
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}
const src = join(root, 'src', 'cli', 'main.ts');
// The bundle (scripts/bundle-cli.mjs) starts faster; tsc's output alone works too.
const bundle = join(root, 'dist', 'cli', 'main.js');
const dist = existsSync(bundle) ? bundle : join(root, 'dist', 'src', 'cli', 'main.js');
/** Written by the last step of `npm run build` (scripts/copy-lab-data.mjs). */
const stamp = join(root, 'dist', '.built');

/** True when some file under dir was modified after `since` (ms); a few ms for src/. */
function changedSince(dir, since) {
  // A directory's own mtime changes when a file in it is added, removed or renamed.
  if (statSync(dir).mtimeMs > since) return true;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() ? changedSince(p, since) : (statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0) > since) return true;
  }
  return false;
}

function useDist() {
  if (!existsSync(src)) return true;
  if (process.env.MXDOCTOR_FROM_SOURCE || process.env.NODE_TEST_CONTEXT || !existsSync(dist) || !existsSync(stamp)) return false;
  return !changedSince(join(root, 'src'), statSync(stamp).mtimeMs);
}

// `logs` and `capacity` read gigabytes of short-lived strings: V8 would grow its young
// generation to 2 × 16 MB for them, which costs memory and buys no speed. Set before anything
// is loaded (src/logs/heap.ts sets it again once tsx's loader thread has started).
if (process.argv[2] === 'logs' || process.argv[2] === 'capacity') {
  try { v8.setFlagsFromString('--semi-space-growth-factor=1'); v8.setFlagsFromString('--heap-growing-percent=10'); } catch { /* frozen flags: memory only */ }
}

if (useDist()) {
  await import(pathToFileURL(dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(src).href);
}
