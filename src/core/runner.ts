// Runs every check for a target concurrently, each under a deadline that cancels it (its
// signal closes its sockets and ends its queries). A check that throws or overruns becomes
// an `unknown` finding naming why; a check that did not run is `skipped`; the run never crashes.
import type { Check, CheckContext, DomainTarget, Target } from './check.js';
import { targetName } from './check.js';
import type { Finding, FindingDef } from './finding.js';
import { compareBySeverity, exitCodeFor, finding, worstSeverity } from './finding.js';
import type { CheckRun, Report, ReportedFinding } from './report.js';
import { REPORT_SCHEMA } from './report.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { abortMessage, withDeadline } from '../io/deadline.js';
import { bindSignal } from '../io/net.js';
import { bindHttpSignal } from '../io/http.js';
import { bindResolverSignal } from '../io/resolver.js';
import { boundedPool } from '../io/pool.js';

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
  deadline: {
    id: 'run.deadline', severity: 'unknown', title: 'The overall deadline passed before this finished',
    meaning: 'The whole run has one deadline (--deadline). When it passed this work was cancelled: its connections were closed and its result is unknown. Work that had not started is listed as skipped.',
    remediation: 'Raise --deadline, or lower --step-timeout / --check-timeout so slow servers are given up on sooner.',
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
  /** The run's overall deadline (default: the context's signal). */
  signal?: AbortSignal;
}

export async function runTarget<T extends Target>(target: T, opts: RunnerOptions<T>): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date(opts.now?.() ?? Date.now()).toISOString();
  const ctx = opts.context();
  const signal = opts.signal ?? ctx.signal ?? new AbortController().signal;
  const serverTimeout = opts.serverCheckTimeoutMs ?? opts.checkTimeoutMs * 3;
  // Memo work (facts several checks share) runs under the run's signal, not the asking check's.
  const shared = { ...ctx, memo: <V>(key: string, compute: () => Promise<V>) => ctx.memo(key, () => memoScope.run(signal, compute), signal) };
  const runs = await Promise.all(opts.checks.map((check) => runOne(check, target, shared, check.connects ? serverTimeout : opts.checkTimeoutMs, signal)));
  const ignored: Record<string, number> = {};
  const findings: ReportedFinding[] = [];
  // Families the deadline kept from starting are skipped, and the report must not read as a
  // pass because nothing ran: one run.deadline finding (unknown) names them.
  const notStarted = runs.filter((r) => r.skipped?.startsWith(NOT_STARTED)).map((r) => r.check.family);
  if (notStarted.length) {
    findings.push({ ...finding(RUNNER_FINDINGS.deadline, { detail: `${notStarted.length} check(s) not started: ${abortMessage(signal)} (${notStarted.join(', ')}).` }), area: 'Run', check: 'run' });
  }
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
    checks: runs.map(({ check, found, ms, skipped }): CheckRun => (skipped !== undefined
      ? { check: check.family, area: check.area, durationMs: 0, status: 'skipped', reason: skipped }
      : { check: check.family, area: check.area, durationMs: ms, status: worstSeverity(found.map((f) => f.severity)) })),
    ignored,
  };
  const questions = ctx.dnsQuestions?.();
  if (questions !== undefined) report.dnsQueries = questions;
  return report;
}

const NOT_STARTED = 'not started: ';

async function runOne<T extends Target>(check: Check<T>, target: T, ctx: CheckContext, timeoutMs: number, parent: AbortSignal) {
  const t0 = performance.now();
  const skipped = parent.aborted ? `${NOT_STARTED}${abortMessage(parent)}` : check.skip?.(target, ctx);
  if (skipped !== undefined) return { check, found: [] as Finding[], ms: 0, skipped };
  let found: Finding[];
  try {
    found = await withDeadline((signal) => check.run(target, scoped(ctx, signal)), timeoutMs, check.family, () => (parent.aborted
      ? [finding(RUNNER_FINDINGS.deadline, { detail: `${check.family} was cancelled: ${abortMessage(parent)}.`, subject: check.family })]
      : [finding(RUNNER_FINDINGS.timeout, { detail: `${check.family} was still running after ${timeoutMs} ms; it was cancelled.`, subject: check.family })]), parent);
  } catch (err) {
    const e = err as Error;
    found = [finding(RUNNER_FINDINGS.crashed, {
      detail: `${check.family}: ${e?.message ?? String(err)}`, subject: check.family,
      evidence: { stack: e?.stack?.split('\n').slice(0, 6) },
    })];
  }
  return { check, found, ms: Math.round(performance.now() - t0), skipped: undefined };
}

/**
 * Facts computed in the memo are shared by several checks: they must not die with the check
 * that happened to ask first (its deadline may be shorter than the others'). Inside memo work
 * the clients answer to the run's signal; elsewhere to the check's own.
 */
const memoScope = new AsyncLocalStorage<AbortSignal>();

/** The check's view of the target context: its own signal on every client, except in memo work. */
function scoped(ctx: CheckContext, signal: AbortSignal): CheckContext {
  const current = () => memoScope.getStore() ?? signal;
  return {
    ...ctx, signal,
    resolver: bindResolverSignal(ctx.resolver, current),
    net: bindSignal(ctx.net, current),
    http: bindHttpSignal(ctx.http, current),
  };
}

export function isIgnored(id: string, patterns: string[] | undefined): boolean {
  if (!patterns?.length) return false;
  return patterns.some((p) => (p.endsWith('.*') ? id.startsWith(p.slice(0, -1)) : p === id));
}

/** Run targets with at most `concurrency` in flight, yielding reports in completion order. */
export function runMany<T extends Target>(targets: AsyncIterable<T> | Iterable<T>, opts: RunnerOptions<T>, concurrency: number): AsyncGenerator<Report> {
  // Not stopped by the signal: targets after the deadline still get a report, every family skipped.
  return boundedPool(targets, concurrency, (t) => runTarget(t, opts));
}
