// Which service a server finding is about (port 25 MX, submission, IMAP/POP3), read from
// the endpoints the run probed, and whether mail apps could discover any server (RFC 6186).
import type { CheckContext } from '../core/check.js';
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import { isIndeterminate } from '../io/resolver.js';
import { endpointLabel, getEndpoints } from '../checks/server/endpoints.js';
import type { Role } from '../checks/server/endpoints.js';
import { DOCTOR_FINDINGS as F } from './findings.js';

export interface EndpointRoles {
  /** The role of the endpoint a finding subject names, if it names one. */
  roleOf(subject: string | undefined): Role | undefined;
  /** doctor.srv-missing when no SRV record exists and the fallback found nothing. */
  srvMissing(findingIds: Set<string>): Finding | undefined;
}

/** The endpoints are memoised per target: this reads what the server checks used. */
export async function endpointRoles(ctx: CheckContext, domain: string): Promise<EndpointRoles> {
  const { endpoints, srv } = await getEndpoints(ctx, domain);
  const roles = new Map<string, Role>();
  for (const e of endpoints) roles.set(endpointLabel(e), e.role);
  const answers = Object.entries(srv);
  const noneAtAll = answers.length > 0 && answers.every(([, r]) => r && !isIndeterminate(r) && !r.records.length);
  return {
    roleOf: (subject) => (subject ? roles.get(subject) : undefined),
    srvMissing(ids) {
      const notFound = ['submission.not-offered', 'imap.not-on-mx', 'pop3.not-on-mx'].filter((id) => ids.has(id));
      if (!noneAtAll || !notFound.length) return undefined;
      return finding(F.srvMissing, {
        subject: domain,
        detail: `No SRV record at ${answers.map(([s]) => `_${s}._tcp.${domain}`).join(', ')}; the MX hosts gave: ${notFound.join(', ')}.`,
        evidence: { srv: Object.fromEntries(answers.map(([s, r]) => [s, r?.status])) },
      });
    },
  };
}
