// Findings are data: a stable id, a severity, and the text a human needs to act.
// Tests assert on ids, never on prose (DESIGN.md §2).

export const SEVERITIES = ['ok', 'info', 'warning', 'critical', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The documented definition of one finding id, declared once by its check family. */
export interface FindingDef {
  /** `<family>.<rule>`, stable forever once released. */
  id: string;
  severity: Severity;
  title: string;
  /** What the finding means, for docs/findings.md. */
  meaning: string;
  /** What to do about it; empty for ok/info findings that need no action. */
  remediation?: string;
  /** RFC sections and other sources. */
  refs?: string[];
}

export type Evidence = Record<string, unknown>;

/** One observed fact about one target, judged. */
export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  detail?: string;
  remediation?: string;
  /** The host, record name or address the finding is about, when narrower than the target. */
  subject?: string;
  evidence?: Evidence;
  refs?: string[];
}

/**
 * Which severity wins when combining findings: monitoring-plugins' max_state_alt()
 * (critical > warning > unknown > ok). A definite problem outranks "could not tell",
 * so a broken DNSSEC chain that also makes other lookups fail still exits 2.
 */
const WORST: Record<Severity, number> = { ok: 0, info: 1, unknown: 2, warning: 3, critical: 4 };
const EXIT: Record<Severity, number> = { ok: 0, info: 0, warning: 1, critical: 2, unknown: 3 };
/** Display rank: problems first, most serious first. */
const RANK: Record<Severity, number> = { critical: 0, unknown: 1, warning: 2, info: 3, ok: 4 };

/** The overall status of a set of findings: the one that decides the exit code. */
export function worstSeverity(severities: Iterable<Severity>): Severity {
  let worst: Severity = 'ok';
  for (const s of severities) if (WORST[s] > WORST[worst]) worst = s;
  return worst;
}

/** 0 ok, 1 warning, 2 critical, 3 unknown, from the worst severity. */
export function exitCodeFor(severities: Iterable<Severity>): number {
  return EXIT[worstSeverity(severities)];
}

/** Combine exit codes of several reports the same way (2 > 1 > 3 > 0). */
export function worstExitCode(codes: Iterable<number>): number {
  const order = [0, 3, 1, 2];
  let worst = 0;
  for (const c of codes) if (order.indexOf(c) > order.indexOf(worst)) worst = c;
  return worst;
}

export function compareBySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return RANK[a.severity] - RANK[b.severity];
}

/** Build a finding from its definition; severity may be raised or lowered by the caller. */
export function finding(
  def: FindingDef,
  extra: { detail?: string; subject?: string; evidence?: Evidence; severity?: Severity; title?: string } = {},
): Finding {
  const f: Finding = { id: def.id, severity: extra.severity ?? def.severity, title: extra.title ?? def.title };
  if (extra.detail !== undefined) f.detail = extra.detail;
  if (extra.subject !== undefined) f.subject = extra.subject;
  const sev = f.severity;
  if (def.remediation && sev !== 'ok' && sev !== 'info') f.remediation = def.remediation;
  if (extra.evidence !== undefined) f.evidence = extra.evidence;
  if (def.refs?.length) f.refs = def.refs;
  return f;
}
