// The overview entry of one target (GET /api/v1/targets): status, since when, the last run,
// the worst finding, certificate days, DNSBL state, availability today and this month.
import type { Report } from '../core/report.js';
import { compareBySeverity } from '../core/finding.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import type { Monitor } from './monitor.js';
import { countsBySeverity, dnsblState, earliestCertificate } from './report-facts.js';
import { availabilityBetween, latestReport, listIncidents } from './store/queries.js';

export function dayStart(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}

export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export async function lastReportOf(m: Monitor, name: string): Promise<{ report: Report | null; runId: number | null; trigger?: string }> {
  const live = m.live.get(name);
  if (live?.report) return { report: live.report, runId: live.lastRunId };
  const stored = await latestReport(m.store.db, name);
  if (stored?.report && live) live.report = stored.report;
  return { report: stored?.report ?? null, runId: stored?.run.id ?? null, trigger: stored?.run.trigger };
}

export async function targetOverview(m: Monitor, t: MonitorTarget, nowMs: number) {
  const live = m.live.get(t.name);
  const { report: r, runId } = await lastReportOf(m, t.name);
  const worst = r?.findings.filter((f) => !['ok', 'info'].includes(f.severity)).sort(compareBySeverity)[0];
  const day = await availabilityBetween(m.store.db, t.name, dayStart(nowMs), nowMs + 1);
  const month = await availabilityBetween(m.store.db, t.name, monthStart(nowMs), nowMs + 1);
  const open = (await listIncidents(m.store.db, { target: t.name, state: 'open', limit: 1, nowMs }))[0] ?? null;
  const next = m.scheduler.nextRunAt(t.name);
  return {
    name: t.name, kind: t.kind, module: t.module, intervalSeconds: Math.round(t.intervalMs / 1000),
    status: live?.status ?? 'pending',
    statusSince: live ? new Date(live.sinceMs).toISOString() : null,
    checking: m.scheduler.isBusy(t.name),
    lastRun: r && runId !== null ? { id: runId, startedAt: r.startedAt, durationMs: r.durationMs, status: r.status } : null,
    nextRunAt: next === undefined ? null : new Date(next).toISOString(),
    worstFinding: worst ? { id: worst.id, severity: worst.severity, title: worst.title, check: worst.check, subject: worst.subject ?? null } : null,
    counts: r ? countsBySeverity(r) : null,
    certificate: r ? earliestCertificate(r) : null,
    dnsbl: r ? dnsblState(r) : null,
    availability: { day: day.availability, month: month.availability },
    openIncident: open,
    backoffFailures: m.scheduler.failures(t.name),
  };
}

/** The latest findings grouped by family, worst family first (the target page). */
export function familiesOf(r: Report | null) {
  if (!r) return [];
  const rank: Record<string, number> = { critical: 0, unknown: 1, warning: 2, info: 3, ok: 4 };
  return r.checks
    .map((c) => ({ family: c.check, area: c.area, status: c.status, durationMs: c.durationMs, findings: r.findings.filter((f) => f.check === c.check) }))
    .sort((a, b) => (rank[a.status] ?? 5) - (rank[b.status] ?? 5));
}
