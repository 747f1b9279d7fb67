// Matching one SPF mechanism against the client address (RFC 7208 §5), target-name
// expansion (§4.8, §7) and the exp= explanation (§6.2).
import type { DnsResponse } from '../../io/resolver.js';
import { isIndeterminate, txtText } from '../../io/resolver.js';
import type { SpfMechanism } from '../../parsers/spf.js';
import type { MacroString } from '../../parsers/spf-macro.js';
import { expandMacroString, macroLetters, parseMacroString, truncateDomain } from '../../parsers/spf-macro.js';
import { cidrMatch, parseIp, reverseName } from '../../parsers/spf-ip.js';
import type { EvalState, HostResult, SpfResult } from './spf-eval-state.js';
import { MX_HOST_LIMIT } from './spf-tree-terms.js';

export interface MatchResult {
  outcome: 'match' | 'no-match' | 'error';
  error?: SpfResult;
  detail?: string;
  /** For include: the chain inside the included record. */
  chain?: HostResult['chain'];
}

/** PTR names tried per ptr mechanism or p macro; the rest are ignored (§4.6.4). */
const PTR_NAME_LIMIT = 10;

const isEmpty = (r: DnsResponse) => r.status === 'nxdomain' || r.status === 'nodata';

export async function matchMechanism(
  st: EvalState, m: SpfMechanism, domain: string, depth: number,
  recurse: (target: string) => Promise<HostResult>,
): Promise<MatchResult> {
  const temp = (r: DnsResponse): MatchResult => ({ outcome: 'error', error: 'temperror', detail: `${r.type} lookup for ${r.name} failed (${r.status} from ${r.server}), §4.4` });
  const target = m.domainSpec ? await expandTarget(st, m.domainSpec, domain) : domain;
  // A macro can expand to a name no DNS query can carry (an empty or over-long label from
  // the local-part): that is no match, not a DNS failure (temperror) nor a void lookup.
  if (m.name !== 'include' && m.domainSpec?.hasMacros && !queryable(target)) return { outcome: 'no-match', detail: `"${target}" is not a valid domain name` };
  const family = st.ip.version === 4 ? 'A' : 'AAAA';
  const prefix = st.ip.version === 4 ? (m.cidr4 ?? 32) : (m.cidr6 ?? 128);
  switch (m.name) {
    case 'all':
      return { outcome: 'match' };
    case 'ip4': case 'ip6': {
      const ok = !!m.ip && m.ip.length === st.ip.bytes.length && cidrMatch(m.ip, st.ip.bytes, (m.name === 'ip4' ? m.cidr4 : m.cidr6) ?? m.ip.length * 8);
      return { outcome: ok ? 'match' : 'no-match' };
    }
    case 'a': {
      const r = await st.resolver.query(target, family);
      if (isIndeterminate(r)) return temp(r);
      if (isEmpty(r)) return voidLookup(st, `${target} has no ${family} record`);
      const hit = addrs(r).some((a) => cidrMatch(a, st.ip.bytes, prefix));
      return { outcome: hit ? 'match' : 'no-match', detail: `${family} ${target}: ${r.records.map((x) => String(x.data)).join(', ')}` };
    }
    case 'mx': {
      const mx = await st.resolver.query(target, 'MX');
      if (isIndeterminate(mx)) return temp(mx);
      if (isEmpty(mx)) return voidLookup(st, `${target} has no MX record`);
      if (mx.records.length > MX_HOST_LIMIT) return { outcome: 'error', error: 'permerror', detail: `${target} has ${mx.records.length} MX records; more than ${MX_HOST_LIMIT} address lookups, §4.6.4` };
      const hosts = mx.records.map((x) => String(x.data?.exchange ?? '')).filter(Boolean);
      const answers = await Promise.all(hosts.map((h) => st.resolver.query(h, family)));
      const failed = answers.find(isIndeterminate);
      if (failed) return temp(failed);
      const hit = hosts.find((_, k) => addrs(answers[k]!).some((a) => cidrMatch(a, st.ip.bytes, prefix)));
      return { outcome: hit ? 'match' : 'no-match', detail: hit ? `MX host ${hit}` : `MX hosts: ${hosts.join(', ')}` };
    }
    case 'ptr': {
      const names = await validatedNames(st, target);
      if (names === undefined) return voidLookup(st, 'no PTR record for the client address');
      const t = target.toLowerCase();
      const hit = names.find((n) => n === t || n.endsWith(`.${t}`));
      return { outcome: hit ? 'match' : 'no-match', detail: hit ? `validated PTR name ${hit}` : `validated PTR names: ${names.join(', ') || 'none'}` };
    }
    case 'exists': {
      const r = await st.resolver.query(target, 'A'); // always A, whatever the client's family (§5.7)
      if (isIndeterminate(r)) return temp(r);
      if (isEmpty(r)) return voidLookup(st, `${target} does not exist`);
      return { outcome: 'match', detail: `A ${target} exists` };
    }
    case 'include': {
      const r = await recurse(target);
      // §5.2: only pass matches; temperror propagates; permerror and none are permerror.
      if (r.result === 'pass') return { outcome: 'match', chain: r.chain };
      if (r.result === 'fail' || r.result === 'softfail' || r.result === 'neutral') return { outcome: 'no-match', detail: `${target}: ${r.result}` };
      if (r.result === 'temperror') return { outcome: 'error', error: 'temperror', detail: r.reason, chain: r.chain };
      return { outcome: 'error', error: 'permerror', detail: r.result === 'none' ? `included domain ${target} has no SPF record, §5.2` : r.reason, chain: r.chain };
    }
  }
}

