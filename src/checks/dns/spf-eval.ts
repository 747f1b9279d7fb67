// SPF evaluation: check_host(ip, domain, sender) of RFC 7208 §4-§6 with macro expansion
// (§7), the 10-lookup and 2-void-lookup limits (§4.6.4), and a record of the path walked.
// The spf check calls it when --ip is given; the CLI (`mxdoctor dns --ip`) calls it directly.
import type { Resolver } from '../../io/resolver.js';
import { UsageError } from '../../core/errors.js';
import { parseIp } from '../../parsers/spf-ip.js';
import { literalDomainProblem } from '../../parsers/spf-domain-spec.js';
import { fetchSpf } from './spf-fetch.js';
import { EvalState, LOOKUP_LIMIT, VOID_LIMIT } from './spf-eval-state.js';
import type { SpfEvalStep, SpfResult, HostResult } from './spf-eval-state.js';
import { explain, matchMechanism, targetName } from './spf-eval-mechanisms.js';

export type { SpfResult, SpfEvalStep } from './spf-eval-state.js';

export interface SpfEvalInput {
  /** The SMTP client's address (IPv4, IPv6, or IPv4-mapped IPv6, which counts as IPv4). */
  ip: string;
  /** MAIL FROM address; empty or omitted means postmaster@<domain> (§4.3). */
  sender?: string;
  /** The HELO/EHLO name (the %{h} macro); "unknown" when omitted. */
  helo?: string;
  /** The domain whose policy is evaluated; default: the sender's domain. */
  domain?: string;
  /** The receiving host's name (the %{r} macro, exp text only). */
  receiver?: string;
  /** Unix time in ms for the %{t} macro (exp text only); pass ctx.clock.now(). */
  now?: number;
}

export interface SpfEvalResult {
  result: SpfResult;
  /** The domain evaluated and the inputs as normalised. */
  domain: string;
  ip: string;
  sender: string;
  /** The term that decided the result, e.g. "ip4:192.0.2.0/24" (absent for none, default neutral, errors). */
  mechanism?: string;
  /** The domain whose record holds that term. */
  matchedIn?: string;
  /** From the top record to the deciding term: each include/redirect taken, then the term. */
  chain: { domain: string; term: string }[];
  /** Every record entered and term evaluated, in order, with its depth in the include/redirect tree. */
  path: SpfEvalStep[];
  /** DNS-querying terms evaluated (limit 10) and void lookups among them (limit 2), §4.6.4. */
  lookups: number;
  voidLookups: number;
  /** Why this result, in one sentence. */
  reason: string;
  /** The exp= explanation for a fail, expanded (§6.2), when the domain publishes one. */
  explanation?: string;
}

/**
 * Evaluate the SPF policy of `domain` (or the sender's domain) for a client address,
 * as a receiving MTA would (RFC 7208 check_host()). DNS errors give temperror, never
 * an exception; a malformed `ip` or `sender` throws UsageError (caller misuse).
 */
export async function evaluateSpf(resolver: Resolver, input: SpfEvalInput): Promise<SpfEvalResult> {
  const ip = parseIp(input.ip);
  if (!ip) throw new UsageError(`"${input.ip}" is not an IPv4 or IPv6 address`);
  let sender = (input.sender ?? '').trim();
  const domain = (input.domain ?? sender.slice(sender.lastIndexOf('@') + 1)).trim().replace(/\.$/, '').toLowerCase();
  if (!domain) throw new UsageError('give the domain to evaluate or a sender address with a domain');
  // §4.3: a sender without a local-part gets "postmaster".
  if (!sender) sender = `postmaster@${domain}`;
  else if (!sender.includes('@')) sender = `postmaster@${sender}`;
  else if (sender.startsWith('@')) sender = `postmaster${sender}`;
  const state = new EvalState(resolver, ip, sender, input.helo, input.receiver, input.now);
  const r = await checkHost(state, domain, 0, true);
  const out: SpfEvalResult = {
    result: r.result, domain, ip: input.ip.trim(), sender, chain: r.chain, path: state.path,
    lookups: state.lookups, voidLookups: state.voids, reason: r.reason,
  };
  const last = r.chain[r.chain.length - 1];
  if (last && r.matched) { out.mechanism = last.term; out.matchedIn = last.domain; }
  if (r.explanation !== undefined) out.explanation = r.explanation;
  return out;
}

