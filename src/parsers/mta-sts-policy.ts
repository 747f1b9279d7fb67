// The MTA-STS policy file (RFC 8461 §3.2) and the MX pattern matcher (§4.1).
// Lines are `key: value` separated by CRLF or LF (ABNF sts-policy-term = LF / CRLF,
// erratum 6253); keys are case-sensitive; only mx may repeat; unknown keys are ignored.
// Pure: no I/O, never throws.

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsPolicy {
  version: 'STSv1';
  mode: StsMode;
  /** Seconds, 0..31557600. */
  maxAge: number;
  /** Patterns in file order, lower-cased. */
  mx: string[];
}

export interface PolicyIssue {
  /** 1-based line number, 0 for the file as a whole. */
  line: number;
  message: string;
}

export type StsPolicyResult =
  | { ok: true; policy: StsPolicy; notes: PolicyIssue[] }
  | { ok: false; errors: PolicyIssue[]; notes: PolicyIssue[] };

/** §3.2: "maximum value of 31557600" (one year). */
export const MAX_AGE_LIMIT = 31_557_600;
const KNOWN = new Set(['version', 'mode', 'max_age', 'mx']);
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
// RFC 5321 §4.1.2 sub-domain = Let-dig [Ldh-str]; labels of at most 63 octets.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function parseStsPolicy(text: string): StsPolicyResult {
  const errors: PolicyIssue[] = [];
  const notes: PolicyIssue[] = [];
  const single = new Map<string, { value: string; line: number }>();
  const mx: string[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // final line terminator is optional
  let firstKey: string | undefined;
  let badMx = 0;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      notes.push({ line, message: 'blank line: not allowed by the §3.2 grammar; most senders skip it' });
      return;
    }
    if (/^[ \t]/.test(raw)) notes.push({ line, message: 'leading whitespace: not allowed by the §3.2 grammar' });
    const m = /^[ \t]*([^:\s]+):[ \t]*(.*?)[ \t]*$/.exec(raw);
    if (!m) {
      errors.push({ line, message: `"${clip(raw)}" is not a "key: value" line` });
      return;
    }
    const [, key, value] = m as unknown as [string, string, string];
    firstKey ??= key;
    if (!EXT_NAME.test(key)) {
      errors.push({ line, message: `"${clip(key)}" is not a valid key` });
      return;
    }
    if (!KNOWN.has(key)) {
      notes.push({ line, message: KNOWN.has(key.toLowerCase()) ? `key "${key}" is case-sensitive: senders ignore it (write "${key.toLowerCase()}")` : `unknown key "${key}" is ignored` });
      return;
    }
    if (key === 'mx') {
      const problem = mxPatternProblem(value);
      if (problem) {
        badMx++;
        errors.push({ line, message: problem });
      } else mx.push(value.toLowerCase());
      return;
    }
    const prev = single.get(key);
    if (prev) errors.push({ line, message: `"${key}" appears again (first on line ${prev.line}); only mx may repeat` });
    else single.set(key, { value, line });
  });

  const version = single.get('version');
  if (!version) errors.push({ line: 0, message: 'the required "version: STSv1" line is missing' });
  else if (version.value !== 'STSv1') errors.push({ line: version.line, message: `version "${clip(version.value)}" is not "STSv1" (case-sensitive)` });
  else if (firstKey !== 'version') notes.push({ line: version.line, message: 'version is not the first line; the grammar allows any order, but put it first as every example does' });

  const modeF = single.get('mode');
  let mode: StsMode | undefined;
  if (!modeF) errors.push({ line: 0, message: 'the required "mode" line is missing' });
  else if (modeF.value === 'enforce' || modeF.value === 'testing' || modeF.value === 'none') mode = modeF.value;
  else errors.push({ line: modeF.line, message: `mode "${clip(modeF.value)}" must be enforce, testing or none (lower case)` });

  const ageF = single.get('max_age');
  let maxAge: number | undefined;
  if (!ageF) errors.push({ line: 0, message: 'the required "max_age" line is missing' });
  else if (!/^\d{1,10}$/.test(ageF.value)) errors.push({ line: ageF.line, message: `max_age "${clip(ageF.value)}" must be a whole number of seconds (at most 10 digits)` });
  else if (Number(ageF.value) > MAX_AGE_LIMIT) errors.push({ line: ageF.line, message: `max_age ${ageF.value} exceeds the maximum ${MAX_AGE_LIMIT} (one year)` });
  else maxAge = Number(ageF.value);

  // A policy that is not "none" must name at least one MX, or no MX could ever be valid.
  if (mode && mode !== 'none' && mx.length === 0 && badMx === 0) {
    errors.push({ line: 0, message: `mode ${mode} needs at least one "mx:" line` });
  }
  if (errors.length || !mode || maxAge === undefined) return { ok: false, errors, notes };
  return { ok: true, policy: { version: 'STSv1', mode, maxAge, mx }, notes };
}

/** Why an mx value is not `["*."] Domain` (§3.2), or undefined when it is fine. */
export function mxPatternProblem(value: string): string | undefined {
  if (value === '') return 'mx has an empty value';
  const v = value.toLowerCase();
  if (v.endsWith('.')) return `mx "${clip(value)}" ends with a dot: patterns are written without the trailing root dot`;
  const host = v.startsWith('*.') ? v.slice(2) : v;
  if (host.includes('*')) return `mx "${clip(value)}": a wildcard is allowed only as the whole leftmost label ("*.example.com")`;
  if (/^\d+(\.\d+){3}$/.test(host) || host.includes(':')) return `mx "${clip(value)}" is an IP address; patterns name MX host names`;
  const labels = host.split('.');
  if (labels.length < 2 && v.startsWith('*.')) return `mx "${clip(value)}": a wildcard over a single label would match top-level names`;
  if (!labels.every((l) => LABEL.test(l))) return `mx "${clip(value)}" is not a valid host name`;
  return undefined;
}

/**
 * §4.1: a pattern matches the MX host name exactly (case-insensitively), or, when it
 * begins with "*.", the wildcard stands for exactly one leftmost label.
 */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** The first pattern that matches `host`, if any. */
export function matchingPattern(patterns: readonly string[], host: string): string | undefined {
  return patterns.find((p) => mxPatternMatches(p, host));
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
