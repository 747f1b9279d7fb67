#!/usr/bin/env node
// Entry point. In a source checkout (src/ beside bin/) run the TypeScript through tsx;
// an installed package ships dist/ instead.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

// `logs` and `capacity` stream gigabytes of short-lived line strings: a 4 MB young
// generation (V8's default is 16 MB here) keeps their peak memory near half (docs/logs.md,
// "Speed and memory"). V8 fixes heap sizes at start-up, so this re-runs Node with the flag
// once; MXDOCTOR_NO_REEXEC=1 (or any --max-semi-space-size of your own) skips it.
const SEMI = '--max-semi-space-size=4';
const cmd = process.argv[2];
if ((cmd === 'logs' || cmd === 'capacity') && !process.env.MXDOCTOR_NO_REEXEC
  && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  // Signals sent to this process go to the child (`logs --follow` prints its summary on
  // SIGINT); the child ignores a second SIGINT, so Ctrl-C reaching both is harmless.
  const child = spawn(process.execPath, [SEMI, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => { console.error(`mxdoctor: ${e.message}`); process.exit(3); });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
} else {
  await main();
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const src = join(root, 'src', 'cli', 'main.ts');
  if (existsSync(src)) {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(src).href);
  } else {
    await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
  }
}
