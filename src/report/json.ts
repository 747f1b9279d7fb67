// The canonical JSON document (always a list of reports) and NDJSON for bulk runs.
import type { Report, ReportDocument } from '../core/report.js';
import { REPORT_SCHEMA } from '../core/report.js';
import { exitCodeFor, worstExitCode } from '../core/finding.js';
import { VERSION } from '../version.js';

export function toDocument(reports: Report[], now = new Date()): ReportDocument {
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'mxdoctor', version: VERSION },
    generatedAt: now.toISOString(),
    exitCode: worstExit(reports),
    reports,
  };
}

export function renderJson(reports: Report[]): string {
  return `${JSON.stringify(toDocument(reports), null, 2)}\n`;
}

/** One report per line; each line is a complete Report carrying the schema id. */
export function renderNdjsonLine(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}

export function worstExit(reports: Report[]): number {
  return worstExitCode(reports.map((r) => r.exitCode));
}

export { exitCodeFor };
