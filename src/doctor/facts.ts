// facts.doctor of the report: the ranked causes with their evidence, what could not be
// checked, other problems and what was fine, as plain data, so renderers (text, JSON, the
// monitor later) need nothing but the report.
import type { Severity } from '../core/finding.js';
import type { Role } from '../checks/server/endpoints.js';
import type { DoctorFinding } from './cause-types.js';
import type { LogFindings } from './log-findings.js';
import type { Diagnosis, Likelihood } from './rank.js';
import { SYMPTOM_DEFS } from './symptoms.js';

export interface FindingRef {
  id: string;
  severity: Severity;
  title: string;
  subject?: string;
  detail?: string;
  remediation?: string;
}

export interface DoctorCauseFacts {
  rank: number;
  id: string;
  title: string;
  likelihood: Likelihood;
  score: number;
  weight: number;
  severity: Severity;
  why: string;
  fix: string;
  note?: string;
  /** The finding ids that point at the cause (each once). */
  evidence: string[];
  evidenceFindings: FindingRef[];
  refs?: string[];
}

export interface DoctorFacts {
  symptom: string;
  description: string;
  families: string[];
  roles: Role[];
  causes: DoctorCauseFacts[];
  couldNotCheck: FindingRef[];
  otherProblems: FindingRef[];
  notes: FindingRef[];
  /** ok findings by id, with counts. */
  fine: Record<string, number>;
  /** Findings about services this symptom does not involve (left out). */
  otherServices: number;
  serversProbed: boolean;
  sendingIp?: string;
  logs?: { files: string[]; lines: number; warnings: string[] };
  nextSteps: string[];
}

export function doctorFacts(d: Diagnosis, meta: {
  families: string[]; roles: Role[]; otherServices: number; probed: boolean; sendingIp?: string; logs?: LogFindings;
}): DoctorFacts {
  const fine: Record<string, number> = {};
  for (const f of d.fine) fine[f.id] = (fine[f.id] ?? 0) + 1;
  const def = SYMPTOM_DEFS[d.symptom];
  return {
    symptom: d.symptom,
    description: def.title,
    families: meta.families,
    roles: meta.roles,
    causes: d.causes.map((c) => ({
      rank: c.rank, id: c.id, title: c.title, likelihood: c.likelihood, score: c.score, weight: c.weight, severity: c.severity,
      why: c.why, fix: c.fix, ...(c.note ? { note: c.note } : {}),
      evidence: [...new Set(c.findings.map((f) => f.id))], evidenceFindings: c.findings.map(ref),
      ...(c.refs ? { refs: c.refs } : {}),
    })),
    couldNotCheck: d.couldNotCheck.map(ref),
    otherProblems: d.otherProblems.map(ref),
    notes: d.notes.map(ref),
    fine,
    otherServices: meta.otherServices,
    serversProbed: meta.probed,
    ...(meta.sendingIp ? { sendingIp: meta.sendingIp } : {}),
    ...(meta.logs ? { logs: { files: meta.logs.files, lines: meta.logs.lines, warnings: meta.logs.warnings } } : {}),
    nextSteps: def.nextSteps,
  };
}

function ref(f: DoctorFinding): FindingRef {
  const r: FindingRef = { id: f.id, severity: f.severity, title: f.title };
  if (f.subject !== undefined) r.subject = f.subject;
  if (f.detail !== undefined) r.detail = f.detail;
  if (f.remediation !== undefined) r.remediation = f.remediation;
  return r;
}
