// Every finding id the tool can emit, grouped by family: the source of docs/findings.md (a
// test fails when that file is stale) and `mxdoctor findings`. It sits above every family (it
// lists them all), so core/ depends on none of them. A new family adds one line here.
import { DOMAIN_CHECKS, HOST_ONLY_CHECKS } from './checks/index.js';
import { INPUT_FINDINGS, RUNNER_FINDINGS } from './core/runner.js';
import { LOGS_FINDINGS } from './logs/detectors.js';
import { TRACE_FINDINGS } from './logs/trace-facts.js';
import { CAPACITY_FINDINGS } from './logs/capacity-findings.js';
import { DOCTOR_FINDINGS } from './doctor/findings.js';
import { SEND_FINDINGS } from './send/findings.js';
import { ROUNDTRIP_FINDINGS } from './roundtrip/findings.js';
import { LOAD_FINDINGS } from './load/findings.js';
import { QUEUE_FINDINGS } from './host/queue-findings.js';
import { HOST_FINDINGS } from './host/host-findings.js';
import { MONITOR_FINDINGS } from './monitor/execute.js';
import { LOCAL_RUN_FINDINGS } from './monitor/execute-local.js';
import { BULK_FINDINGS } from './monitor/bulk-worker.js';
import { LOGWATCH_FINDINGS } from './monitor/logwatch/findings.js';
import { MAILDIR_FINDING_DEFS } from './maildir/findings.js';

import type { FamilyFindings } from './report/findings-markdown.js';
import { renderFindingsMarkdown } from './report/findings-markdown.js';

export type { FamilyFindings };

export function allFindingDefs(): FamilyFindings[] {
  return [
    ...[...DOMAIN_CHECKS, ...HOST_ONLY_CHECKS].map((c) => ({ family: c.family, area: c.area, description: c.description, defs: c.findings })),
    {
      family: 'logs', area: 'Logs', description: 'Problems recognised in mail logs by `mxdoctor logs` (see docs/logs.md).',
      defs: Object.values(LOGS_FINDINGS),
    },
    {
      family: 'trace', area: 'Logs', description: 'Whether `mxdoctor logs --trace` found the message it was asked about (see docs/logs.md).',
      defs: Object.values(TRACE_FINDINGS),
    },
    {
      family: 'capacity', area: 'Logs', description: 'Whether `mxdoctor capacity` had mail volume to measure and project (see docs/logs.md, "Capacity").',
      defs: Object.values(CAPACITY_FINDINGS),
    },
    {
      family: 'send', area: 'Send', description: 'A test message through a submission server: `mxdoctor send` and the send half of `mxdoctor roundtrip` (see docs/send.md).',
      defs: SEND_FINDINGS,
    },
    {
      family: 'roundtrip', area: 'Round trip', description: 'A message sent and found again over IMAP by `mxdoctor roundtrip`: delivered or not, inbox or spam, how fast, the path and its TLS, the receiver\'s and our own DKIM/SPF/DMARC verdicts, spam scores (see docs/roundtrip.md).',
      defs: Object.values(ROUNDTRIP_FINDINGS),
    },
    {
      family: 'load', area: 'Load', description: 'An SMTP load test of a server by `mxdoctor load`: rate, per-phase latency, errors, throttling, the knee of a concurrency ramp (see docs/load.md).',
      defs: LOAD_FINDINGS,
    },
    {
      family: 'queue', area: 'Queue', description: 'The mail queue of this machine, from `postqueue -j` or `exim -bp`: `mxdoctor queue` and `check --local` (see docs/queue.md).',
      defs: Object.values(QUEUE_FINDINGS),
    },
    {
      family: 'host', area: 'Host', description: 'The mail server itself, by `mxdoctor check --local`: disk and inode space, mail daemons, certificate files on disk (see docs/queue.md).',
      defs: Object.values(HOST_FINDINGS),
    },
    {
      family: 'maildir', area: 'Maildir', description: 'A Maildir mail store and its backup, by `mxdoctor maildir verify`: every message read, hashed and parsed per folder; missing, different and extra messages in a backup copy or archive (see docs/maildir.md).',
      defs: MAILDIR_FINDING_DEFS,
    },
    {
      family: 'doctor', area: 'Diagnosis', description: 'The diagnosis of `mxdoctor doctor <symptom>`: each likely cause it ranks, or that none was found (see docs/doctor.md).',
      defs: Object.values(DOCTOR_FINDINGS),
    },
    {
      family: 'monitor', area: 'Run', description: 'Runs of `mxdoctor serve` that could not complete (see docs/monitor.md).',
      defs: [...Object.values(MONITOR_FINDINGS), ...Object.values(LOCAL_RUN_FINDINGS), ...Object.values(BULK_FINDINGS)],
    },
    {
      family: 'logwatch', area: 'Logs', description: 'The live log watch of `mxdoctor serve` (log_files targets): files that cannot be read, lines in another format, lines missed across a restart. The detectors\' own findings are logs.* (see docs/monitor.md).',
      defs: Object.values(LOGWATCH_FINDINGS),
    },
    {
      family: 'run', area: 'Run', description: 'Problems of the run itself, not of the target: internal errors, deadlines, bad input.',
      defs: [...Object.values(RUNNER_FINDINGS), ...Object.values(INPUT_FINDINGS)],
    },
  ];
}

/** docs/findings.md. */
export function findingsMarkdown(): string {
  return renderFindingsMarkdown(allFindingDefs());
}

/** Every finding id and every family of the catalogue: what a compliance profile may name. */
export function knownFindingMatchers(): Set<string> {
  const out = new Set<string>();
  for (const fam of allFindingDefs()) {
    out.add(fam.family);
    for (const d of fam.defs) {
      out.add(d.id);
      out.add(d.id.split('.')[0]!);
    }
  }
  return out;
}
