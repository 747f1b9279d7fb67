// A log target's run: the detectors of `mxdoctor logs` (src/logs/detectors.ts) over the
// window, plus the watch's own findings, as a Report stored and alerted on like any target's.
// report.facts.logwatch carries the window's summary for the API and the history.
import { finding, type Finding } from '../../core/finding.js';
import { operationReport, type Report } from '../../core/report.js';
import { buildLogReport } from '../../logs/report.js';
import type { TimeFormat } from '../../logs/types.js';
import { LOGWATCH_FINDINGS } from './findings.js';
import type { LogWatch } from './watch.js';

const FORMS: Record<string, TimeFormat[]> = {
  syslog: ['rfc3164', 'rfc3339', 'rfc5424'], 'journald-json': ['journald-json'], exim: ['exim'], dovecot: ['dovecot'],
};

export interface LogWatchFacts {
  window: { from: string; to: string; lines: number; parsed: number; unparsed: number; foreign: number };
  totals: ReturnType<typeof buildLogReport>['totals'];
  files: ReturnType<LogWatch['files']>;
  counters: Record<string, number>;
}

/** peek: a look for the API that leaves the once-only notes for the next run's report. */
export function judge(w: LogWatch, nowMs: number, startedMs: number, peek = false): Report {
  const j = w.window.judged();
  const out: Finding[] = [];
  const files = w.files();
  for (const f of files) {
    if (f.error) out.push(finding(LOGWATCH_FINDINGS.unreadable, { subject: f.path, detail: f.error }));
    else if (!f.exists && f.offset === null) out.push(finding(LOGWATCH_FINDINGS.missing, { subject: f.path, detail: `${f.path} does not exist (yet); it is read from its start once it appears.` }));
  }
  for (const n of peek ? w.notes : w.notes.splice(0)) out.push(finding(LOGWATCH_FINDINGS.missed, { detail: n }));
  let facts: LogWatchFacts | undefined;
  if (j) {
    const r = buildLogReport(j.analysis, 10, nowMs);
    const a = j.analysis;
    const quiet = a.lines === 0;
    // An empty window is "nothing new was logged", not "could not tell": the files are read.
    const detected = r.findings.filter((f) => !(quiet && f.id === 'logs.nothing-understood'));
    if (quiet && files.some((f) => f.offset !== null)) detected.push(finding(LOGWATCH_FINDINGS.quiet, { detail: `No new lines since ${new Date(j.fromMs).toISOString()}.` }));
    out.push(...detected);
    const want = FORMS[w.target.logs!.format];
    if (want) {
      const other = Object.entries(a.formats).filter(([k, n]) => n && !want.includes(k as TimeFormat));
      if (other.length) out.push(finding(LOGWATCH_FINDINGS.format, { detail: `log_format is ${w.target.logs!.format}, but ${other.map(([k, n]) => `${n} line(s) are ${k}`).join(', ')}.`, evidence: { formats: a.formats } }));
    }
    facts = {
      window: { from: new Date(j.fromMs).toISOString(), to: new Date(nowMs).toISOString(), lines: a.lines, parsed: a.parsed, unparsed: a.unparsed, foreign: r.lines.foreign },
      totals: r.totals, files, counters: { ...w.counters },
    };
  }
  return operationReport({
    target: w.target.name, kind: 'local', startedAt: new Date(startedMs), durationMs: Math.max(0, nowMs - startedMs),
    parts: [{ check: 'logs', area: 'Logs', findings: out }],
    ...(facts ? { facts: { logwatch: facts } } : {}),
  });
}
