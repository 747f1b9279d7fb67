// /probe?target=&module= in blackbox_exporter's style: only configured modules, and only
// targets matching the configured allow-list, checked before any lookup or connection, so
// the endpoint is no open proxy into the network. Literal IP addresses need a pattern that
// names them exactly. probe_success is 0 for "could not tell" as well as for "down".
import net from 'node:net';
import { SEVERITIES } from '../core/finding.js';
import type { Report } from '../core/report.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import { earliestCertificate } from './report-facts.js';

export type ProbeRequest = { ok: true; target: MonitorTarget } | { ok: false; status: 400 | 403; message: string };

const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.toLowerCase().replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

export function probeAllowed(target: string, allow: string[]): boolean {
  const t = target.toLowerCase();
  const host = /^\[?([^\]]*?)\]?(?::\d+)?$/.exec(t)?.[1] ?? t;
  if (net.isIP(host)) return allow.some((p) => !/[*?]/.test(p) && (p.toLowerCase() === t || p.toLowerCase() === host));
  return allow.some((p) => globToRegExp(p).test(t));
}

export function parseProbe(query: URLSearchParams, modules: Record<string, unknown>, allow: string[]): ProbeRequest & { module?: string } {
  const module = query.get('module') ?? 'default';
  const raw = (query.get('target') ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!raw) return { ok: false, status: 400, message: 'give ?target=<domain or host:port>&module=<module>' };
  if (!Object.hasOwn(modules, module)) return { ok: false, status: 403, message: `no module named "${module}" in the config; /probe runs configured modules only` };
  const hp = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+):(\d{1,5})$/.exec(raw);
  const host = hp ? hp[1]!.replace(/^\[|\]$/g, '') : raw;
  const port = hp ? Number(hp[2]) : undefined;
  if (!(DOMAIN.test(host) || net.isIP(host)) || (port !== undefined && (port < 1 || port > 65535))) {
    return { ok: false, status: 400, message: 'target is not a domain name or host:port' };
  }
  if (!probeAllowed(raw, allow)) return { ok: false, status: 403, message: `target "${raw}" is not allowed by probe.allow in the config` };
  const kind = port !== undefined || net.isIP(host) ? 'host' : 'domain';
  return { ok: true, module, target: { name: raw, kind, address: host, ...(port !== undefined ? { port } : {}), module, intervalMs: 0, logFiles: [] } };
}

/** The probe's answer in Prometheus text format. */
export function renderProbe(r: Report): string {
  const ok = r.status === 'ok' || r.status === 'info' || r.status === 'warning';
  const lines = [
    '# HELP probe_success Whether the probe succeeded (ok, info or warning); 0 for critical and for unknown.',
    '# TYPE probe_success gauge',
    `probe_success ${ok ? 1 : 0}`,
    '# HELP probe_duration_seconds How long the probe took.',
    '# TYPE probe_duration_seconds gauge',
    `probe_duration_seconds ${r.durationMs / 1000}`,
    '# HELP mxdoctor_probe_status The status of the probe: 1 for the status it had, 0 for the others.',
    '# TYPE mxdoctor_probe_status gauge',
    ...SEVERITIES.map((s) => `mxdoctor_probe_status{status="${s}"} ${r.status === s ? 1 : 0}`),
    '# HELP mxdoctor_probe_findings Findings of the probe by severity.',
    '# TYPE mxdoctor_probe_findings gauge',
    ...SEVERITIES.map((s) => `mxdoctor_probe_findings{severity="${s}"} ${r.findings.filter((f) => f.severity === s).length}`),
  ];
  const cert = earliestCertificate(r);
  if (cert) {
    lines.push('# HELP mxdoctor_cert_expiry_timestamp_seconds The earliest certificate expiry seen (Unix time).', '# TYPE mxdoctor_cert_expiry_timestamp_seconds gauge', `mxdoctor_cert_expiry_timestamp_seconds ${Math.floor(Date.parse(cert.notAfter) / 1000)}`);
  }
  return `${lines.join('\n')}\n`;
}
