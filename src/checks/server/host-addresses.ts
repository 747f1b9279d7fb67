// Addresses of a host named on the command line (`mxdoctor imap|pop3|lmtp host[:port]`):
// an IP literal as is, else its A and AAAA records. "Does not exist" and "could not look
// it up" stay apart (the second is unknown, never "missing").
import net from 'node:net';
import type { CheckContext } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
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

/** The two findings a failed host lookup can give: "does not exist" and "could not look it up". */
export interface HostLookupDefs {
  hostNotFound: FindingDef;
  hostLookupFailed: FindingDef;
}

/** Definitions of `<family>.host-not-found` (critical) and `<family>.host-lookup-failed` (unknown). */
export function hostLookupDefs(family: string, what = 'The host'): HostLookupDefs {
  return {
    hostNotFound: {
      id: `${family}.host-not-found`, severity: 'critical', title: 'The host name does not resolve',
      meaning: `${what} has no A or AAAA address (NXDOMAIN, or no data for both), so nothing can connect to it.`,
      remediation: 'Check the spelling of the host name and publish its A/AAAA records.',
      refs: ['RFC 5321 §5.1'],
    },
    hostLookupFailed: {
      id: `${family}.host-lookup-failed`, severity: 'unknown', title: 'The host name could not be looked up',
      meaning: `The A/AAAA lookup of ${what.toLowerCase()} timed out or failed (SERVFAIL, REFUSED), so whether it exists is unknown and nothing was tested on it.`,
      remediation: 'Retry; check the resolver (--resolver) and the name servers of the host\'s zone.',
    },
  };
}

/** The finding for a lookup that gave no address: not found (critical) or could not tell (unknown). */
export function hostLookupFinding(defs: HostLookupDefs, failed: Extract<HostAddresses, { ok: false }>, subject: string): Finding {
  return finding(failed.severity === 'unknown' ? defs.hostLookupFailed : defs.hostNotFound, { subject, detail: failed.detail });
}
