// `mxdoctor doctor <symptom> <domain>`: run the checks that matter for a symptom and print
// the likely causes ranked, with evidence and fix. Exit code: the worst relevant finding.
import { UsageError } from '../../core/errors.js';
import { diagnose } from '../../services/doctor.js';
import type { DiagnoseOptions } from '../../services/doctor.js';
import { SYMPTOMS, isSymptom } from '../../doctor/symptoms.js';
import { renderDoctorText } from '../../report/doctor-text.js';
import type { Report } from '../../core/report.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import type { OutputOptions } from '../output.js';
import { useColor, write } from '../output.js';

export interface DoctorCommandOptions extends DiagnoseOptions, OutputOptions {}

export async function doctorCommand(symptom: string, domain: string, o: DoctorCommandOptions): Promise<number> {
  if (!isSymptom(symptom)) throw new UsageError(`doctor: unknown symptom "${symptom}"; give one of ${SYMPTOMS.join(', ')}`);
  const [report] = await diagnose(domain, symptom, o) as [Report];
  if (o.json) write(renderJson([report]));
  else {
    const color = useColor(o);
    write(renderDoctorText(report, { color }));
    // -v: every finding of the run as `mxdoctor check` shows them, evidence included.
    if (o.verbose) write(renderText([report], { color, verbose: true }));
  }
  return report.exitCode;
}
