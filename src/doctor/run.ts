// `mxdoctor doctor`: run the check families that matter for a symptom (the same runner and
// context as `check`), keep the findings about the services involved, add the mail log's
// findings, rank the causes, and return one operation report of kind 'doctor'.
import type { Check, CheckContext } from '../core/check.js';
import type { Finding } from '../core/finding.js';
import { finding } from '../core/finding.js';
import type { OperationPart, Report } from '../core/report.js';
import { operationReport } from '../core/report.js';
import { isIgnored, runTarget } from '../core/runner.js';
import { normalizeDomain } from '../core/domain-name.js';
import { UsageError } from '../core/errors.js';
import { DOMAIN_CHECKS } from '../checks/index.js';
import { checkDnsbl, dnsblCheck } from '../checks/reputation/dnsbl.js';
import { checkAddress, PTR_FINDINGS, ptrCheck } from '../checks/dns/ptr.js';
import { contextFactory, withResolver } from '../context.js';
import type { ContextOptions } from '../context.js';
import type { DoctorFinding } from './cause-types.js';
import { endpointRoles } from './endpoint-roles.js';
import { DOCTOR_FINDINGS as F } from './findings.js';
import type { LogFindingsReader } from './log-findings.js';
import { diagnose } from './rank.js';
import { doctorFacts } from './facts.js';
import { SYMPTOM_DEFS, type Symptom } from './symptoms.js';

export interface DoctorOptions extends ContextOptions {
  /** Narrow the symptom's families to these. */
  only?: string[];
  ignore?: string[];
  checkTimeoutMs?: number;
  /** Mail log files (`-` for stdin) whose detectors' findings feed the causes. */
  logs?: string[];
  /** How `logs` are read: the logs service's pipeline (services/doctor.ts gives it). */
  readLogs?: LogFindingsReader;
  /** The address mail really leaves from: SPF is evaluated for it and it is looked up on blocklists. */
  sendingIp?: string;
}

const SERVER_FAMILIES = new Set(['smtp', 'submission', 'tls', 'cert', 'tlsa', 'imap', 'pop3']);
const SENDING_SYMPTOMS = new Set<Symptom>(['cannot-send', 'spam-folder', 'slow']);

