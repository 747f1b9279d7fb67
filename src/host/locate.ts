// Where a mail tool lives: $PATH first, then the sbin directories a non-root user's PATH
// often lacks (Debian puts postqueue, postconf and exim4 in /usr/sbin).
import type { HostFs } from '../io/host-fs.js';

const EXTRA = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/bin'];

export type Locator = (name: string) => string | undefined;

export function locator(fs: HostFs, path = process.env.PATH ?? ''): Locator {
  const dirs = [...new Set([...path.split(':').filter((d) => d.startsWith('/')), ...EXTRA])];
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    const found = dirs.map((d) => `${d}/${name}`).find((p) => fs.isExecutable(p));
    cache.set(name, found);
    return found;
  };
}
