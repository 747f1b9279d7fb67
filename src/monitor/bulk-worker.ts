// The fleet's side of `mxdoctor check --file --queue`: one job is one domain of a batch,
// audited with the instance's module of that name through the same path as a scheduled run
// (services, the module's context, the run deadline, the redactor), its report stored in
// bulk_results for the client that enqueued the batch. Never throws: a domain that cannot be
// audited gets an unknown report, so the client is never left waiting for it.
import type { Report } from '../core/report.js';
import { operationReport } from '../core/report.js';
import { finding } from '../core/finding.js';
import type { FindingDef } from '../core/finding.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import type { Monitor } from './monitor.js';
import { executeTarget } from './execute.js';

export const AUDIT_QUEUE = 'mxdoctor-audit';

export interface BulkJob { batch: string; seq: number; domain: string; input: string; module: string }

export const BULK_FINDINGS = {
  failed: {
    id: 'monitor.bulk-failed', severity: 'unknown', title: 'The fleet could not audit this domain',
    meaning: 'The serve instance that took this domain from the queue could not run its audit (no module of that name in its config, or an error), so its state is unknown.',
    remediation: 'Name a module every instance of the fleet has (--module), or read the instance\'s log for the error, then enqueue the domain again.',
  },
} satisfies Record<string, FindingDef>;

export async function runBulkJob(m: Monitor, job: BulkJob): Promise<void> {
  let report: Report;
  const startedAt = Date.now();
  try {
    const module = m.config.modules[job.module];
    if (!module) throw new Error(`this instance has no module named "${job.module}" (it has ${Object.keys(m.config.modules).join(', ')})`);
    const target: MonitorTarget = { name: job.input, kind: 'domain', address: job.domain, module: job.module, intervalMs: 0, logFiles: [] };
    const timeoutMs = module.timeout ?? m.config.schedule.timeout;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    try {
      report = await executeTarget(target, module, { context: m.contextFor(job.module, module), timeoutMs, signal: ctl.signal });
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    report = operationReport({
      target: job.input, kind: 'domain', startedAt: new Date(startedAt), durationMs: Date.now() - startedAt,
      parts: [{ check: 'run', area: 'Run', findings: [finding(BULK_FINDINGS.failed, { detail: (e as Error).message })] }],
    });
  }
  await m.store.db.insertInto('bulk_results')
    .values({ batch: job.batch, seq: job.seq, report: JSON.stringify(m.redact(report)), created_ms: Date.now() })
    .onConflict((oc) => oc.columns(['batch', 'seq']).doNothing())
    .execute();
}
