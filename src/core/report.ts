// The one report model. JSON output is this, versioned; every renderer reads it.
import type { Area } from './check.js';
import type { Finding, Severity } from './finding.js';
import { compareBySeverity, exitCodeFor, worstSeverity } from './finding.js';

/**
 * v1 since the first release. Additions within v1 (readers must accept them): a check's
 * status may be `skipped` with a `reason` (the family did not run: server probes off, or the
 * overall deadline passed first).
 */
export const REPORT_SCHEMA = 'mxdoctor.report/v1';

export interface ReportedFinding extends Finding {
  area: Area;
  check: string;
}

export interface CheckRun {
  check: string;
  area: Area;
  durationMs: number;
  /** The worst severity of its findings, or `skipped`: it did not run (never `ok`). */
  status: Severity | 'skipped';
  /** Why it was skipped. */
  reason?: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  target: string;
  kind: ReportKind;
  /** Worst severity after --ignore. */
  status: Severity;
  exitCode: number;
  startedAt: string;
  durationMs: number;
  findings: ReportedFinding[];
  checks: CheckRun[];
  /** Finding ids the user asked to ignore that did occur, with counts. */
  ignored: Record<string, number>;
  /** Distinct DNS questions this target's checks asked (answered from the shared cache or the wire). */
  dnsQueries?: number;
  /**
   * The structured result of an operation, beside its findings: a send's steps and timings,
   * a round trip's delivery time and folder, queue counts. Keyed by the operation
   * (`send`, `roundtrip`, `queue`, `local`, `doctor`, `logs`, `capacity`, `trace`), so that the monitor, metrics and the
   * dashboard read one model. Never holds a secret.
   */
  facts?: Record<string, unknown>;
}

/**
 * What a report is about: a domain audit, a server endpoint, an address in blacklists, or an
 * operation (a test send, a round trip, a mail queue, the local host, a symptom diagnosis, a
 * mail log summary, a capacity projection, a message traced through the logs).
 */
export type ReportKind = 'domain' | 'host' | 'address' | 'send' | 'roundtrip' | 'queue' | 'local' | 'doctor' | 'load' | 'maildir'
  | 'logs' | 'capacity' | 'trace';

/** The JSON document for one run: always a list of reports, even for one target. */
export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'mxdoctor'; version: string };
  generatedAt: string;
  exitCode: number;
  reports: Report[];
}

/** One group of findings of an operation, shown under its area like a check's. */
export interface OperationPart {
  /** The family of the findings (`send`, `roundtrip`, `queue`, `host`...). */
  check: string;
  area: Area;
  findings: Finding[];
  durationMs?: number;
  /** Why this part did not run (its status is then `skipped`, never `ok`). */
  skipped?: string;
}

/**
 * The report of an operation (send, roundtrip, queue, check --local, doctor): the same model
 * as a domain audit, so the renderers, the exit code and later the monitor's history treat
 * both alike. `ignore` drops ids like `--ignore` does for checks.
 */
export function operationReport(op: {
  target: string;
  kind: ReportKind;
  startedAt: Date;
  durationMs: number;
  parts: OperationPart[];
  facts?: Record<string, unknown>;
  ignore?: (id: string) => boolean;
}): Report {
  const ignored: Record<string, number> = {};
  const findings: ReportedFinding[] = [];
  for (const part of op.parts) {
    for (const f of part.findings) {
      if (op.ignore?.(f.id)) {
        ignored[f.id] = (ignored[f.id] ?? 0) + 1;
        continue;
      }
      findings.push({ ...f, area: part.area, check: part.check });
    }
  }
  findings.sort(compareBySeverity);
  const severities = findings.map((f) => f.severity);
  const report: Report = {
    schema: REPORT_SCHEMA,
    target: op.target,
    kind: op.kind,
    status: worstSeverity(severities),
    exitCode: exitCodeFor(severities),
    startedAt: op.startedAt.toISOString(),
    durationMs: Math.round(op.durationMs),
    findings,
    checks: op.parts.map((p): CheckRun => (p.skipped !== undefined
      ? { check: p.check, area: p.area, durationMs: 0, status: 'skipped', reason: p.skipped }
      : { check: p.check, area: p.area, durationMs: Math.round(p.durationMs ?? 0), status: worstSeverity(p.findings.map((f) => f.severity)) })),
    ignored,
  };
  if (op.facts) report.facts = op.facts;
  return report;
}
