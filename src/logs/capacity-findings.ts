// `mxdoctor capacity` as findings: a projection needs messages to project from; without any,
// the answer is "could not tell" (exit 3), never a table of zeros projected from 1970.
import type { FindingDef } from '../core/finding.js';

export const CAPACITY_FINDINGS = {
  projected: {
    id: 'capacity.projected', severity: 'ok', title: 'Mail volume measured and projected',
    meaning: 'The logs record messages received or delivered: the daily volume, peak hour, trend and projection are in the report.',
  },
  noVolume: {
    id: 'capacity.no-volume', severity: 'unknown', title: 'No mail volume to plan from',
    meaning: 'The input is empty, is not a mail log, every line was outside --since/--until, or no line records a message received or delivered: there is nothing to measure or project.',
    remediation: 'Point mxdoctor capacity at the mail log (/var/log/mail.log*, rotated .gz files included) covering at least a week, or widen --since/--until.',
  },
} as const satisfies Record<string, FindingDef>;
