// The gauges of `local: true` targets: the queue under postfix_exporter's and exim_exporter's
// names (ops-anchors §2: postfix_showq_queue_depth{queue}, exim_queue, exim_queue_frozen), and
// mxdoctor's own for disk space, daemons and certificate files. Labels are the target and a
// configured path, service or queue name: a handful per machine, never message data.
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Report } from '../core/report.js';
import type { LocalFacts } from '../host/local.js';
import { queueSizes } from './report-facts.js';

export function localMetrics(registry: Registry) {
  const g = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const showq = g('postfix_showq_queue_depth', 'Messages in each Postfix queue at the last local run (postfix_exporter\'s name).', ['target', 'queue']);
  const exim = g('exim_queue', 'Messages in the Exim queue at the last local run (exim_exporter\'s name).', ['target']);
  const frozen = g('exim_queue_frozen', 'Frozen messages in the Exim queue at the last local run (exim_exporter\'s name).', ['target']);
  const oldest = g('mxdoctor_queue_oldest_message_age_seconds', 'Age of the oldest message in the queue at the last local run.', ['target']);
  const disk = g('mxdoctor_disk_used_ratio', 'Used share of the file system holding a queue or mail store (0-1).', ['target', 'role', 'path']);
  const inodes = g('mxdoctor_disk_inodes_used_ratio', 'Used share of the inodes of that file system (0-1).', ['target', 'role', 'path']);
  const daemon = g('mxdoctor_daemon_up', 'Whether a mail daemon was running at the last local run (1) or not (0).', ['target', 'service']);
  const certFile = g('mxdoctor_cert_file_expiry_timestamp_seconds', 'When a certificate file on disk expires (Unix time).', ['target', 'file']);
  // Series of a path, service or file no longer reported must go, not stay at an old value.
  const setBy = new Map<string, [Gauge, Record<string, string>][]>();

  return {
    observe(target: string, r: Report): void {
      for (const [m, labels] of setBy.get(target) ?? []) m.remove(labels);
      const set: [Gauge, Record<string, string>][] = [];
      setBy.set(target, set);
      const put = (m: Gauge, labels: Record<string, string>, v: number) => { m.set(labels, v); set.push([m, labels]); };
      const q = r.facts?.queue as { mta?: string | null; total?: number | null; frozen?: number; oldestSeconds?: number | null } | undefined;
      const sizes = queueSizes(r);
      if (q?.mta === 'exim' && typeof q.total === 'number') {
        put(exim, { target }, q.total);
        if (typeof q.frozen === 'number') put(frozen, { target }, q.frozen);
      } else if (sizes) for (const [queue, n] of Object.entries(sizes)) put(showq, { target, queue }, n);
      if (typeof q?.total === 'number') put(oldest, { target }, q.oldestSeconds ?? 0);
      const l = r.facts?.local as LocalFacts | undefined;
      for (const d of l?.disks ?? []) {
        if (d.usedPercent !== undefined) put(disk, { target, role: d.role, path: d.path }, d.usedPercent / 100);
        if (d.inodesUsedPercent !== undefined) put(inodes, { target, role: d.role, path: d.path }, d.inodesUsedPercent / 100);
      }
      for (const d of l?.daemons ?? []) put(daemon, { target, service: d.service }, d.running ? 1 : 0);
      for (const c of l?.certificates ?? []) if (c.notAfter) put(certFile, { target, file: c.file }, Math.floor(Date.parse(c.notAfter) / 1000));
    },
  };
}