const QUALIFIER_RESULT = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' } as const;

/** check_host() for one domain (§4); `top` is false inside include (§6.2: no exp there). */
async function checkHost(st: EvalState, domain: string, depth: number, top: boolean): Promise<HostResult> {
  const bad = literalDomainProblem(domain);
  if (bad) return { result: 'none', chain: [], reason: `"${domain}" is not a valid domain (${bad.message}), §4.3` };
  const f = await fetchSpf(st.resolver, domain);
  if (f.status === 'error') {
    st.step({ depth, domain, outcome: 'error', detail: `TXT lookup ${f.response.status}` });
    return { result: 'temperror', chain: [], reason: `the TXT lookup for ${domain} failed (${f.response.status} from ${f.response.server}), §4.4` };
  }
  if (f.status === 'none') {
    st.step({ depth, domain, outcome: 'error', detail: 'no SPF record' });
    // The include/redirect term's own lookup came back empty: a void lookup (§4.6.4).
    if (depth > 0 && (f.response.status === 'nxdomain' || f.response.status === 'nodata')) st.addVoid();
    return { result: 'none', chain: [], reason: `${domain} has no SPF record (${f.response.status === 'nxdomain' ? 'NXDOMAIN' : 'no TXT record starting with v=spf1'}), §4.5` };
  }
  if (f.status === 'multiple') {
    st.step({ depth, domain, outcome: 'error', detail: `${f.records.length} SPF records` });
    return { result: 'permerror', chain: [], reason: `${domain} publishes ${f.records.length} SPF records, §4.5` };
  }
  const rec = f.record;
  st.step({ depth, domain, record: rec.text, outcome: 'record' });
  if (!rec.valid) {
    const e = rec.issues.find((i) => i.level === 'error')!;
    return { result: 'permerror', chain: [], reason: `syntax error in the SPF record of ${domain} at position ${e.position}: ${e.message}, §4.6` };
  }
  for (const m of rec.mechanisms) {
    const limit = st.countTerm(m.name);
    if (limit) return { result: 'permerror', chain: [{ domain, term: m.text }], reason: limit };
    const r = await matchMechanism(st, m, domain, depth, (d) => checkHost(st, d, depth + 1, false));
    st.step({ depth, domain, term: m.text, outcome: r.outcome, ...(r.detail ? { detail: r.detail } : {}) });
    if (r.outcome === 'error') return { result: r.error!, chain: [{ domain, term: m.text }, ...(r.chain ?? [])], reason: r.detail ?? r.error! };
    if (st.voids > VOID_LIMIT) return { result: 'permerror', chain: [{ domain, term: m.text }], reason: `more than ${VOID_LIMIT} void lookups (lookups answered NXDOMAIN or empty), §4.6.4` };
    if (r.outcome !== 'match') continue;
    const result = QUALIFIER_RESULT[m.qualifier];
    const out: HostResult = { result, matched: true, chain: [{ domain, term: m.text }, ...(r.chain ?? [])], reason: `"${m.text}" in the SPF record of ${domain} matched ${st.ipText}` };
    if (result === 'fail' && top && rec.exp) {
      const text = await explain(st, rec.exp.value, domain);
      if (text !== undefined) out.explanation = text;
    }
    return out;
  }
  if (rec.redirect) {
    const limit = st.countTerm('redirect');
    if (limit) return { result: 'permerror', chain: [{ domain, term: rec.redirect.text }], reason: limit };
    const target = await targetName(st, rec.redirect.value, domain);
    st.step({ depth, domain, term: rec.redirect.text, outcome: 'redirect', detail: target });
    const r = await checkHost(st, target, depth + 1, top);
    // §6.1: a redirect to a domain without an SPF record is a permerror, not none.
    if (r.result === 'none') return { result: 'permerror', chain: [{ domain, term: rec.redirect.text }], reason: `redirect target ${target} has no SPF record, §6.1` };
    return { ...r, chain: [{ domain, term: rec.redirect.text }, ...r.chain] };
  }
  st.step({ depth, domain, outcome: 'default', detail: 'no mechanism matched' });
  return { result: 'neutral', chain: [], reason: `no mechanism in the SPF record of ${domain} matched and there is no redirect: the default result is neutral, §4.7` };
}

export { LOOKUP_LIMIT, VOID_LIMIT };
