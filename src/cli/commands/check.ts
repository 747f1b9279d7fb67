// `mxdoctor check` / `mxdoctor dns`: audit one or many domains and print the report.
import type { Report } from '../../core/report.js';
import type { Target } from '../../core/check.js';
import { REPORT_SCHEMA } from '../../core/report.js';
import { finding, worstExitCode } from '../../core/finding.js';
import { normalizeDomain } from '../../core/domain-name.js';
import { UsageError } from '../../core/errors.js';
import { INPUT_FINDINGS, runTarget } from '../../core/runner.js';
import type { RunnerOptions } from '../../core/runner.js';
import { selectChecks } from '../../index.js';
import { contextFactory, createResolver } from '../../context.js';
import type { ContextOptions } from '../../context.js';
import { DnsClient } from '../../io/dns-client.js';
import { systemResolvers } from '../../io/resolv-conf.js';
import { renderJson, renderNdjsonLine, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { readDomainList } from '../domain-list.js';
import type { OutputOptions } from '../output.js';
import { write, writeErr, useColor } from '../output.js';

export interface CheckCommandOptions extends ContextOptions, OutputOptions {
  only?: string[];
  ignore?: string[];
  checkTimeoutMs?: number;
  file?: string;
  concurrency?: number;
}

export async function checkCommand(domains: string[], o: CheckCommandOptions): Promise<number> {
  if (!domains.length && !o.file) throw new UsageError('give at least one domain, e.g. `mxdoctor check example.com`, or --file domains.txt');
  const checks = selectChecks(o.only);
  if (o.only?.length && checks.length !== o.only.length) {
    const known = new Set(checks.map((c) => c.family));
    throw new UsageError(`--only ${o.only.filter((f) => !known.has(f)).join(',')}: no such check family; see \`mxdoctor findings\``);
  }
  const targets = domains.map((d) => ({ kind: 'domain' as const, domain: normalizeDomain(d), input: d }));
  const resolver = createResolver(o, systemResolvers);
  const runner: RunnerOptions = {
    checks, context: contextFactory(resolver, o), checkTimeoutMs: o.checkTimeoutMs ?? 20_000, ignore: o.ignore,
  };
  try {
    if (o.file) return await bulk(o.file, targets, runner, o);
    const reports = await Promise.all(targets.map((t) => runTarget(t, runner)));
    write(o.json ? renderJson(reports) : renderText(reports, { color: useColor(o), verbose: o.verbose }));
    return worstExit(reports);
  } finally {
    if (resolver instanceof DnsClient) resolver.close();
  }
}

/** Bulk mode: NDJSON, one report per line in completion order, a shared resolver cache. */
async function bulk(file: string, first: Target[], runner: RunnerOptions, o: CheckCommandOptions): Promise<number> {
  const limit = o.concurrency ?? 20;
  const progress = process.stderr.isTTY && !o.quiet;
  const inflight = new Set<Promise<void>>();
  let worst = 0;
  let done = 0;
  const emit = (r: Report) => {
    worst = worstExitCode([worst, r.exitCode]);
    done++;
    write(renderNdjsonLine(r));
    if (progress) process.stderr.write(`\r${done} domains checked`);
  };
  const schedule = async (work: Promise<Report>) => {
    const p = work.then(emit).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= limit) await Promise.race(inflight);
  };
  for (const t of first) await schedule(runTarget(t, runner));
  for await (const { line, text } of readDomainList(file)) {
    let target: Target;
    try {
      target = { kind: 'domain', domain: normalizeDomain(text), input: text };
    } catch (e) {
      emit(invalidReport(text, `${file}:${line}: ${(e as Error).message}`));
      continue;
    }
    await schedule(runTarget(target, runner));
  }
  await Promise.all(inflight);
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