function queryable(name: string): boolean {
  return name.split('.').every((l) => l.length > 0 && Buffer.byteLength(l) <= 63);
}

function voidLookup(st: EvalState, detail: string): MatchResult {
  st.addVoid();
  return { outcome: 'no-match', detail: `${detail} (void lookup ${st.voids})` };
}

function addrs(r: DnsResponse): number[][] {
  return r.records.map((x) => parseIp(String(x.data))?.bytes).filter((b): b is number[] => !!b);
}

/** Expand a domain-spec (§7.3), computing the costly p macro only when used. */
export async function expandTarget(st: EvalState, ms: MacroString, domain: string): Promise<string> {
  if (!ms.hasMacros) return ms.text.replace(/\.$/, '').toLowerCase();
  const p = macroLetters(ms).has('p') ? await st.validatedName(domain, () => pValue(st, domain)) : undefined;
  return truncateDomain(expandMacroString(ms, st.values(domain, p)));
}

/** For redirect= (sync callers pass pre-expanded names through expandTarget). */
export function targetName(st: EvalState, ms: MacroString, domain: string): Promise<string> {
  return expandTarget(st, ms, domain);
}

/** §5.5: PTR names of the client (first 10) whose A/AAAA lead back to it; undefined when the PTR lookup is empty. */
async function validatedNames(st: EvalState, _target: string): Promise<string[] | undefined> {
  const ptr = await st.resolver.query(reverseName(st.ip), 'PTR');
  if (isEmpty(ptr)) return undefined;
  if (isIndeterminate(ptr)) return []; // §5.5: a DNS error here means no match, not temperror
  const names = ptr.records.map((r) => String(r.data).toLowerCase()).slice(0, PTR_NAME_LIMIT);
  const family = st.ip.version === 4 ? 'A' : 'AAAA';
  const checked = await Promise.all(names.map(async (n) => {
    const r = await st.resolver.query(n, family);
    return addrs(r).some((a) => cidrMatch(a, st.ip.bytes, st.ip.bytes.length * 8)) ? n : undefined;
  }));
  return checked.filter((n): n is string => !!n);
}

/** §7.3 p: a validated name equal to or under the domain if any, else any validated name, else "unknown". */
async function pValue(st: EvalState, domain: string): Promise<string> {
  const names = (await validatedNames(st, domain)) ?? [];
  return names.find((n) => n === domain || n.endsWith(`.${domain}`)) ?? names[0] ?? 'unknown';
}

/** §6.2: fetch and expand the explanation for a fail; any problem means no explanation. */
export async function explain(st: EvalState, ms: MacroString, domain: string): Promise<string | undefined> {
  const name = await expandTarget(st, ms, domain);
  const r = await st.resolver.query(name, 'TXT');
  if (r.records.length !== 1) return undefined;
  const text = txtText(r.records[0]!.data);
  const { value, errors } = parseMacroString(text, 0, 'explanation');
  if (errors.length) return undefined;
  const p = macroLetters(value).has('p') ? await st.validatedName(domain, () => pValue(st, domain)) : undefined;
  const values = st.values(domain, p);
  // §7.4's example writes the nibbles of an IPv6 %{i} in upper case in explanation text (DNS
  // names ignore case, so domain-specs keep lower case); the suite expects the same.
  if (st.ip.version === 6 && values.i) values.i = values.i.toUpperCase();
  return expandMacroString(value, values);
}
