// Is an answer DNSSEC-secure, and if not, why? Shared by the DNSSEC and DANE checks.
// We do not validate signatures ourselves: we read the AD bit of a validating resolver
// (RFC 4035 §3.2.3, RFC 6840 §5.8) and use DS at the parent as the fact that needs
// no validation to be meaningful: no DS means no chain of trust (RFC 4035 §5.2).
import type { CheckContext } from '../../core/check.js';
import type { DnsResponse, RRType } from '../../io/resolver.js';
import { isIndeterminate } from '../../io/resolver.js';
import { getMxFacts } from './mx-facts.js';
import { findZoneApex } from './zone-apex.js';

/**
 * secure: AD set. bogus: SERVFAIL that goes away with CD (a broken chain, RFC 4035 §5.5).
 * unsigned: no DS at the parent, so no validator can vouch for it.
 * not-validated: DS published, the resolver validates, yet no AD (unsupported algorithm, island).
 * unverifiable: DS published but the resolver does not validate, so we cannot tell.
 * indeterminate: a lookup failed (timeout, SERVFAIL also with CD).
 */
export type SecurityState = 'secure' | 'bogus' | 'unsigned' | 'not-validated' | 'unverifiable' | 'indeterminate';

export interface Security {
  state: SecurityState;
  /** The answer to use: the CD answer when the chain is bogus. */
  response: DnsResponse;
  apex?: string;
  ds?: string[];
  /** The lookup that failed, for indeterminate. */
  failure?: DnsResponse;
}

/** Query with DO set and judge the answer's DNSSEC state. */
export async function querySecure(ctx: CheckContext, name: string, type: RRType, domain: string): Promise<Security> {
  const r = await ctx.resolver.query(name, type, { dnssec: true });
  if (r.ad) return { state: 'secure', response: r };
  if (r.status === 'servfail') {
    // A validating resolver answers SERVFAIL for bogus data; with CD it hands the data over.
    const cd = await ctx.resolver.query(name, type, { dnssec: true, cd: true });
    return isIndeterminate(cd) ? { state: 'indeterminate', response: r, failure: r } : { state: 'bogus', response: cd };
  }
  if (isIndeterminate(r)) return { state: 'indeterminate', response: r, failure: r };
  const { apex, failure } = await findZoneApex(ctx, name);
  if (apex === undefined) return { state: 'indeterminate', response: r, failure };
  const ds = await ctx.resolver.query(apex, 'DS', { dnssec: true });
  if (isIndeterminate(ds)) return { state: 'indeterminate', response: r, apex, failure: ds };
  const dsText = ds.records.map(dsString);
  if (ds.status !== 'answer') return { state: 'unsigned', response: r, apex, ds: [] };
  const validates = await resolverValidates(ctx, domain);
  return { state: validates ? 'not-validated' : 'unverifiable', response: r, apex, ds: dsText };
}

export function dsString(rec: { data: any }): string {
  const d = rec.data ?? {};
  const digest = Buffer.isBuffer(d.digest) ? d.digest.toString('hex') : String(d.digest ?? '');
  return `${d.keyTag} ${d.algorithm} ${d.digestType} ${digest}`;
}

/**
 * Does the resolver validate at all? Yes when it sets AD on anything we asked with DO:
 * the root zone or the domain's TLD (both signed almost everywhere), the domain itself,
 * or an MX host. All are cached, so this costs at most the two probes.
 */
export function resolverValidates(ctx: CheckContext, domain: string): Promise<boolean> {
  return ctx.memo('dnssec:resolver-validates', async () => {
    const tld = domain.split('.').pop() ?? '';
    const facts = await getMxFacts(ctx, domain);
    const probes = ['.', tld, domain].filter(Boolean).map((n) => ctx.resolver.query(n, 'SOA', { dnssec: true }));
    const hosts = facts.hosts.map((h) => ctx.resolver.query(h.host, 'A', { dnssec: true }));
    const answers = await Promise.all([...probes, ...hosts]);
    return answers.some((a) => a.ad);
  });
}
