// The recent log problems for `check --local`: which logs a host writes, and the reader's
// shape. The reading is the logs service's one pipeline (services/logs.ts readRecentLogs),
// limited to the last 24 hours unless told otherwise.
import type { Finding } from '../core/finding.js';
import type { HostFs } from '../io/host-fs.js';

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
