// The system's resolvers, from /etc/resolv.conf (resolv.conf(5)); 127.0.0.1 when none.
import { readFileSync } from 'node:fs';
import type { ServerAddr } from './resolver.js';

export function parseResolvConf(text: string): ServerAddr[] {
  const out: ServerAddr[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m) out.push({ host: m[1]!.replace(/%.*$/, ''), port: 53 });
  }
  return out;
}

export function systemResolvers(path = '/etc/resolv.conf'): ServerAddr[] {
  try {
    const found = parseResolvConf(readFileSync(path, 'utf8'));
    if (found.length) return found;
  } catch {
    // no resolv.conf: fall through to the resolver(5) default
  }
  return [{ host: '127.0.0.1', port: 53 }];
}
