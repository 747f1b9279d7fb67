// Authentication-Results (RFC 8601 §2.2): the receiving server's own verdicts,
//   authserv-id [version] ; method[/version]=result [reason=...] ptype.property=value ...
// Pure and forgiving: malformed parts are skipped and listed, never thrown.
import { splitComments } from './headers.js';

export interface AuthMethodResult {
  /** Lower-case method: dkim, spf, dmarc, arc, iprev, auth, bimi... */
  method: string;
  /** Lower-case result: pass, fail, softfail, neutral, none, temperror, permerror, policy. */
  result: string;
  reason?: string;
  /** `ptype.property` → value, e.g. `header.d` → `example.com`, `smtp.mailfrom` → `a@b`. */
  properties: Record<string, string>;
  /** Comments, e.g. SpamAssassin's "(2048-bit key)". */
  comment?: string;
}

export interface AuthResults {
  authservId: string;
  results: AuthMethodResult[];
  /** `none` given instead of results (RFC 8601 §2.2: no authentication was done). */
  none: boolean;
  /** Parts that could not be read. */
  errors: string[];
}

const METHOD = /^([A-Za-z0-9_-]+)(?:\/\d+)?\s*=\s*([A-Za-z0-9_-]+)/;
const PROPERTY = /([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]+)/g;

export function parseAuthResults(value: string): AuthResults {
  const parts = splitOutsideQuotes(value.slice(0, 8000));
  // Microsoft 365 leaves out the authserv-id and starts with a result; an id never has "=".
  const first = splitComments(parts[0] ?? '').text.trim();
  const head = METHOD.test(first) ? '' : (parts.shift(), first);
  const out: AuthResults = { authservId: head.split(/\s+/)[0] ?? '', results: [], none: false, errors: [] };
  for (const part of parts) {
    const { text, comments } = splitComments(part);
    const t = text.trim();
    if (!t) continue;
    if (/^none$/i.test(t)) { out.none = true; continue; }
    const m = METHOD.exec(t);
    if (!m) { out.errors.push(t.slice(0, 120)); continue; }
    const r: AuthMethodResult = { method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), properties: {} };
    let rest = t.slice(m[0].length);
    const reason = /^\s*reason\s*=\s*("(?:[^"\\]|\\.)*"|\S+)/i.exec(rest);
    if (reason) {
      r.reason = unquote(reason[1]!);
      rest = rest.slice(reason[0].length);
    }
    for (const p of rest.matchAll(PROPERTY)) r.properties[`${p[1]!.toLowerCase()}.${p[2]!.toLowerCase()}`] = unquote(p[3]!);
    if (comments.length) r.comment = comments.join(' ');
    out.results.push(r);
  }
  return out;
}

/** The results of one method across all the fields a server wrote. */
export function resultsFor(all: AuthResults[], method: string): AuthMethodResult[] {
  return all.flatMap((a) => a.results.filter((r) => r.method === method));
}

/**
 * The fields written by the receiving side. Every server on the path may add one and a
 * sender may forge one (RFC 8601 §5), so prefer the fields whose authserv-id is the
 * receiving host or its domain; with no such hint, the topmost field (added last).
 */
export function receiverResults(values: string[], receiverHosts: string[]): AuthResults[] {
  const parsed = values.slice(0, 20).map(parseAuthResults);
  const hosts = receiverHosts.map((h) => h.toLowerCase());
  const match = parsed.filter((a) => {
    const id = a.authservId.toLowerCase();
    return id && hosts.some((h) => h === id || h.endsWith(`.${id}`) || id.endsWith(`.${h}`));
  });
  if (match.length) return match;
  return parsed.slice(0, 1);
}

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s;
}

/** Split at ";" outside quotes and comments. */
function splitOutsideQuotes(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') { cur += ch + (s[i + 1] ?? ''); i++; continue; }
    if (ch === '"' && depth === 0) quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
    if (ch === ';' && !quoted && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}
