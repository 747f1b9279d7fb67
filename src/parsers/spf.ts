// SPF record syntax (RFC 7208 §4.6, §5, §6, §12 ABNF): text → typed terms plus every
// problem with its character position, so a report can point a caret at it.
import { parseMacroString } from './spf-macro.js';
import type { MacroString } from './spf-macro.js';
import { parseIPv4, parseIPv6 } from './spf-ip.js';
import { checkDomainSpec, hostNameWarning } from './spf-domain-spec.js';

export type SpfQualifier = '+' | '-' | '~' | '?';
export type SpfMechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';

export interface SpfMechanism {
  kind: 'mechanism';
  name: SpfMechanismName;
  qualifier: SpfQualifier;
  /** The term as written. */
  text: string;
  /** Offset of the term in the record text. */
  position: number;
  /** include/exists (required), a/mx/ptr (optional). */
  domainSpec?: MacroString;
  /** ip4/ip6 network bytes. */
  ip?: number[];
  cidr4?: number;
  cidr6?: number;
}

export interface SpfModifier {
  kind: 'modifier';
  /** Lower case. */
  name: string;
  value: MacroString;
  text: string;
  position: number;
}

export type SpfTerm = SpfMechanism | SpfModifier;

export interface SpfIssue {
  /** error: the record is invalid (permerror, §4.6). warning: valid but probably not what was meant. */
  level: 'error' | 'warning';
  /** Offset in the record text (the joined character-strings). */
  position: number;
  message: string;
  /** The record and a caret under the position, like checkdmarc prints. */
  marker: string;
}

export interface SpfRecord {
  text: string;
  terms: SpfTerm[];
  mechanisms: SpfMechanism[];
  redirect?: SpfModifier;
  exp?: SpfModifier;
  /** The first `all` mechanism: evaluation never goes past it (§5.1). */
  all?: SpfMechanism;
  issues: SpfIssue[];
  /** No error-level issue. */
  valid: boolean;
  /** Byte length of each character-string when the record came as DNS strings (§3.3). */
  stringLengths: number[];
}

export const MECHANISMS: readonly SpfMechanismName[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];
/** Terms that cost a DNS lookup and count against the limit of 10 (§4.6.4). */
export const DNS_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

/** True for the text of a TXT record that is an SPF record (§4.5: "v=spf1" then a space or the end). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/**
 * Parse an SPF record. Pass the TXT record's character-strings as an array to have
 * them joined as §3.3 says (no separator) and their boundaries used in error hints.
 */
export function parseSpf(input: string | string[]): SpfRecord {
  const chunks = typeof input === 'string' ? [input] : input;
  const text = chunks.join('');
  const issues: SpfIssue[] = [];
  const add = (level: SpfIssue['level'], position: number, message: string) =>
    issues.push({ level, position, message: message + boundaryHint(chunks, position, level), marker: caret(text, position) });
  const rec: SpfRecord = {
    text, terms: [], mechanisms: [], issues, valid: true,
    stringLengths: typeof input === 'string' ? [] : chunks.map((c) => Buffer.byteLength(c)),
  };
  const version = /^v=spf1/i.exec(text);
  if (!version) {
    add('error', 0, 'an SPF record must start with "v=spf1" (RFC 7208 §4.5)');
    rec.valid = false;
    return rec;
  }
  for (const { token, position } of tokens(text, version[0].length, add)) {
    const term = parseTerm(token, position, add);
    if (!term) continue;
    rec.terms.push(term);
    if (term.kind === 'mechanism') rec.mechanisms.push(term);
    else if (term.name === 'redirect' || term.name === 'exp') {
      if (rec[term.name]) add('error', position, `"${term.name}=" appears more than once (RFC 7208 §6)`);
      else rec[term.name] = term;
    }
  }
  rec.all = rec.mechanisms.find((m) => m.name === 'all');
  if (rec.all) {
    const after = rec.mechanisms.filter((m) => m.position > rec.all!.position);
    if (after.length) add('warning', after[0]!.position, `mechanisms after "${rec.all.text}" are never evaluated (RFC 7208 §5.1)`);
    if (rec.redirect) add('warning', rec.redirect.position, `"redirect=" is ignored because the record has an "all" mechanism (RFC 7208 §6.1)`);
  }
  rec.valid = !issues.some((i) => i.level === 'error');
  issues.sort((a, b) => a.position - b.position);
  return rec;
}

