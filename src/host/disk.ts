// Space and inodes of the file systems holding the queue and the mail store, computed as
// df(1) does: used = blocks - bfree, use% = used / (used + bavail), rounded up (the root
// reserve counts as unavailable). Storage exhaustion is the top cause of 452 4.3.1.
import { finding, type Finding } from '../core/finding.js';
import { errnoOf, type HostFs, type SpaceInfo } from '../io/host-fs.js';
import { HOST_FINDINGS as H } from './host-findings.js';

export interface DiskFacts {
  path: string;
  /** What lives there: "Postfix queue", "Exim spool", "mail store". */
  role: string;
  /** The directory actually measured (the nearest existing parent of path). */
  measured?: string;
  usedPercent?: number;
  freeBytes?: number;
  totalBytes?: number;
  inodesUsedPercent?: number;
  freeInodes?: number;
  error?: string;
}

export interface DiskThresholds {
  warnPercent: number;
  critPercent: number;
}

export const DISK_DEFAULTS: DiskThresholds = { warnPercent: 85, critPercent: 95 };

export function usage(s: SpaceInfo): { usedPercent: number; freeBytes: number; totalBytes: number; inodesUsedPercent?: number; freeInodes?: number } {
  const used = s.blocks - s.bfree;
  const avail = used + s.bavail;
  const out = {
    usedPercent: avail > 0 ? Math.ceil((used * 100) / avail) : 0,
    freeBytes: s.bavail * s.bsize,
    totalBytes: s.blocks * s.bsize,
  };
  // btrfs and some network file systems report no inode table (files = 0): nothing to run out of.
  if (s.files <= 0) return out;
  return { ...out, inodesUsedPercent: Math.ceil(((s.files - s.ffree) * 100) / s.files), freeInodes: s.ffree };
}

/** statfs on path, or its nearest existing parent (a mail store directory may not exist yet). */
export function measure(fs: HostFs, path: string, role: string): DiskFacts {
  let p = path;
  for (;;) {
    try {
      return { path, role, measured: p, ...usage(fs.statfs(p)) };
    } catch (e) {
      const code = errnoOf(e);
      const parent = p.replace(/\/[^/]*\/?$/, '') || '/';
      if (code !== 'ENOENT' || parent === p) return { path, role, error: code };
      p = parent;
    }
  }
}

export function evaluateDisk(d: DiskFacts, th: DiskThresholds): Finding[] {
  const subject = `${d.role} ${d.path}`;
  if (d.error !== undefined || d.usedPercent === undefined) {
    return [finding(H.diskUnreadable, { subject, detail: `statfs ${d.path}: ${d.error}`, evidence: { ...d } })];
  }
  const level = (p: number) => (p >= th.critPercent ? 'critical' : p >= th.warnPercent ? 'warning' : 'ok');
  const out: Finding[] = [];
  const where = d.measured && d.measured !== d.path ? ` (measured at ${d.measured})` : '';
  const space = `${d.usedPercent}% used, ${gib(d.freeBytes ?? 0)} free of ${gib(d.totalBytes ?? 0)}`;
  const blocks = level(d.usedPercent);
  if (blocks !== 'ok') out.push(finding(H.diskLow, { subject, severity: blocks, detail: `${d.path}${where}: ${space}; senders see "452 4.3.1 Insufficient system storage" when it fills`, evidence: { ...d } }));
  const inodes = d.inodesUsedPercent === undefined ? 'ok' : level(d.inodesUsedPercent);
  if (inodes !== 'ok') out.push(finding(H.inodesLow, { subject, severity: inodes, detail: `${d.path}${where}: ${d.inodesUsedPercent}% of inodes used, ${d.freeInodes} free`, evidence: { ...d } }));
  if (!out.length) {
    out.push(finding(H.diskOk, { subject, title: `Enough space: ${d.usedPercent}% used, ${gib(d.freeBytes ?? 0)} free${d.inodesUsedPercent !== undefined ? `, inodes ${d.inodesUsedPercent}% used` : ''}`, detail: `${d.path}${where}: ${space}${d.inodesUsedPercent !== undefined ? `, inodes ${d.inodesUsedPercent}% used` : ''}`, evidence: { ...d } }));
  }
  return out;
}

export function gib(bytes: number): string {
  if (bytes >= 1024 ** 4) return `${(bytes / 1024 ** 4).toFixed(1)} TiB`;
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
