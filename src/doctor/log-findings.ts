// The --log input of `mxdoctor doctor`: the same reading and detectors as `mxdoctor logs`
// (services/logs.ts, injected by the doctor service), reduced to their findings
// (blocklist refusals, port 25 timeouts, full disks...).
import type { Finding } from '../core/finding.js';

export interface LogFindings {
  findings: Finding[];
  /** Files actually read, oldest first (rotated sets in order). */
  files: string[];
  lines: number;
  warnings: string[];
}

/** Reads the named logs (`-` for stdin) and returns the detectors' findings. */
export type LogFindingsReader = (files: string[]) => Promise<LogFindings>;
