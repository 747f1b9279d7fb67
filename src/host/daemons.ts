// Are the mail daemons running? The process names in /proc/<pid>/comm (Postfix's is
// `master`, Dovecot's `dovecot`, Exim's `exim4` on Debian or `exim`); a Postfix instance
// with a known queue directory is matched by the pid in its pid/master.pid.
import { finding, type Finding } from '../core/finding.js';
import { errnoOf, type HostFs } from '../io/host-fs.js';
import { HOST_FINDINGS as H } from './host-findings.js';

export interface DaemonFacts {
  /** "postfix", "postfix (/etc/postfix-out)", "dovecot", "exim". */
  service: string;
  process: string;
  running: boolean;
  pids: number[];
}

export type ProcessTable = Map<string, number[]>;

/** comm name → pids; a process that exits while we read is skipped. */
export function readProcesses(fs: HostFs, proc = '/proc'): ProcessTable | { error: string } {
  let names: string[];
  try { names = fs.readdir(proc); } catch (e) { return { error: `${proc}: ${errnoOf(e)}` }; }
  const table: ProcessTable = new Map();
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    let comm: string;
    try { comm = fs.readFile(`${proc}/${n}/comm`, 64).trim(); } catch { continue; }
    const pids = table.get(comm) ?? [];
    pids.push(Number(n));
    table.set(comm, pids);
  }
  if (!table.size) return { error: `${proc}: no processes listed` };
  return table;
}

export interface Expected {
  service: string;
  /** Any of these process names counts. */
  names: string[];
  /** Postfix: the instance's master.pid, checked first. */
  pidFile?: string;
}

export function checkDaemon(fs: HostFs, table: ProcessTable, e: Expected, proc = '/proc'): DaemonFacts {
  if (e.pidFile) {
    try {
      const pid = Number(fs.readFile(e.pidFile, 64).trim());
      if (Number.isInteger(pid) && pid > 0) {
        let comm = '';
        try { comm = fs.readFile(`${proc}/${pid}/comm`, 64).trim(); } catch { /* gone: a stale pid file */ }
        return { service: e.service, process: e.names[0]!, running: e.names.includes(comm), pids: e.names.includes(comm) ? [pid] : [] };
      }
    } catch (err) {
      // No pid file: this instance never started. Unreadable (not root): fall back to the names.
      if (errnoOf(err) === 'ENOENT') return { service: e.service, process: e.names[0]!, running: false, pids: [] };
    }
  }
  for (const n of e.names) {
    const pids = table.get(n);
    if (pids?.length) return { service: e.service, process: n, running: true, pids: pids.slice(0, 10) };
  }
  return { service: e.service, process: e.names[0]!, running: false, pids: [] };
}

export function evaluateDaemon(d: DaemonFacts): Finding {
  return d.running
    ? finding(H.daemonRunning, { subject: d.service, detail: `process ${d.process}, pid ${d.pids.join(', ')}`, evidence: { ...d } })
    : finding(H.daemonDown, { subject: d.service, detail: `no ${d.process} process found`, evidence: { ...d } });
}

export function procUnreadable(error: string): Finding {
  return finding(H.procUnreadable, { detail: error });
}
