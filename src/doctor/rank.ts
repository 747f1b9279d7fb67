// Matches the findings of a run to the cause table and ranks the causes for one symptom.
// Likelihood is a rank, not a probability: weight (1-3, how directly the cause produces the
// symptom) × severity points of its worst evidence (critical 3, warning 2, info 1);
// high ≥ 6, medium ≥ 4, low below. Unknown findings are "could not check", never a cause.
import type { Severity } from '../core/finding.js';
import { compareBySeverity, worstSeverity } from '../core/finding.js';
import type { CauseDef, DoctorFinding, Weight } from './cause-types.js';
import { factsOf } from './cause-types.js';
import { CAUSES, causesFor, whyFor } from './causes.js';
import type { Symptom } from './symptoms.js';

export type Likelihood = 'high' | 'medium' | 'low';

export interface RankedCause {
  rank: number;
  id: string;
  title: string;
  likelihood: Likelihood;
  /** weight × severity points: what the rank is sorted by. */
  score: number;
  weight: Weight;
  severity: Severity;
  why: string;
  fix: string;
  /** Why the weight was raised (MTA-STS enforce, DANE, DMARC enforced), when it was. */
  note?: string;
  findings: DoctorFinding[];
  refs?: string[];
}

export interface Diagnosis {
  symptom: Symptom;
  causes: RankedCause[];
  /** Unknown findings no cause used: what could not be checked. */
  couldNotCheck: DoctorFinding[];
  /** Warnings and criticals that match no cause of this symptom. */
  otherProblems: DoctorFinding[];
  /** Info findings no cause used. */
  notes: DoctorFinding[];
  fine: DoctorFinding[];
}

const POINTS: Record<Severity, number> = { critical: 3, warning: 2, info: 1, unknown: 1, ok: 0 };
const RANK: Record<Severity, number> = { critical: 0, warning: 1, unknown: 2, info: 3, ok: 4 };

export function likelihoodOf(score: number): Likelihood {
  return score >= 6 ? 'high' : score >= 4 ? 'medium' : 'low';
}

export function diagnose(symptom: Symptom, findings: DoctorFinding[], table: readonly CauseDef[] = CAUSES): Diagnosis {
  const facts = factsOf(findings);
  const used = new Set<DoctorFinding>();
  const found: (Omit<RankedCause, 'rank'> & { order: number })[] = [];
  for (const [order, c] of causesFor(symptom, table).entries()) {
    if (c.when && !c.when(facts)) continue;
    const matched = findings.filter((f) => c.ids.includes(f.id) && roleMatches(c, f) && accepted(c, f));
    if (!matched.length) continue;
    const boosted = c.boost && c.boost.when(facts) ? c.boost.weight[symptom] : undefined;
    const weight = Math.max(c.weight[symptom] ?? 0, boosted ?? 0) as Weight;
    if (!weight) continue;
    const severity = worstSeverity(matched.map((f) => c.asSeverity ?? f.severity));
    const score = weight * POINTS[severity];
    for (const f of matched) used.add(f);
    found.push({
      id: c.id, title: c.title, likelihood: likelihoodOf(score), score, weight, severity, why: whyFor(c, symptom), fix: c.fix,
      ...(boosted && boosted > (c.weight[symptom] ?? 0) ? { note: c.boost!.note } : {}),
      findings: [...matched].sort(compareBySeverity), ...(c.refs ? { refs: c.refs } : {}), order,
    });
  }
  found.sort((a, b) => b.score - a.score || RANK[a.severity] - RANK[b.severity] || b.findings.length - a.findings.length || a.order - b.order);
  const rest = findings.filter((f) => !used.has(f));
  return {
    symptom,
    causes: found.map(({ order: _order, ...c }, i) => ({ rank: i + 1, ...c })),
    couldNotCheck: rest.filter((f) => f.severity === 'unknown'),
    otherProblems: rest.filter((f) => f.severity === 'warning' || f.severity === 'critical').sort(compareBySeverity),
    notes: rest.filter((f) => f.severity === 'info'),
    fine: rest.filter((f) => f.severity === 'ok'),
  };
}

function roleMatches(c: CauseDef, f: DoctorFinding): boolean {
  return !c.roles || !f.role || c.roles.includes(f.role);
}

/** By default a cause uses problems and notes, never "ok" and never "could not tell". */
function accepted(c: CauseDef, f: DoctorFinding): boolean {
  if (c.accept) return c.accept(f);
  return f.severity !== 'ok' && f.severity !== 'unknown';
}
