// Runs every check for a target concurrently, each under a deadline. A check that
// throws or overruns becomes an `unknown` finding naming the bug; the run never crashes.
import type { Check, CheckContext, DomainTarget, Target } from './check.js';
import { targetName } from './check.js';
import type { Finding, FindingDef } from './finding.js';
import { compareBySeverity, exitCodeFor, finding, worstSeverity } from './finding.js';
import type { Report, ReportedFinding } from './report.js';
import { REPORT_SCHEMA } from './report.js';

export const RUNNER_FINDINGS = {
  crashed: {
    id: 'run.check-crashed', severity: 'unknown', title: 'A check failed with an internal error',
    meaning: 'The check threw an exception instead of returning findings. This is a bug in mxdoctor, not a problem with the domain; the other checks still ran.',
    remediation: 'Report the error text with the command line; re-run with --only to skip the check meanwhile.',
  },
  timeout: {
    id: 'run.check-timeout', severity: 'unknown', title: 'A check did not finish within its deadline',
    meaning: 'The check was still waiting for the network when its deadline passed, so its result is unknown (not a failure of the domain).',
    remediation: 'Retry; raise --check-timeout or the DNS --timeout when the resolver or servers are slow.',
  },
} satisfies Record<string, FindingDef>;

/** Bad input of a run: reported per target, the other targets still run. */
export const INPUT_FINDINGS = {
  invalidTarget: {
    id: 'run.invalid-target', severity: 'unknown', title: 'Not a valid domain name',
    meaning: 'A line of the bulk domains file is not a domain name that can be queried; it was skipped.',
    remediation: 'Fix or remove the line; give one domain per line (e.g. example.com), # starts a comment.',
  },
} satisfies Record<string, FindingDef>;

export interface RunnerOptions<T extends Target = DomainTarget> {
  checks: readonly Check<T>[];
  /** Builds a fresh per-target context (its memo must not be shared between targets). */
  context: () => CheckContext;
  /** Deadline per check, in ms. */
  checkTimeoutMs: number;
  /** Deadline of checks that connect to servers (default 3 × checkTimeoutMs). */
  serverCheckTimeoutMs?: number;
  /** Finding ids (or `family.*` prefixes) to drop from the result and the exit code. */
  ignore?: string[];
  now?: () => number;
}

export async function runTarget<T extends Target>(target: T, opts: RunnerOptions<T>): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date(opts.now?.() ?? Date.now()).toISOString();
  const ctx = opts.context();
  const serverTimeout = opts.serverCheckTimeoutMs ?? opts.checkTimeoutMs * 3;
  const runs = await Promise.all(opts.checks.map((check) => runOne(check, target, ctx, check.connects ? serverTimeout : opts.checkTimeoutMs)));
  const ignored: Record<string, number> = {};
  const findings: ReportedFinding[] = [];
  for (const { check, found } of runs) {
    for (const f of found) {
      if (isIgnored(f.id, opts.ignore)) {
        ignored[f.id] = (ignored[f.id] ?? 0) + 1;
        continue;
      }
      findings.push({ ...f, area: check.area, check: check.family });
    }
  }
  findings.sort(compareBySeverity);
  const report: Report = {
    schema: REPORT_SCHEMA,
    target: targetName(target),
    kind: target.kind,
    status: worstSeverity(findings.map((f) => f.severity)),
    exitCode: exitCodeFor(findings.map((f) => f.severity)),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    findings,
    checks: runs.map(({ check, found, ms }) => ({
      check: check.family, area: check.area, durationMs: ms, status: worstSeverity(found.map((f) => f.severity)),
    })),
    ignored,
  };
  const questions = ctx.dnsQuestions?.();
  if (questions !== undefined) report.dnsQueries = questions;
  return report;
}

async function runOne<T extends Target>(check: Check<T>, target: T, ctx: CheckContext, timeoutMs: number) {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Finding[]>((resolve) => {
    timer = setTimeout(() => resolve([finding(RUNNER_FINDINGS.timeout, {
      detail: `${check.family} was still running after ${timeoutMs} ms.`, subject: check.family,
    })]), timeoutMs);
  });
  let found: Finding[];
  try {
    found = await Promise.race([check.run(target, ctx), deadline]);
  } catch (err) {
    const e = err as Error;
    found = [finding(RUNNER_FINDINGS.crashed, {
      detail: `${check.family}: ${e?.message ?? String(err)}`, subject: check.family,
      evidence: { stack: e?.stack?.split('\n').slice(0, 6) },
    })];
  } finally {
    clearTimeout(timer);
  }
  return { check, found, ms: Math.round(performance.now() - t0) };
}

export function isIgnored(id: string, patterns: string[] | undefined): boolean {
  if (!patterns?.length) return false;
  return patterns.some((p) => (p.endsWith('.*') ? id.startsWith(p.slice(0, -1)) : p === id));
}

/** Run targets with at most `concurrency` in flight, yielding reports in completion order. */
export async function* runMany<T extends Target>(targets: AsyncIterable<T> | Iterable<T>, opts: RunnerOptions<T>, concurrency: number): AsyncGenerator<Report> {
  const inflight = new Map<number, Promise<{ key: number; report: Report }>>();
  let next = 0;
  for await (const target of targets) {
    const key = next++;
    inflight.set(key, runTarget(target, opts).then((report) => ({ key, report })));
    if (inflight.size >= concurrency) {
      const done = await Promise.race(inflight.values());
      inflight.delete(done.key);
      yield done.report;
    }
  }
  while (inflight.size) {
    const done = await Promise.race(inflight.values());
    inflight.delete(done.key);
    yield done.report;
  }
}
