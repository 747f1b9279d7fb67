// Files shipped with mxdoctor itself (the dashboard's web/ folder, the browser modules of its
// dependencies), found from this module's own location so that a checkout (src/) and an
// installed package (dist/src/) both work. Reads are bounded like every other file read.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readUpTo } from './files.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The package root: the folder holding package.json above src/io or dist/src/io. */
export function packageRoot(): string {
  for (const rel of ['../..', '../../..']) {
    const dir = join(here, rel);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`mxdoctor: cannot find its package root from ${here}`);
}

/** The folder of an installed dependency (its package.json's folder), or undefined. */
export function dependencyDir(name: string): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // A package whose "exports" hides package.json (htm): walk up from its entry point.
    try {
      let dir = dirname(require.resolve(name));
      while (dir !== dirname(dir)) {
        if (existsSync(join(dir, 'package.json')) && dir.endsWith(`${sep}${name}`)) return dir;
        dir = dirname(dir);
      }
    } catch {
      /* not installed */
    }
    return undefined;
  }
}

/** The file's bytes, or undefined when it does not exist; more than `max` bytes is an error. */
export function readPackageFile(path: string, max: number): Buffer | undefined {
  if (!existsSync(path)) return undefined;
  const { data, truncated } = readUpTo(path, max);
  if (truncated) throw new Error(`${path} is larger than ${max} bytes`);
  return data;
}
