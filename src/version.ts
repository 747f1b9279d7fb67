// The package version, read once from package.json so `--version` and reports agree
// (src/ in a checkout, dist/src/ in an installed package).
import { existsSync, readFileSync } from 'node:fs';

function findPackageJson(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  return '{"version":"0.0.0"}';
}

export const VERSION: string = JSON.parse(findPackageJson()).version;
