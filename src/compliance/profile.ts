// A compliance profile: named controls, each judged from the findings of a report. A control
// holds only on positive evidence; a control whose evidence is missing or unknown is
// "not evaluated", never "pass".
import type { Severity } from '../core/finding.js';

/** A finding id (`spf.all-pass`), a family (`dmarc`) or a family wildcard (`dmarc.*`). */
export type Matcher = string;

/** The severity at or above which a matched finding fails the control. */
export type FailAt = 'info' | 'warning' | 'critical';

export interface Control {
  id: string;
  title: string;
  /** Matched findings at or above their severity fail the control (unknown ones leave it not evaluated). */
  fail: Record<Matcher, FailAt>;
  /** Findings that show the control holds; at least one must occur for a pass. Default: any matched finding. */
  pass?: Matcher[];
  /** Alternatives: the control passes when any of them passes (e.g. MTA-STS enforce or DANE). */
  anyOf?: Control[];
  /** What a failed control counts as in the exit code (default critical). */
  severity?: 'warning' | 'critical';
}

export interface Profile {
  name: string;
  description?: string;
  controls: Control[];
}

export type ControlStatus = 'pass' | 'fail' | 'not-evaluated';

export interface EvidenceRef {
  id: string;
  severity: Severity;
  title: string;
  subject?: string;
}

export interface ControlResult {
  id: string;
  title: string;
  status: ControlStatus;
  severity: 'warning' | 'critical';
  /** One line: why it passed, failed or could not be evaluated. */
  reason: string;
  evidence: EvidenceRef[];
}

/** report.facts.compliance */
export interface ComplianceFacts {
  profile: string;
  exitCode: number;
  counts: Record<ControlStatus, number>;
  controls: ControlResult[];
}

export function matches(m: Matcher, id: string): boolean {
  if (m.endsWith('.*')) return id.startsWith(m.slice(0, -1));
  if (!m.includes('.')) return id.startsWith(`${m}.`);
  return id === m;
}
