// `mxdoctor check` / `mxdoctor dns`: audit one or many domains and print the report.
import type { Report } from '../../core/report.js';
import type { Target } from '../../core/check.js';
import { REPORT_SCHEMA } from '../../core/report.js';
import { finding, worstExitCode } from '../../core/finding.js';
import { normalizeDomain } from '../../core/domain-name.js';
import { UsageError } from '../../core/errors.js';
import { INPUT_FINDINGS } from '../../core/runner.js';
import { auditDomains, auditStream, selectChecks } from '../../services/audit.js';
import type { AuditOptions } from '../../services/audit.js';
import { renderJson, renderNdjsonLine, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import type { DomainLine } from '../domain-list.js';
import type { OutputOptions } from '../output.js';
import { write, writeErr, useColor } from '../output.js';

export interface CheckCommandOptions extends AuditOptions, OutputOptions {
  file?: string;
  concurrency?: number;
  /** Worker threads for a long bulk DNS audit (bulk-pool.ts); 1 keeps it in one thread. */
  workers?: number;
  /** A compliance profile (built-in name or YAML file): its verdict is the exit code. */
  profile?: string;
  /** --queue: a serve fleet's PostgreSQL; the audit runs there (bulk-queue.ts). */
  queue?: string;
  module?: string;
}

export async function checkCommand(domains: string[], o: CheckCommandOptions): Promise<number> {
  if (!domains.length && !o.file) throw new UsageError('give at least one domain, e.g. `mxdoctor check example.com`, or --file domains.txt');
  if (o.profile && o.file) throw new UsageError('--profile with --file: save the NDJSON and judge it with `mxdoctor report all.ndjson --profile ' + o.profile + '`');
  // --profile and --file load their modules only when given: the catalogue of every family's
  // findings, YAML and the worker pool are a third of what a plain check would load (start-up).
  const compliance = o.profile ? await loadCompliance() : undefined;
  const profile = compliance && o.profile ? compliance.resolveProfile(o.profile, compliance.knownFindingMatchers()) : undefined;
  const checks = selectChecks(o.only);
  if (o.only?.length && checks.length !== o.only.length) {
    const known = new Set(checks.map((c) => c.family));
    throw new UsageError(`--only ${o.only.filter((f) => !known.has(f)).join(',')}: no such check family; see \`mxdoctor findings\``);
  }
  const targets = domains.map((d) => ({ kind: 'domain' as const, domain: normalizeDomain(d), input: d }));
  if (o.queue !== undefined || o.module !== undefined) {
    if (!o.file || o.queue === undefined) throw new UsageError('--queue and --module go with --file: `mxdoctor check --file domains.txt --queue postgres://user@host/db`');
    if (!/^postgres(ql)?:\/\/[^:@/]+@[^/]+\/\S+$/.test(o.queue)) throw new UsageError(`--queue: expected postgres://user@host:port/database (the password comes from PGPASSWORD or ~/.pgpass, never the command line)`);
    const { queuedBulk } = await import('../queued-bulk.js');
    return queuedBulk(o.file, targets, o as CheckCommandOptions & { queue: string }, invalidReport);
  }
  if (o.file) return bulk(o.file, targets, o);
  let reports = await auditDomains(targets, o);
  if (compliance && profile) reports = compliance.withCompliance(reports, profile);
  const color = useColor(o);
  write(o.json ? renderJson(reports) : `${renderText(reports, { color, verbose: o.verbose })}${compliance && profile ? compliance.renderComplianceText(reports, { color }) : ''}`);
  return compliance && profile ? compliance.complianceExit(reports) : worstExit(reports);
}

async function loadCompliance() {
  const [evaluate, load, catalogue, text] = await Promise.all([
    import('../../compliance/evaluate.js'), import('../../compliance/load.js'), import('../../catalogue.js'), import('../../report/compliance-text.js'),
  ]);
  return { ...evaluate, ...load, ...catalogue, ...text };
}

/**
 * Bulk mode: NDJSON, one report per line in completion order, a shared resolver cache. A
 * long list audited without server probes runs on worker threads, one cache each (bulk-pool.ts).
 */
async function bulk(file: string, first: Target[], o: CheckCommandOptions): Promise<number> {
  const limit = o.concurrency ?? 20;
  const progress = process.stderr.isTTY && !o.quiet;
  let worst = 0;
  let done = 0;
  const emitLines = (lines: string, exitCodes: number[]) => {
    worst = worstExitCode([worst, ...exitCodes]);
    done += exitCodes.length;
    write(lines);
    if (progress) process.stderr.write(`\r${done} domains checked`);
  };
  const emit = (r: Report) => emitLines(renderNdjsonLine(r), [r.exitCode]);
  // The domains in order; a line that is not a domain name gets its report here, not in a worker.
  async function* targets(lines: AsyncIterable<DomainLine>): AsyncGenerator<Target> {
    yield* first;
    for await (const { line, text } of lines) {
      try {
        yield { kind: 'domain', domain: normalizeDomain(text), input: text };
      } catch (e) {
        emit(invalidReport(text, `${file}:${line}: ${(e as Error).message}`));
      }
    }
  }
  const [{ readDomainList }, { POOL_MIN_DOMAINS, chain, poolSize, prefetch, runPool, tightenHeap }] = await Promise.all([import('../domain-list.js'), import('../bulk-pool.js')]);
  tightenHeap();
  const lines = readDomainList(file);
  const workers = poolSize(o);
  // By default only a long list gets workers; --workers given says to use them anyway.
  const ahead = workers > 1 ? await prefetch(lines, o.workers ? 0 : POOL_MIN_DOMAINS) : undefined;
  const all = ahead ? chain(ahead.head, lines) : lines;
  if (ahead?.more) {
    await runPool(targets(all), o, workers, limit, emitLines);
  } else {
    for await (const report of auditStream(targets(all), o, limit)) emit(report);
  }
  if (progress) writeErr(`\r${done} domains checked\n`);
  return worst;
}

function invalidReport(text: string, detail: string): Report {
  const f = finding(INPUT_FINDINGS.invalidTarget, { detail, subject: text });
  return {
    schema: REPORT_SCHEMA, target: text, kind: 'domain', status: 'unknown', exitCode: 3,
    startedAt: new Date().toISOString(), durationMs: 0, findings: [{ ...f, area: 'Run', check: 'run' }], checks: [], ignored: {},
  };
}