type Add = (level: SpfIssue['level'], position: number, message: string) => void;

/** Terms are separated by one or more spaces; nothing else is whitespace in SPF (§4.6.1). */
function* tokens(text: string, from: number, add: Add): Generator<{ token: string; position: number }> {
  const rest = text.slice(from);
  if (rest && !rest.startsWith(' ')) {
    add('error', from, `"v=spf1" must be followed by a space (RFC 7208 §4.5)`);
    return;
  }
  for (const m of rest.matchAll(/[^ ]+/g)) {
    const ws = /[\t\r\n\v\f]/.exec(m[0]);
    if (ws) add('error', from + m.index + ws.index, 'only spaces may separate SPF terms (found a tab or line break, RFC 7208 §4.6.1)');
    yield { token: m[0], position: from + m.index };
  }
}

function parseTerm(token: string, pos: number, add: Add): SpfTerm | undefined {
  const m = /^([+\-~?]?)([a-z][a-z0-9_.-]*)(.*)$/is.exec(token);
  if (!m) {
    add('error', pos, `"${token}" is not a valid SPF term (a mechanism like "ip4:..." or a modifier like "redirect=...")`);
    return undefined;
  }
  const [, qual, rawName, rest] = m as unknown as [string, string, string, string];
  const name = rawName.toLowerCase();
  const qpos = pos + qual.length;
  if (rest.startsWith('=')) {
    if (qual) add('error', pos, `a modifier ("${name}=") cannot have a qualifier (RFC 7208 §4.6.1)`);
    return parseModifier(name, token, rest.slice(1), pos, qpos + rawName.length + 1, add);
  }
  if (!(MECHANISMS as readonly string[]).includes(name)) {
    const near = MECHANISMS.find((mm) => name.startsWith(`${mm}.`));
    add('error', qpos, `unknown mechanism "${rawName}"${near ? ` (did you mean "${near}:${rawName.slice(near.length + 1)}"?)` : ''} (RFC 7208 §5)`);
    return undefined;
  }
  const mech: SpfMechanism = { kind: 'mechanism', name: name as SpfMechanismName, qualifier: (qual || '+') as SpfQualifier, text: token, position: pos };
  parseArgs(mech, rest, qpos + rawName.length, add);
  return mech;
}

function parseModifier(name: string, token: string, value: string, pos: number, vpos: number, add: Add): SpfModifier {
  const known = name === 'redirect' || name === 'exp';
  const { value: ms, errors } = parseMacroString(value, vpos, known ? 'domain' : 'modifier');
  for (const e of errors) add('error', e.position, e.message);
  if (known && !errors.length) {
    if (!value) add('error', vpos, `"${name}=" needs a domain (RFC 7208 §6)`);
    else domainSpecIssues(ms, vpos, add);
  }
  if ((MECHANISMS as readonly string[]).includes(name)) {
    add('warning', pos, `"${name}=" is an unknown modifier and is ignored; the mechanism is written "${name}:" (RFC 7208 §6)`);
  }
  return { kind: 'modifier', name, value: ms, text: token, position: pos };
}

