// A monitor store filled by the monitor's own recordRun with a known history, for the
// `report --from-store` tests: three whole UTC days before today (day 0 = today − 3 days).
//   mail.example, hourly: day 0 up; day 1 down 06:00–08:00 (smtp.unreachable), listed on a
//   blacklist 09:00–12:00 (a warning: still up); day 2 no run 00:00–12:00 (the daemon was away:
//   1 h still up, then 11 h unknown), up 12:00–23:00. Certificate valid until day 0 + 40 days.
//   例子.example: runs on day 2 only (its first run), warning with a Chinese title.
import type { Report, ReportedFinding } from '../../src/core/report.js';
import type { StoreDb } from '../../src/monitor/store/open.js';
import { recordRun } from '../../src/monitor/store/record-run.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const CJK_TITLE = '证书链不完整';

export function dayZero(nowMs = Date.now()): number {
  return Math.floor(nowMs / DAY) * DAY - 3 * DAY;
}

function report(target: string, status: Report['status'], findings: Partial<ReportedFinding>[], at: number): Report {
  const fs = findings.map((f) => ({ severity: 'ok', area: 'TLS', check: 'cert', ...f }) as ReportedFinding);
  return {
    schema: 'mxdoctor.report/v1', target, kind: 'host', status, exitCode: { ok: 0, info: 0, warning: 1, critical: 2, unknown: 3 }[status], startedAt: new Date(at - 800).toISOString(), durationMs: 800,
    findings: fs, checks: [...new Set(fs.map((f) => f.check))].map((check) => ({ check, area: 'TLS' as const, durationMs: 10, status })), ignored: {},
  };
}

export async function fillHistoryStore(store: StoreDb, nowMs = Date.now()): Promise<number> {
  const d0 = dayZero(nowMs);
  const notAfter = new Date(d0 + 40 * DAY).toISOString();
  const cert = { id: 'cert.valid', title: 'Certificate valid', subject: 'mx.mail.example:25', evidence: { chain: [{ subject: 'CN=mx.mail.example', notAfter }] } };
  const clean = { id: 'dnsbl.not-listed', title: 'Not listed', subject: '192.0.2.25', check: 'dnsbl', area: 'Blacklists' as const };
  const listed = { id: 'dnsbl.listed', severity: 'warning' as const, title: 'Listed on Example Minor List', subject: '192.0.2.25', check: 'dnsbl', area: 'Blacklists' as const, evidence: { zone: 'minor.dnsbl.example' }, remediation: 'Ask the list to delist 192.0.2.25.' };
  const down = { id: 'smtp.unreachable', severity: 'critical' as const, title: 'SMTP port 25 unreachable', subject: 'mx.mail.example:25', check: 'smtp', area: 'SMTP' as const, detail: 'connect ECONNREFUSED', remediation: 'Start the MTA.', evidence: { error: 'ECONNREFUSED' } };
  const rec = (target: string, r: Report, at: number) => recordRun(store.db, { target, intervalMs: HOUR, trigger: 'schedule', report: r, endedMs: at });
  let runs = 0;
  for (let h = 0; h < 72; h++) {
    const at = d0 + h * HOUR;
    if (h >= 48 && h < 60) continue; // day 2, 00:00–12:00: no run
    let r: Report;
    if (h === 30 || h === 31) r = report('mail.example', 'critical', [cert, clean, down], at);
    else if (h >= 33 && h < 36) r = report('mail.example', 'warning', [cert, listed], at);
    else r = report('mail.example', 'ok', [cert, clean], at);
    await rec('mail.example', r, at);
    runs++;
  }
  for (let h = 60; h < 72; h += 4) {
    await rec('例子.example', report('例子.example', 'warning', [{ id: 'cert.chain-incomplete', severity: 'warning', title: CJK_TITLE, subject: '例子.example:25', remediation: '补全中间证书。' }], d0 + h * HOUR), d0 + h * HOUR);
    runs++;
  }
  return runs;
}
