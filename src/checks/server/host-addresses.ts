// Addresses of a host named on the command line (`mxdoctor imap|pop3|lmtp host[:port]`):
// an IP literal as is, else its A and AAAA records. "Does not exist" and "could not look
// it up" stay apart (the second is unknown, never "missing").
import net from 'node:net';
import type { CheckContext } from '../../core/check.js';
import { describeFailure, isIndeterminate } from '../../io/resolver.js';

export type HostAddresses = { ok: true; addresses: string[] } | { ok: false; severity: 'critical' | 'unknown'; detail: string };

export async function hostAddresses(ctx: CheckContext, host: string): Promise<HostAddresses> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return { ok: true, addresses: [bare] };
  const [a, aaaa] = await Promise.all([ctx.resolver.query(bare, 'A'), ctx.resolver.query(bare, 'AAAA')]);
  const addresses = [...a.records, ...aaaa.records].map((r) => String(r.data));
  if (addresses.length) return { ok: true, addresses };
  const failed = [a, aaaa].find(isIndeterminate);
  if (failed) return { ok: false, severity: 'unknown', detail: `Could not look up ${bare}: ${describeFailure(failed)}` };
  return { ok: false, severity: 'critical', detail: `${bare}: A ${describeFailure(a)}; AAAA ${describeFailure(aaaa)}` };
}