/** Parse what follows the mechanism name: ":" domain-spec / ip, then CIDR lengths. */
function parseArgs(mech: SpfMechanism, rest: string, at: number, add: Add): void {
  const n = mech.name;
  if (n === 'all') {
    if (rest) add('error', at, `"all" takes no argument (RFC 7208 §5.1)`);
    return;
  }
  if (n === 'ip4' || n === 'ip6') return parseIpArg(mech, rest, at, add);
  let spec = rest;
  if (n === 'a' || n === 'mx') {
    // The CIDR suffix is read from the end: "a:host/24" is host + /24, not a host named "host/24".
    const c = /(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest)!;
    spec = rest.slice(0, c.index);
    if (c[1] !== undefined) mech.cidr4 = cidr(c[1], 32, at + c.index + 1, add);
    if (c[2] !== undefined) mech.cidr6 = cidr(c[2], 128, at + rest.length - c[2].length, add);
  }
  if (!spec) {
    if (n === 'include' || n === 'exists') add('error', at, `"${n}" needs a domain: "${n}:example.com" (RFC 7208 §5)`);
    return;
  }
  if (!spec.startsWith(':')) {
    add('error', at, `unexpected "${spec}" after "${n}": a domain is given as "${n}:example.com"${n === 'a' || n === 'mx' ? ', a prefix length as "/24"' : ''} (RFC 7208 §5)`);
    return;
  }
  const { value, errors } = parseMacroString(spec.slice(1), at + 1, 'domain');
  for (const e of errors) add('error', e.position, e.message);
  if (!spec.slice(1)) add('error', at + 1, `"${n}:" has an empty domain (RFC 7208 §5)`);
  else if (!errors.length) domainSpecIssues(value, at + 1, add);
  mech.domainSpec = value;
}

function parseIpArg(mech: SpfMechanism, rest: string, at: number, add: Add): void {
  const v6 = mech.name === 'ip6';
  if (!rest.startsWith(':') || rest.length === 1) {
    add('error', at, `"${mech.name}" needs an address: "${mech.name}:${v6 ? '2001:db8::/32' : '192.0.2.0/24'}" (RFC 7208 §5.6)`);
    return;
  }
  const slash = rest.indexOf('/');
  const addr = rest.slice(1, slash < 0 ? undefined : slash);
  const bytes = v6 ? parseIPv6(addr) : parseIPv4(addr);
  if (!bytes) {
    const hint = !v6 && addr.includes(':') ? ' (looks like IPv6: use ip6:)' : v6 && parseIPv4(addr) ? ' (looks like IPv4: use ip4:)' : '';
    add('error', at + 1, `"${addr}" is not a valid ${v6 ? 'IPv6' : 'IPv4'} address${hint} (RFC 7208 §5.6)`);
  } else mech.ip = bytes;
  if (slash >= 0) {
    const len = rest.slice(slash + 1);
    if (v6) mech.cidr6 = cidr(len, 128, at + slash + 1, add);
    else mech.cidr4 = cidr(len, 32, at + slash + 1, add);
  }
}

/** ip4-cidr-length / ip6-cidr-length: no leading zeros, within range (§5.6). */
function cidr(digits: string, max: number, at: number, add: Add): number | undefined {
  const v = Number(digits);
  if (!/^(0|[1-9]\d*)$/.test(digits) || v > max) {
    add('error', at, `"/${digits}" is not a valid prefix length (0-${max}, no leading zeros; RFC 7208 §5.6)`);
    return undefined;
  }
  return v;
}

function domainSpecIssues(ms: MacroString, at: number, add: Add): void {
  const problem = checkDomainSpec(ms);
  if (problem) add('error', at + problem.offset, problem.message);
  const odd = ms.hasMacros ? undefined : hostNameWarning(ms.text);
  if (!problem && odd) add('warning', at + odd.offset, odd.message);
}

function caret(text: string, position: number): string {
  return `${text}\n${' '.repeat(Math.max(0, Math.min(position, text.length)))}^`;
}

/** §3.3: strings are joined with no separator; a problem in a term spanning a join usually means a missing space. */
function boundaryHint(chunks: string[], position: number, _level: SpfIssue['level']): string {
  if (chunks.length < 2) return '';
  const text = chunks.join('');
  const termStart = text.lastIndexOf(' ', position - 1) + 1;
  const space = text.indexOf(' ', position);
  const termEnd = space < 0 ? text.length : space;
  let at = 0;
  for (let k = 0; k < chunks.length - 1; k++) {
    at += chunks[k]!.length;
    if (termStart < at && at < termEnd) {
      return ` [the record's strings are joined without a space (RFC 7208 §3.3): string ${k + 1} ends inside this term; add a space at its end]`;
    }
  }
  return '';
}
