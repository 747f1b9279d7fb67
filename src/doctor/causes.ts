// The cause knowledge table of `mxdoctor doctor`: every known cause, from the DNS to the
// servers, the sending side, mail apps and the mail log, in a priori order (ties keep it).
import type { CauseDef } from './cause-types.js';
import type { Symptom } from './symptoms.js';
import { DNS_CAUSES } from './causes-dns.js';
import { SERVER_CAUSES } from './causes-server.js';
import { SLOW_CAUSES } from './causes-slow.js';
import { AUTH_CAUSES } from './causes-auth.js';
import { CLIENT_CAUSES } from './causes-clients.js';
import { LOG_CAUSES } from './causes-logs.js';

export const CAUSES: readonly CauseDef[] = [...DNS_CAUSES, ...SERVER_CAUSES, ...SLOW_CAUSES, ...AUTH_CAUSES, ...CLIENT_CAUSES, ...LOG_CAUSES];

/** The causes that can produce the symptom (base or boosted weight). */
export function causesFor(symptom: Symptom, table: readonly CauseDef[] = CAUSES): CauseDef[] {
  return table.filter((c) => c.weight[symptom] !== undefined || c.boost?.weight[symptom] !== undefined);
}

/** The explanation of a cause for one symptom. */
export function whyFor(c: CauseDef, symptom: Symptom): string {
  if (typeof c.why === 'string') return c.why;
  return c.why[symptom] ?? Object.values(c.why)[0] ?? '';
}
