// Finding definitions of the `load` family (`mxdoctor load`).
import type { FindingDef } from '../core/finding.js';

export const LOAD = {
  result: {
    id: 'load.result', severity: 'info', title: 'What the load test measured',
    meaning: 'Messages sent and accepted, the rate in messages per second, connections opened and the average server reply; the per-phase percentiles are in the JSON facts (facts.load.phases) and the text report.',
  },
  withinThresholds: {
    id: 'load.within-thresholds', severity: 'ok', title: 'The server kept up: replies and errors within the thresholds',
    meaning: 'The average server reply stayed under the reply threshold (default 500 ms) and the share of failed messages under the error threshold (default 0.1%) at the concurrency tested.',
  },
  slowReplies: {
    id: 'load.slow-replies', severity: 'warning', title: 'The server answered slowly under load',
    meaning: 'The average server reply (greeting, EHLO, MAIL, RCPT, DATA, end of data) was above the threshold (default 500 ms). Senders wait that long per step; a queue builds up on their side and on the server\'s. The slowest phase is named in the detail: end-of-data is the content filter and the queue write, RCPT the recipient look-ups, the greeting postscreen or an overloaded smtpd pool.',
    remediation: 'Look at the slowest phase: for end-of-data the content filter (spam/virus scanner) and disk; for RCPT the recipient maps (LDAP/SQL); for the greeting the process limit (Postfix default_process_limit) and postscreen. Lower the concurrency to find what it sustains (--ramp).',
  },
  errors: {
    id: 'load.errors', severity: 'warning', title: 'Messages failed under load',
    meaning: 'More messages failed than the error threshold allows (default 0.1%). The errors are grouped by step, reply code and enhanced code, each explained. Critical from 10%.',
    remediation: 'Read the groups: 4xx are the server saying "later" (limits, overload), 5xx refusals (relay, recipients, size), timeouts and resets an overloaded or filtering server. Fix the cause, or test at the concurrency it sustains (--ramp).',
    refs: ['RFC 5321 §4.2', 'RFC 3463'],
  },
  throttled: {
    id: 'load.throttled', severity: 'warning', title: 'The server throttled the load (temporary refusals)',
    meaning: 'The server answered with temporary refusals (421 closing the connection, 450/451/452 deferrals), and with --ramp their share grew with the concurrency: a connection or rate limit (Postfix smtpd_client_connection_rate_limit, anvil, postscreen; Exim smtp_accept_max_per_host; a policy service) or overload. Real senders would queue and retry.',
    remediation: 'If the limit is yours and deliberate, test below it; if real senders hit it too, raise it (Postfix smtpd_client_*_rate_limit, default_process_limit) or add capacity. Exempt trusted senders from the rate limits (Postfix smtpd_client_event_limit_exceptions).',
    refs: ['RFC 5321 §4.2.2', 'RFC 5321 §4.5.4.1'],
  },
  greetingDelay: {
    id: 'load.greeting-delay', severity: 'warning', title: 'The greeting came late under load',
    meaning: 'The time from the connection to the 220 greeting was long (90th percentile over 1 s), or with --ramp it grew several times over as the concurrency rose. A deliberate greeting delay (postscreen\'s greet action, a tarpit) or all smtpd processes busy, so new connections wait in the listen queue.',
    remediation: 'Postfix: compare default_process_limit with the concurrency; postscreen_greet_wait delays on purpose. Exim: smtp_accept_max and smtp_accept_queue. Raise the process limit if the machine has room.',
    refs: ['RFC 5321 §4.5.3.2.1'],
  },
  knee: {
    id: 'load.knee', severity: 'info', title: 'The knee: the concurrency past which the rate stops growing',
    meaning: 'With --ramp: the lowest concurrency that reached 90% of the best rate seen while replies and errors stayed within the thresholds. More connections than this add waiting, not throughput.',
  },
  noKnee: {
    id: 'load.no-knee', severity: 'warning', title: 'No concurrency kept within the thresholds',
    meaning: 'With --ramp: even the lowest step had replies slower or errors more frequent than the thresholds, so there is no rate the server sustains cleanly from here.',
    remediation: 'Read load.errors and load.slow-replies; fix them before looking for a rate.',
  },
  rampCutShort: {
    id: 'load.ramp-cut-short', severity: 'info', title: 'The ramp stopped early',
    meaning: 'A ramp step was far past the thresholds (errors over 40 times the threshold or replies over 4 times), so the higher steps were not run: they would only have loaded a server that already could not keep up.',
  },
  guidance: {
    id: 'load.concurrency-guidance', severity: 'info', title: 'Concurrency guidance (a rule of thumb)',
    meaning: 'A rule of thumb, not a measurement: a mail server handles about 2 concurrent SMTP sessions per CPU core well; far more and they wait for each other. Compare it with the concurrency tested and, with --ramp, with the knee measured.',
  },
  interrupted: {
    id: 'load.interrupted', severity: 'warning', title: 'The load test was interrupted: the figures are partial',
    meaning: 'The run was stopped (Ctrl-C, or the overall deadline) before its bound. The figures cover what was done until then; unknown when nothing was measured at all.',
    remediation: 'Run it again and let it reach its bound, or give a smaller --messages or --duration.',
  },
  unreachable: {
    id: 'load.unreachable', severity: 'critical', title: 'Could not open a session with the server',
    meaning: 'The first connection attempts all failed (refused, timed out, TLS or greeting refused), none ever worked, so the test stopped instead of hammering a server that does not answer.',
    remediation: 'Check the host and port, that the server runs and listens there, the --tls mode, and the firewall.',
  },
} satisfies Record<string, FindingDef>;

export const LOAD_FINDINGS: FindingDef[] = Object.values(LOAD);
