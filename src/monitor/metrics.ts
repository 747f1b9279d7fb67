// Prometheus metrics of `serve` (prom-client), names fixed here and documented in
// docs/api.md. Labels stay low-cardinality: target, module, family, status, severity, zone
// — never finding text or addresses. Names follow blackbox_exporter/postfix_exporter where
// they overlap (ops-anchors §2): the expiry is a timestamp, the queue depth is showq's.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SEVERITIES } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { dnsblState, earliestCertificate, upState } from './report-facts.js';
import { localMetrics } from './local-metrics.js';
import type { Monitor } from './monitor.js';
import { registerLogMetrics } from './logwatch/metrics.js';

export function createMetrics(monitor: Monitor) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named *_total break `promtool check metrics` (and Prometheus naming rules).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const g = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const up = g('mxdoctor_target_up', 'Whether the target was up at its last run (1), or down: critical (0); absent while unknown.', ['target', 'module']);
  const status = g('mxdoctor_target_status', 'The status of the last run of the target: 1 for the current status, 0 for the others.', ['target', 'module', 'status']);
  const family = g('mxdoctor_family_status', 'The status of each check family at the last run: 1 for the current status.', ['target', 'family', 'status']);
  const duration = g('mxdoctor_check_duration_seconds', 'How long the last run of the target took.', ['target', 'module']);
  const last = g('mxdoctor_last_run_timestamp_seconds', 'When the last run of the target ended (Unix time).', ['target', 'module']);
  const findings = g('mxdoctor_findings', 'Findings of the last run by severity.', ['target', 'severity']);
  const cert = g('mxdoctor_cert_expiry_timestamp_seconds', 'The earliest certificate expiry seen by the last run (Unix time), as probe_ssl_earliest_cert_expiry.', ['target']);
  const dnsbl = g('mxdoctor_dnsbl_listed', 'Whether a blacklist lists the target at the last run (1) or not (0); absent when it could not tell.', ['target', 'zone']);
  const local = localMetrics(registry);
  const runs = new Counter({ name: 'mxdoctor_runs_total', help: 'Runs stored, by their status.', labelNames: ['target', 'status'], registers: [registry] });
  new Gauge({ name: 'mxdoctor_scheduler_queued', help: 'Runs waiting for a concurrency slot.', registers: [registry], collect() { this.set(monitor.scheduler.stats().queued); } });
  new Gauge({ name: 'mxdoctor_scheduler_running', help: 'Runs holding a concurrency slot.', registers: [registry], collect() { this.set(monitor.scheduler.stats().running); } });
  const deliveries = new Counter({ name: 'mxdoctor_alert_deliveries_total', help: 'Alert notifications sent (ok) or failed (error), per channel.', labelNames: ['channel', 'result'], registers: [registry] });
  const knownZones = new Map<string, Set<string>>();

  function observe(target: string, module: string, r: Report, endedMs: number): void {
    const u = upState(r.status);
    if (u === 'unknown') up.remove({ target, module });
    else up.set({ target, module }, u === 'up' ? 1 : 0);
    for (const s of SEVERITIES) status.set({ target, module, status: s }, r.status === s ? 1 : 0);
    for (const c of r.checks) for (const s of SEVERITIES) family.set({ target, family: c.check, status: s }, c.status === s ? 1 : 0);
    duration.set({ target, module }, r.durationMs / 1000);
    last.set({ target, module }, Math.floor(endedMs / 1000));
    for (const s of SEVERITIES) findings.set({ target, severity: s }, r.findings.filter((f) => f.severity === s).length);
    const c = earliestCertificate(r);
    if (c) cert.set({ target }, Math.floor(Date.parse(c.notAfter) / 1000));
    else cert.remove({ target });
    const bl = dnsblState(r);
    const zones = knownZones.get(target) ?? new Set<string>();
    for (const z of zones) dnsbl.remove({ target, zone: z });
    zones.clear();
    if (bl && bl.state !== 'unknown') {
      const checked = r.findings.filter((f) => f.id === 'dnsbl.not-listed').flatMap((f) => ((f.evidence as { lists?: string[] } | undefined)?.lists ?? []));
      for (const z of checked) zones.add(z), dnsbl.set({ target, zone: z }, 0);
      for (const z of bl.listedOn) zones.add(z), dnsbl.set({ target, zone: z }, 1);
    }
    knownZones.set(target, zones);
    if (r.kind === 'local') local.observe(target, r);
    runs.inc({ target, status: r.status });
  }

  registerLogMetrics(registry, () => monitor.logs.watches.values());
  monitor.onRun((e) => observe(e.target.name, e.target.module, e.report, Date.parse(e.report.startedAt) + e.report.durationMs));
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    delivery: (channel: string, ok: boolean) => deliveries.inc({ channel, result: ok ? 'ok' : 'error' }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
