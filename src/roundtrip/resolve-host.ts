// Host name → addresses through our own Resolver (so --resolver holds for the send and
// the IMAP connection alike); the shape the send helper's SubmitDeps.resolve takes.
import { isIP } from 'node:net';
import type { Resolver } from '../io/resolver.js';
import { describeFailure, isIndeterminate } from '../io/resolver.js';

/** Addresses of `host` (A first, then AAAA) for send and roundtrip; throws when a lookup could not be made; [] when there are none. */
export function hostResolver(resolver: Resolver): (host: string) => Promise<string[]> {
  return async (host) => {
    const h = host.replace(/^\[|\]$/g, '');
    if (isIP(h)) return [h];
    if (h.toLowerCase() === 'localhost') return ['127.0.0.1'];
    const [a, aaaa] = await Promise.all([resolver.query(h, 'A'), resolver.query(h, 'AAAA')]);
    const out = [...a.records, ...aaaa.records].map((r) => String(r.data));
    if (out.length) return out;
    // One family timing out while the other has no record is still "could not tell" (unknown),
    // never "no address".
    const failed = [a, aaaa].find(isIndeterminate);
    if (failed) throw new Error(`cannot look up ${h}: ${describeFailure(failed)}`);
    return [];
  };
}
