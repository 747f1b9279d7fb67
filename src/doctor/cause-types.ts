// The shape of the cause knowledge table: which findings point at a cause, how strongly the
// cause produces each symptom (weight 1-3), and conditions that raise or select it.
import type { Role } from '../checks/server/endpoints.js';
import type { ReportedFinding } from '../core/report.js';
import type { Severity } from '../core/finding.js';
import type { Symptom } from './symptoms.js';

/** 3: produces the symptom by itself; 2: often does; 1: can contribute. */
export type Weight = 1 | 2 | 3;
export type Weights = Partial<Record<Symptom, Weight>>;

/** A finding as the doctor sees it: with the role of the endpoint it is about, when it is about one. */
export interface DoctorFinding extends ReportedFinding {
  role?: Role;
}

/** Facts about the whole run that decide whether a cause applies or weighs more. */
export interface RunFacts {
  ids: Set<string>;
  /** MTA-STS policy fetched, valid and in mode enforce (RFC 8461 §5). */
  mtaStsEnforce: boolean;
  /** DNSSEC-validated TLSA records: DANE senders authenticate the MX (RFC 7672 §2.2). */
  dane: boolean;
  /** DMARC p=quarantine or reject (RFC 7489 §6.3). */
  dmarcEnforced: boolean;
  /** At least one MX endpoint answered SMTP. */
  someMxAnswers: boolean;
}

export type Condition = (facts: RunFacts) => boolean;

export interface CauseDef {
  /** Stable cause id (kebab-case), in facts.doctor.causes[].id. */
  id: string;
  title: string;
  /** How the cause produces the symptom; per symptom when it differs. */
  why: string | Partial<Record<Symptom, string>>;
  fix: string;
  /** Finding ids that are evidence of the cause. */
  ids: string[];
  /** Only findings about endpoints of these roles (findings about no endpoint always match). */
  roles?: Role[];
  weight: Weights;
  /** The cause applies only when this holds. */
  when?: Condition;
  /** Raised weights when the condition holds, with the reason shown beside the evidence. */
  boost?: { when: Condition; weight: Weights; note: string };
  /** Score the matching findings as this severity (an info finding that is decisive here). */
  asSeverity?: Severity;
  /**
   * Accept a finding whatever its severity when this holds (default: any severity but ok and
   * unknown). Lets a cause use an unknown finding whose evidence is definite (a 4xx reply).
   */
  accept?: (f: DoctorFinding) => boolean;
  refs?: string[];
}

export const all = (...c: Condition[]): Condition => (f) => c.every((x) => x(f));
export const not = (c: Condition): Condition => (f) => !c(f);
export const mtaStsEnforce: Condition = (f) => f.mtaStsEnforce;
export const dane: Condition = (f) => f.dane;
export const dmarcEnforced: Condition = (f) => f.dmarcEnforced;
export const someMxAnswers: Condition = (f) => f.someMxAnswers;
export const strictTls: Condition = (f) => f.mtaStsEnforce || f.dane;

export function factsOf(findings: ReportedFinding[]): RunFacts {
  const ids = new Set(findings.map((f) => f.id));
  return {
    ids,
    mtaStsEnforce: ids.has('mta-sts.policy-valid') && !ids.has('mta-sts.mode-testing') && !ids.has('mta-sts.mode-none'),
    dane: ids.has('dane.present'),
    dmarcEnforced: ids.has('dmarc.policy-enforced'),
    someMxAnswers: findings.some((f) => f.id === 'smtp.reachable'),
  };
}
