// The --log input of `mxdoctor doctor`: the same reading and detectors as `mxdoctor logs`,
// reduced to their findings (blocklist refusals, port 25 timeouts, full disks...).
import type { Finding } from '../core/finding.js';
import { UsageError } from '../core/errors.js';
import { Analyser } from '../logs/analyse.js';
import { resolveSources } from '../logs/sources.js';
import { buildLogReport } from '../logs/report.js';

export interface LogFindings {
  findings: Finding[];
  /** Files actually read, oldest first (rotated sets in order). */
  files: string[];
  lines: number;
  warnings: string[];
}

export async function readLogFindings(files: string[], nowMs = Date.now()): Promise<LogFindings> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('doctor: --log - (stdin) can be given only once');
  const sources = resolveSources(files);
  const an = new Analyser({});
  const a = await an.read(sources);
  const report = buildLogReport(a, 10, nowMs);
  return { findings: report.findings, files: sources.map((s) => s.path), lines: a.lines, warnings: a.warnings };
}
