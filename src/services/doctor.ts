// Service: diagnose a symptom of a domain (`mxdoctor doctor`): the symptom's check families,
// the mail log's findings and the ranked causes, in one Report, under one overall deadline.
import type { Report } from '../core/report.js';
import { runDoctor } from '../doctor/run.js';
import type { DoctorOptions } from '../doctor/run.js';
import type { Symptom } from '../doctor/symptoms.js';
import { logFindings } from './logs.js';
import { withResolver, withRunDeadline } from './resources.js';
import type { RunLimits } from './resources.js';

export type DiagnoseOptions = DoctorOptions & RunLimits;

export function diagnose(domain: string, symptom: Symptom, o: DiagnoseOptions): Promise<Report[]> {
  return withRunDeadline('doctor', o, (signal) => withResolver(o, async (resolver) => [await runDoctor(domain, symptom, { readLogs: logFindings, ...o, resolver, signal })]));
}
