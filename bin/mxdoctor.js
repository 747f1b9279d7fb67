#!/usr/bin/env node
// Entry point. In a source checkout (src/ beside bin/) run the TypeScript through tsx;
// an installed package ships dist/ instead.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'cli', 'main.ts');
if (existsSync(src)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(src).href);
} else {
  await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
}
