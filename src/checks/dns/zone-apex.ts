// The zone a name lives in: the closest enclosing SOA (RFC 1034 §4.3.2, RFC 2308 §3:
// negative answers carry the zone's SOA in the authority section). Shared by the
// DNSSEC, DANE and name-server checks.
import type { CheckContext } from '../../core/check.js';
import type { DnsResponse } from '../../io/resolver.js';
import { isIndeterminate } from '../../io/resolver.js';

export interface ZoneApex {
  /** The apex, lower case without trailing dot; undefined when it could not be found. */
  apex?: string;
  /** The SOA lookup that could not tell, when the walk stopped on one. */
  failure?: DnsResponse;
}

const MAX_LABELS = 16;

export function findZoneApex(ctx: CheckContext, name: string): Promise<ZoneApex> {
  return ctx.memo(`zone-apex:${name}`, async () => {
    let current = name.toLowerCase().replace(/\.$/, '');
    for (let i = 0; i < MAX_LABELS && current; i++) {
      const r = await ctx.resolver.query(current, 'SOA');
      if (isIndeterminate(r)) return { failure: r };
      const soa = r.status === 'answer' ? r.records[0] : r.authority.find((a) => a.type === 'SOA');
      const owner = soa?.name.toLowerCase();
      // Only trust an SOA that encloses the name (a CNAME can lead elsewhere; accept that zone too).
      if (owner && (r.cnames.length || current === owner || current.endsWith(`.${owner}`))) return { apex: owner };
      current = current.includes('.') ? current.slice(current.indexOf('.') + 1) : '';
    }
    return {};
  });
}