export async function runDoctor(input: string, symptom: Symptom, o: DoctorOptions): Promise<Report> {
  const domain = normalizeDomain(input);
  const def = SYMPTOM_DEFS[symptom];
  const families = selectFamilies(symptom, o.only);
  const checks: Check[] = DOMAIN_CHECKS.filter((c) => families.includes(c.family));
  if (o.sendingIp && SENDING_SYMPTOMS.has(symptom)) checks.push(sendingIpCheck(o.sendingIp), sendingIpPtrCheck(o.sendingIp));
  const started = new Date();
  const t0 = performance.now();
  // Read the log first, not beside the checks: a usage error there should not wait for the
  // network, and parsing a big log on this thread would delay the probes' timers (false "slow").
  if (o.logs?.length && !o.readLogs) throw new Error('runDoctor: logs given without a log reader');
  const logs = o.logs?.length ? await o.readLogs!(o.logs) : undefined;
  return withResolver(o, async (resolver) => {
    const factory = contextFactory(resolver, { ...o, spfIp: o.sendingIp ?? o.spfIp });
    let ctx: CheckContext | undefined;
    const inner = await runTarget({ kind: 'domain', domain, input }, {
      checks, context: () => (ctx = factory()), checkTimeoutMs: o.checkTimeoutMs ?? 20_000,
    });
    const probed = ctx!.options.probeServers && families.some((f) => SERVER_FAMILIES.has(f));
    const roles = probed ? await endpointRoles(ctx!, domain) : undefined;
    let otherServices = 0;
    const relevant: DoctorFinding[] = [];
    for (const f of inner.findings) {
      const role = roles?.roleOf(f.subject);
      if (role && !def.roles.includes(role)) otherServices++;
      else relevant.push(role ? { ...f, role } : f);
    }
    const own: Finding[] = [];
    const srv = roles?.srvMissing(new Set(relevant.map((f) => f.id)));
    if (srv && symptom === 'client-cannot-connect') own.push(srv);
    const logFindings = logs?.findings ?? [];
    const all: DoctorFinding[] = [
      ...relevant,
      ...own.map((f) => ({ ...f, area: 'Diagnosis' as const, check: 'doctor' })),
      ...logFindings.map((f) => ({ ...f, area: 'Logs' as const, check: 'logs' })),
    ];
    const diagnosis = diagnose(symptom, all.filter((f) => !isIgnored(f.id, o.ignore)));
    const verdicts = diagnosis.causes.length
      ? diagnosis.causes.map((c) => ({
        ...finding(F.cause, {
          severity: c.severity, subject: c.id, title: c.title,
          detail: `Rank ${c.rank}, likelihood ${c.likelihood}: ${c.why} Evidence: ${[...new Set(c.findings.map((f) => f.id))].join(', ')}.`,
          evidence: { rank: c.rank, likelihood: c.likelihood, score: c.score, evidence: c.findings.map((f) => f.id) },
        }),
        ...(c.severity === 'ok' || c.severity === 'info' ? {} : { remediation: c.fix }),
      }))
      : [finding(F.noCause, { subject: domain, detail: `None of the ${families.length} check families run for "${symptom}" found a known cause.` })];
    const parts: OperationPart[] = inner.checks.map((r) => ({
      check: r.check, area: r.area, durationMs: r.durationMs, findings: relevant.filter((f) => f.check === r.check && f.area === r.area),
      ...(r.status === 'skipped' ? { skipped: r.reason ?? 'not run' } : {}),
    }));
    const dedup = dedupParts(parts);
    if (logs) dedup.push({ check: 'logs', area: 'Logs', findings: logFindings });
    dedup.push({ check: 'doctor', area: 'Diagnosis', findings: [...own, ...verdicts] });
    const report = operationReport({
      target: domain, kind: 'doctor', startedAt: started, durationMs: performance.now() - t0, parts: dedup,
      ignore: (id) => isIgnored(id, o.ignore),
      facts: { doctor: doctorFacts(diagnosis, { families, roles: def.roles, otherServices, logs, sendingIp: o.sendingIp, probed: ctx!.options.probeServers }) },
    });
    if (inner.dnsQueries !== undefined) report.dnsQueries = inner.dnsQueries;
    return report;
  });
}

/** The symptom's families, narrowed by --only (which must name families the symptom uses). */
export function selectFamilies(symptom: Symptom, only?: string[]): string[] {
  const families = SYMPTOM_DEFS[symptom].families;
  if (!only?.length) return families;
  const unused = only.filter((f) => !families.includes(f));
  if (unused.length) throw new UsageError(`--only ${unused.join(',')}: not a check family of "${symptom}", which runs ${families.join(', ')}`);
  return families.filter((f) => only.includes(f));
}

/** The sending address on the IP blocklists (family dnsbl: the same findings as the MX addresses). */
function sendingIpCheck(ip: string): Check {
  return { ...dnsblCheck, run: (_t, ctx) => checkDnsbl(ctx, [{ value: ip, label: `${ip} (sending address)` }]) };
}

/** Reverse DNS of the sending address (family ptr): receivers judge the address mail comes from. */
function sendingIpPtrCheck(ip: string): Check {
  const subject = `${ip} (sending address)`;
  return {
    ...ptrCheck,
    async run(_t, ctx) {
      const r = await checkAddress(ctx, ip);
      if (r.findings.length) return r.findings.map((f) => ({ ...f, subject }));
      return [finding(PTR_FINDINGS.confirmed, { subject, detail: `${ip} → ${r.ptr[0]}`, evidence: { address: ip, ptr: r.ptr, forward: r.forward } })];
    },
  };
}

/** Two runs of one family (dnsbl for the MX and for --ip) share one part. */
function dedupParts(parts: OperationPart[]): OperationPart[] {
  const byKey = new Map<string, OperationPart>();
  for (const p of parts) {
    const seen = byKey.get(p.check);
    if (seen) seen.durationMs = Math.max(seen.durationMs ?? 0, p.durationMs ?? 0);
    else byKey.set(p.check, { ...p });
  }
  return [...byKey.values()];
}
