// `mxdoctor capacity <logs...>`: flags → the capacity service → the volume, peak hour, growth
// trend and projection (text or the report as JSON). Nothing to plan from is "could not tell"
// (exit 3) in one line, not a table of zeros.
import type { CapacityFacts } from '../../services/capacity.js';
import { capacityReport } from '../../services/capacity.js';
import { renderCapacityText } from '../../report/capacity-text.js';
import { renderJson } from '../../report/json.js';
import { logInputs } from '../log-inputs.js';
import { useColor, write, writeErr } from '../output.js';

export interface CapacityOptions {
  json?: boolean;
  color?: boolean;
  months?: number;
  since?: string;
  until?: string;
  syslogName?: string[];
  year?: number;
  /** --deadline, ms. */
  deadline?: number;
}

export async function capacityCommand(files: string[], o: CapacityOptions): Promise<number> {
  const inputs = await logInputs('capacity', files);
  const report = await capacityReport(inputs, { since: o.since, until: o.until, syslogNames: o.syslogName, year: o.year, months: o.months, deadlineMs: o.deadline });
  const f = report.facts!.capacity as CapacityFacts;
  for (const w of f.input.warnings) writeErr(`mxdoctor: capacity: ${w}\n`);
  if (o.json) write(renderJson([report]));
  else if ('reason' in f) write(`Mail capacity  UNKNOWN: ${f.reason}\n`);
  else write(renderCapacityText(f, { color: useColor(o), lines: f.input.lines }));
  return report.exitCode;
}
