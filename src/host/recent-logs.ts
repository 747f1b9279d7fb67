// The recent log problems for `check --local`: the same reading, summary and detectors as
// `mxdoctor logs` (src/logs), limited to the last 24 hours unless told otherwise.
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import { LOGS_FINDINGS } from '../logs/detectors.js';
import type { HostFs } from '../io/host-fs.js';
import { Analyser } from '../logs/analyse.js';
import { buildLogReport } from '../logs/report.js';
import { resolveSources } from '../logs/sources.js';

export interface LogsResult {
  files: string[];
  lines: number;
  /** Lines inside the time window. */
  considered: number;
  findings: Finding[];
  warnings: string[];
}

/** Reads files (already known to exist) and runs the logs detectors; `since` in wall-clock seconds. */
export type LogReader = (files: string[], since: number, nowMs: number) => Promise<LogsResult>;

export const readRecentLogs: LogReader = async (files, since, nowMs) => {
  const an = new Analyser({ since });
  await an.read(resolveSources(files));
  const report = buildLogReport(an.a, 5, nowMs);
  const considered = an.a.lines - an.a.filtered;
  // A quiet server logs nothing in the window: nothing to read is no problem here (the logs
  // command says "unknown" because the user named the input); lines not understood still are.
  const quiet = considered === 0;
  const findings = report.findings
    .map((f) => (quiet && f.id === 'logs.nothing-understood' ? finding(LOGS_FINDINGS.ok) : f))
    .map((f) => (f.id === 'logs.no-problems' && !f.detail ? { ...f, detail: `${considered} log lines in the time window, ${an.a.parsed} understood` } : f));
  return { files, lines: an.a.lines, considered, findings, warnings: an.a.warnings };
};

/** The system logs a Debian/RHEL/Exim host writes mail to, in the order tried. */
export const SYSTEM_LOGS = ['/var/log/mail.log', '/var/log/maillog', '/var/log/exim4/mainlog', '/var/log/exim/main.log', '/var/log/exim/mainlog'];

/**
 * The logs to read when none is named: Postfix's own maillog_file(s) (Postfix ≥ 3.4 without
 * syslog) and the first readable system log. Unreadable candidates are skipped.
 */
export function defaultLogs(fs: HostFs, fromConfig: string[]): string[] {
  const readable = (p: string) => { try { fs.readFile(p, 1); return true; } catch { return false; } };
  const own = fromConfig.filter((p) => p.startsWith('/') && !p.startsWith('/dev/') && readable(p));
  const system = SYSTEM_LOGS.find(readable);
  return [...new Set([...own, ...(system ? [system] : [])])];
}
