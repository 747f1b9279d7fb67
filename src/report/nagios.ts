// Nagios/Icinga plugin output (monitoring-plugins development guidelines): one status line
// "MXDOCTOR <STATE> - text | perfdata", then long text, one problem per line. Exit code
// 0/1/2/3 from the worst report, or from the compliance profile when one was evaluated.
import type { Report } from '../core/report.js';
import { compareBySeverity, worstExitCode } from '../core/finding.js';
import { complianceOf } from '../compliance/evaluate.js';
import { countsLine, isProblem, overview } from './summary.js';

const STATE = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

export interface NagiosOutput { text: string; exitCode: number }

export function renderNagios(reports: Report[]): NagiosOutput {
  const ov = overview(reports);
  const compliance = reports.map(complianceOf).filter((c) => c !== undefined);
  const exitCode = compliance.length ? worstExitCode(compliance.map((c) => c.exitCode)) : ov.exitCode;
  // Long text: the most serious problems first across all targets (a stable sort keeps target order within a severity).
  const problems = reports.flatMap((r) => r.findings.filter((f) => isProblem(f.severity)).map((f) => ({ r, f, severity: f.severity })))
    .sort(compareBySeverity);
  let summary: string;
  if (!reports.length) summary = 'no reports in the input';
  else if (reports.length === 1) {
    const top = problems.slice(0, 3).map(({ f }) => f.title);
    summary = `${reports[0]!.target}: ${countsLine(ov.findings)}${top.length ? `: ${top.join('; ')}${problems.length > 3 ? '; …' : ''}` : ''}`;
  } else {
    const bad = Object.entries({ critical: ov.byStatus.critical, warning: ov.byStatus.warning, unknown: ov.byStatus.unknown }).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`);
    summary = `${reports.length} targets${bad.length ? `: ${bad.join(', ')}` : ', all ok'}`;
  }
  if (compliance.length) {
    const fail = compliance.reduce((n, c) => n + c.counts.fail, 0);
    const ne = compliance.reduce((n, c) => n + c.counts['not-evaluated'], 0);
    summary += `; profile ${compliance[0]!.profile}: ${fail} control${fail === 1 ? '' : 's'} failed${ne ? `, ${ne} not evaluated` : ''}`;
  }
  const perf = [
    perfdata('targets', reports.length),
    perfdata('critical', ov.findings.critical), perfdata('warning', ov.findings.warning), perfdata('unknown', ov.findings.unknown),
    perfdata('info', ov.findings.info), perfdata('ok', ov.findings.ok),
    perfdata('time', Math.max(0, ...reports.map((r) => r.durationMs)) / 1000, 's'),
  ];
  if (compliance.length) {
    perf.push(perfdata('controls_failed', compliance.reduce((n, c) => n + c.counts.fail, 0)));
    perf.push(perfdata('controls_not_evaluated', compliance.reduce((n, c) => n + c.counts['not-evaluated'], 0)));
  }
  const long = problems.map(({ r, f }) => `[${f.severity.toUpperCase()}] ${r.target}: ${f.title}${f.subject ? ` (${f.subject})` : ''} ${f.id}`);
  for (const c of compliance) for (const ctl of c.controls) if (ctl.status !== 'pass') long.push(`[${ctl.status === 'fail' ? 'FAIL' : 'NOT EVALUATED'}] ${c.profile}/${ctl.id}: ${ctl.reason}`);
  const first = `MXDOCTOR ${STATE[exitCode]} - ${clean(summary)} | ${perf.join(' ')}`;
  return { text: `${[first, ...long.map(clean)].join('\n')}\n`, exitCode };
}

/** `'label'=value[UOM];warn;crit;min;max`: counts have a minimum of 0 and no thresholds here. */
function perfdata(label: string, value: number, uom = ''): string {
  const l = /^[A-Za-z0-9_]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
  return `${l}=${Number.isInteger(value) ? value : value.toFixed(3)}${uom};;;0;`;
}

/** The text part must not hold "|" (it starts perfdata) or a line break (it starts long text). */
function clean(s: string): string {
  return s.replace(/\|/g, '/').replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
}
