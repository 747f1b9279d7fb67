// Reports to render in the report tests: a healthy domain, a broken one whose server texts
// are hostile (markup, pipes, formula cells) and Chinese, and one whose checks could not tell.
import { operationReport, type Report } from '../../src/core/report.js';
import type { Finding } from '../../src/core/finding.js';

export const CJK_DETAIL = '邮件服务器拒绝了连接：请检查防火墙';
export const HOSTILE = '<script>alert(1)</script> | =HYPERLINK("x") & "quotes"';

function domain(target: string, parts: [string, Finding[]][]): Report {
  return operationReport({
    target, kind: 'domain', startedAt: new Date('2026-12-01T10:00:00Z'), durationMs: 1234,
    parts: parts.map(([check, findings]) => ({ check, area: ({ spf: 'SPF', dmarc: 'DMARC', smtp: 'SMTP', tls: 'TLS', cert: 'Certificates', dnssec: 'DNSSEC', dane: 'DANE', 'mta-sts': 'MTA-STS' } as const)[check as 'spf'] ?? 'DNS', findings })),
  });
}

export function healthy(): Report {
  return domain('good.example', [
    ['spf', [{ id: 'spf.valid', severity: 'ok', title: 'SPF record found and syntactically valid' }]],
    ['dmarc', [{ id: 'dmarc.policy-enforced', severity: 'ok', title: 'DMARC policy is enforced', evidence: { p: 'reject' } }]],
    ['smtp', [
      { id: 'smtp.reachable', severity: 'ok', title: 'SMTP server answers', subject: 'mx1.good.example:25' },
      { id: 'smtp.relay-refused', severity: 'ok', title: 'Not an open relay', subject: 'mx1.good.example:25' },
    ]],
    ['tls', [{ id: 'tls.versions-ok', severity: 'ok', title: 'Only current TLS versions accepted', subject: 'mx1.good.example:25' }]],
    ['cert', [{ id: 'cert.trusted', severity: 'ok', title: 'Certificate chain trusted', subject: 'mx1.good.example:25' }]],
    ['dnssec', [{ id: 'dnssec.signed', severity: 'ok', title: 'The domain is DNSSEC-signed and validates' }]],
    ['dane', [{ id: 'dane.present', severity: 'ok', title: 'DANE TLSA records are published and DNSSEC-validated' }]],
    ['mta-sts', [{ id: 'mta-sts.not-deployed', severity: 'info', title: 'MTA-STS is not deployed' }]],
  ]);
}

export function broken(): Report {
  return domain('例子.example', [
    ['spf', [{ id: 'spf.all-pass', severity: 'critical', title: 'SPF authorizes every address on the internet (+all)', detail: 'v=spf1 +all', remediation: 'End the record with -all or ~all.', evidence: { record: 'v=spf1 +all' } }]],
    ['dmarc', [{ id: 'dmarc.policy-none', severity: 'warning', title: 'DMARC policy is "none": not enforced', remediation: 'Move to p=quarantine.' }]],
    ['smtp', [
      { id: 'smtp.connect-refused', severity: 'critical', title: 'Connection refused: nothing listens on the SMTP port', subject: 'mx1.例子.example:25', detail: CJK_DETAIL, evidence: { banner: HOSTILE } },
      { id: 'smtp.software', severity: 'info', title: HOSTILE, subject: 'mx2.例子.example:25' },
      { id: 'smtp.open-relay', severity: 'critical', title: 'Open relay: the server accepts mail for outside domains from anyone', subject: 'mx2.例子.example:25' },
    ]],
    ['tls', [{ id: 'tls.legacy-versions', severity: 'warning', title: 'TLS 1.0 or 1.1 still accepted', subject: 'mx2.例子.example:25', evidence: { accepted: ['TLSv1', 'TLSv1.1', 'TLSv1.2'] } }]],
    ['dnssec', [{ id: 'dnssec.unsigned', severity: 'info', title: 'The domain is not DNSSEC-signed' }]],
  ]);
}

export function undecided(): Report {
  return domain('timeout.example', [
    ['spf', [{ id: 'spf.lookup-failed', severity: 'unknown', title: 'Could not look up an SPF-related record', detail: 'SERVFAIL' }]],
    ['dmarc', [{ id: 'dmarc.lookup-failed', severity: 'unknown', title: 'Could not look up the DMARC record' }]],
  ]);
}

export function samples(): Report[] {
  return [healthy(), broken(), undecided()];
}
