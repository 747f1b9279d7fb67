// The one report model. JSON output is this, versioned; every renderer reads it.
import type { Area } from './check.js';
import type { Finding, Severity } from './finding.js';

export const REPORT_SCHEMA = 'mxdoctor.report/v1';

export interface ReportedFinding extends Finding {
  area: Area;
  check: string;
}

export interface CheckRun {
  check: string;
  area: Area;
  durationMs: number;
  status: Severity;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  target: string;
  kind: 'domain' | 'host' | 'address';
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
}

/** The JSON document for one run: always a list of reports, even for one target. */
export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'mxdoctor'; version: string };
  generatedAt: string;
  exitCode: number;
  reports: Report[];
}
