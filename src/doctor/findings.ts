// Finding ids of `mxdoctor doctor` itself: each likely cause it ranks, "no cause found",
// and one fact only the diagnosis looks at (no SRV records for mail apps to discover).
import type { FindingDef } from '../core/finding.js';

export const DOCTOR_FINDINGS = {
  cause: {
    id: 'doctor.cause', severity: 'warning', title: 'A likely cause of the symptom',
    meaning: 'The findings of the checks run for the symptom match a known cause. The severity is the worst of its evidence; the detail gives the rank, the likelihood (high, medium or low: the cause\'s weight for the symptom times the severity of its evidence, see docs/doctor.md) and the evidence ids.',
    remediation: 'Apply the fix shown with the cause, most likely cause first, then run the doctor again.',
  },
  noCause: {
    id: 'doctor.no-cause-found', severity: 'info', title: 'No likely cause found by the checks',
    meaning: 'No finding of the checks run for the symptom matches a known cause. Either the cause is outside what DNS and server probes can see (the server\'s queue, disk, logs, the message content), or a check could not be made (see the unknown findings).',
  },
  srvMissing: {
    id: 'doctor.srv-missing', severity: 'info', title: 'No SRV records for mail apps to find the servers',
    meaning: 'None of _submission._tcp, _submissions._tcp, _imap._tcp, _imaps._tcp, _pop3._tcp, _pop3s._tcp is published (RFC 6186, RFC 8314 §5.1), and the MX hosts do not offer the missing service either, so automatic account setup has nothing to find.',
    remediation: 'Publish SRV records naming the submission and IMAP servers, e.g. "_submissions._tcp SRV 0 1 465 mail.<domain>." and "_imaps._tcp SRV 0 1 993 mail.<domain>.".',
    refs: ['RFC 6186 §3', 'RFC 8314 §5.1'],
  },
} satisfies Record<string, FindingDef>;
