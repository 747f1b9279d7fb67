// Service: mail logs. The one pipeline (sources in time order → read, on two threads when big
// → summary → the detectors' findings) behind `mxdoctor logs`, `doctor --log` and the recent
// log problems of `check --local`; `logs` gets it as one Report with the summary in facts.logs.
import { UsageError } from '../core/errors.js';
import { finding } from '../core/finding.js';
import { operationReport, type OperationPart, type Report } from '../core/report.js';
import { RUNNER_FINDINGS } from '../core/runner.js';
import { cutStdinOn } from '../io/files.js';
import { systemClock } from '../io/clock.js';
import type { AnalyseOptions, Analysis } from '../logs/analyse.js';
import { LOGS_FINDINGS } from '../logs/detectors.js';
import { analyseSources } from '../logs/parallel.js';
import type { LogReport } from '../logs/report.js';
import { resolveSources, type LogSource } from '../logs/sources.js';
import { parseTimeBound } from '../logs/time-range.js';
import type { LogFindings } from '../doctor/log-findings.js';
import type { LogReader } from '../host/recent-logs.js';
import { withRunDeadline, type RunLimits } from './resources.js';

/** What every log operation (logs, capacity, trace) takes besides the files. */
export interface LogReadOptions extends RunLimits {
  /** `--since` / `--until` as written (a date, a time, `2h`...). */
  since?: string;
  until?: string;
  /** Extra syslog names that are Postfix (pflogsumm --syslog-name). */
  syslogNames?: string[];
  /** The year of stdin's year-less timestamps (default: this year). */
  year?: number;
  /** "Now" for relative bounds and the report's time (tests freeze it). */
  nowMs?: number;
}

export interface LogsOptions extends LogReadOptions {
  /** Rows per table (default 10). */
  top?: number;
  /** Unparsed lines kept as samples (default 20). */
  unparsedSamples?: number;
  /** Keep reading as the files grow (and across rotations) until the signal or the deadline fires. */
  follow?: boolean;
}

/** The facts of a `logs` report: the summary as `logs --json` gave it before (schema mxdoctor.logs/v1), findings aside. */
export type LogsFacts = Omit<LogReport, 'schema' | 'findings'>;

export interface LogsRead {
  sources: LogSource[];
  analysis: Analysis;
  logs: LogReport;
}

/** The time window and reader options every log operation shares; a bad bound is a usage error. */
export function readerOptions(command: string, o: LogReadOptions, nowMs: number): AnalyseOptions {
  const since = o.since ? parseTimeBound('--since', o.since, nowMs) : undefined;
  const until = o.until ? parseTimeBound('--until', o.until, nowMs) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new UsageError(`${command}: --since is after --until`);
  return { since, until, syslogNames: o.syslogNames, stdinMtimeMs: o.year ? Date.UTC(o.year, 11, 31) : undefined };
}

/** Files (`-` for stdin, globs, rotated sets) in the order they are read; a missing file is a usage error. */
export function logSources(command: string, files: string[], follow = false): LogSource[] {
  const sources = resolveSources(files);
  if (follow && sources.at(-1)?.path === '-') throw new UsageError(`${command}: --follow needs a file, not stdin`);
  return sources;
}

/** The one pipeline: read the sources, summarise, run the detectors. */
export async function readLogs(sources: LogSource[], reader: AnalyseOptions, top: number, nowMs: number): Promise<LogsRead> {
  const analysis = await analyseSources(sources, reader);
  // The report and the knowledge base behind it (≈ 6 MB) load after the reading, when the
  // reader threads are gone: they would add to the peak memory (docs/logs.md).
  const { buildLogReport } = await import('../logs/report.js');
  return { sources, analysis, logs: buildLogReport(analysis, top, nowMs) };
}

/**
 * Runs a log read under the operation's signal. A plain file is read to its end (it cannot
 * hang); stdin is cut when the signal fires (a pipe that never closes). Following ends
 * normally on the signal (Ctrl-C, or --deadline as "follow for this long"); otherwise a read
 * cut by the deadline adds `run.deadline`: the report covers the lines read before it.
 */
export async function underDeadline<T>(sources: LogSource[], signal: AbortSignal, follow: boolean | undefined, read: () => Promise<T>): Promise<{ result: T; cut?: OperationPart }> {
  const release = !follow && sources.some((s) => s.path === '-') ? cutStdinOn(signal) : () => undefined;
  try {
    const result = await read();
    if (follow || !signal.aborted) return { result };
    const why = signal.reason instanceof Error ? signal.reason.message : 'cancelled';
    return { result, cut: { check: 'run', area: 'Run', findings: [finding(RUNNER_FINDINGS.deadline, { detail: `${why} while reading the logs: the report covers only the lines read before it.` })] } };
  } finally {
    release();
  }
}

/** What a log report is about: its files, or stdin. */
export function logTarget(sources: LogSource[]): string {
  return sources.map((s) => (s.path === '-' ? 'stdin' : s.path)).join(', ') || 'stdin';
}

/** `mxdoctor logs`: the summary (facts.logs) and the detectors' findings as one Report. */
export function logsReport(files: string[], o: LogsOptions = {}): Promise<Report> {
  return withRunDeadline('logs', o, async (signal) => {
    const nowMs = o.nowMs ?? systemClock.now();
    const t0 = performance.now();
    const reader = readerOptions('logs', o, nowMs);
    const sources = logSources('logs', files, o.follow);
    const { result: read, cut } = await underDeadline(sources, signal, o.follow, () => readLogs(sources, {
      ...reader, unparsedSamples: o.unparsedSamples, follow: o.follow ? { signal } : undefined,
    }, o.top ?? 10, nowMs));
    const { schema: _schema, findings, ...facts } = read.logs;
    return operationReport({
      target: logTarget(sources), kind: 'logs', startedAt: new Date(nowMs), durationMs: performance.now() - t0,
      parts: [{ check: 'logs', area: 'Logs', findings }, ...(cut ? [cut] : [])], facts: { logs: facts satisfies LogsFacts },
    });
  });
}

/** `doctor --log`: the same reading and detectors, reduced to their findings. */
export async function logFindings(files: string[], nowMs = systemClock.now()): Promise<LogFindings> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('doctor: --log - (stdin) can be given only once');
  const r = await readLogs(logSources('doctor', files), {}, 10, nowMs);
  return { findings: r.logs.findings, files: r.sources.map((s) => s.path), lines: r.analysis.lines, warnings: r.analysis.warnings };
}

/** `check --local`: the recent log problems, `since` in wall-clock seconds. */
export const readRecentLogs: LogReader = async (files, since, nowMs) => {
  const { analysis: a, logs } = await readLogs(logSources('check --local', files), { since }, 5, nowMs);
  const considered = a.lines - a.filtered;
  // A quiet server logs nothing in the window: nothing to read is no problem here (the logs
  // command says "unknown" because the user named the input); lines not understood still are.
  const quiet = considered === 0;
  const findings = logs.findings
    .map((f) => (quiet && f.id === 'logs.nothing-understood' ? finding(LOGS_FINDINGS.ok) : f))
    .map((f) => (f.id === 'logs.no-problems' && !f.detail ? { ...f, detail: `${considered} log lines in the time window, ${a.parsed} understood` } : f));
  return { files, lines: a.lines, considered, findings, warnings: a.warnings };
};
