// What one SPF term costs and finds in the static walk (RFC 7208 §4.6.4, §5): its lookup
// count (one per DNS term; MX hosts' address lookups do not count, §4.6.4), whether it is
// void (NXDOMAIN or an empty answer), and problems such as an a/mx target with no address.
import type { DnsResponse, Resolver } from '../../io/resolver.js';
import { isIndeterminate } from '../../io/resolver.js';
import type { SpfMechanism, SpfModifier } from '../../parsers/spf.js';
import { DNS_TERMS } from '../../parsers/spf.js';
import { expandMacroString } from '../../parsers/spf-macro.js';

export type TreeProblem = {
  kind: 'loop' | 'target-missing' | 'nested-invalid' | 'include-pass-all' | 'mx-too-many' | 'no-address' | 'lookup-failed' | 'ptr' | 'macro';
  /** The domain whose record holds the term. */
  domain: string;
  term: string;
  target?: string;
  via?: 'include' | 'redirect';
  detail: string;
  status?: string;
  server?: string;
  records?: string[];
  marker?: string;
};

export interface TermResult {
  lookups: number;
  void: boolean;
  follow?: { target: string; via: 'include' | 'redirect' };
  problems: TreeProblem[];
}

/** At most this many MX hosts' addresses per mx term; more is a permerror (§4.6.4). */
export const MX_HOST_LIMIT = 10;

const isEmpty = (r: DnsResponse) => r.status === 'nxdomain' || r.status === 'nodata';

export async function resolveTermTargets(resolver: Resolver, domain: string, t: SpfMechanism | SpfModifier): Promise<TermResult> {
  const out: TermResult = { lookups: DNS_TERMS.has(t.name) ? 1 : 0, void: false, problems: [] };
  if (!out.lookups) return out;
  const base = { domain, term: t.text };
  const spec = t.kind === 'modifier' ? t.value : t.domainSpec;
  if (t.name === 'ptr') out.problems.push({ ...base, kind: 'ptr', detail: 'each evaluation needs a reverse lookup and up to 10 address lookups, and the result depends on reverse DNS the domain does not control' });
  if (spec?.parts.some((p) => p.kind === 'macro')) {
    // The target depends on the sender or client address: counted, not followed (§7).
    out.problems.push({ ...base, kind: 'macro', detail: 'expands per message; counted as one lookup, its target cannot be resolved without a client address' });
    return out;
  }
  if (t.name === 'ptr') return out; // depends on the client address
  // Only the escapes %%, %_ and %- (§7.1): the same name for every message.
  const target = (spec ? expandMacroString(spec, {}) : domain).replace(/\.$/, '').toLowerCase();
  const failed = (r: DnsResponse): boolean => {
    if (!isIndeterminate(r)) return false;
    out.problems.push({ ...base, kind: 'lookup-failed', target: r.name, status: r.status, server: r.server, detail: `${r.type} ${r.name}: ${r.status}` });
    return true;
  };
  if (t.name === 'include' || t.name === 'redirect') {
    out.follow = { target, via: t.name };
    return out;
  }
  if (t.name === 'exists') {
    const a = await resolver.query(target, 'A');
    if (!failed(a)) out.void = isEmpty(a);
    return out;
  }
  if (t.name === 'a') {
    const [a, aaaa] = await Promise.all([resolver.query(target, 'A'), resolver.query(target, 'AAAA')]);
    if (failed(a) || failed(aaaa)) return out;
    // Void only when no client of either family could match: counting A and AAAA
    // separately would make "a mx -all" look void for every IPv4-only host (checkdmarc#94).
    if (isEmpty(a) && isEmpty(aaaa)) {
      out.void = true;
      out.problems.push({ ...base, kind: 'no-address', target, detail: `${target} has no A or AAAA record (${a.status})` });
    }
    return out;
  }
  // mx: one counted lookup; the hosts' A/AAAA lookups are limited separately (§4.6.4).
  const mx = await resolver.query(target, 'MX');
  if (failed(mx)) return out;
  if (isEmpty(mx)) {
    out.void = true;
    out.problems.push({ ...base, kind: 'no-address', target, detail: `${target} has no MX records (${mx.status}), so "${t.text}" matches nothing` });
    return out;
  }
  const hosts = [...new Set(mx.records.map((r) => String(r.data?.exchange ?? '').toLowerCase()).filter(Boolean))];
  if (mx.records.length > MX_HOST_LIMIT) {
    out.problems.push({ ...base, kind: 'mx-too-many', target, detail: `${target} has ${mx.records.length} MX records; evaluating "${t.text}" may look up at most ${MX_HOST_LIMIT} (permerror)` });
  }
  const lookups = await Promise.all(hosts.slice(0, MX_HOST_LIMIT).map(async (h) => ({ h, r: await Promise.all([resolver.query(h, 'A'), resolver.query(h, 'AAAA')]) })));
  for (const { h, r: [a, aaaa] } of lookups) {
    if (failed(a) || failed(aaaa)) continue;
    if (isEmpty(a) && isEmpty(aaaa)) out.problems.push({ ...base, kind: 'no-address', target: h, detail: `MX host ${h} (of ${target}) has no A or AAAA record` });
  }
  return out;
}
