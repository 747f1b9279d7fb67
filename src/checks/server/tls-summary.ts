// One line per endpoint for the human report: "SMTP 25 ok (STARTTLS, TLS 1.3, cert 61 days)".
// Pure, so the SMTP/IMAP/POP3 checks and the report renderer can all use it.
import type { Severity } from '../../core/finding.js';
import type { TlsProbeResult } from '../../probes/tls-probe.js';
import { validity } from '../../parsers/certificate.js';
import { starttlsRefused, versionName } from './tls.js';

export interface EndpointSummaryFacts {
  /** Service key (smtp, submission, imaps, ...) or a label. */
  service: string;
  port: number;
  implicitTls: boolean;
  /** Worst severity of the endpoint's findings; derived from the TLS facts when absent. */
  status?: Severity;
  tls?: TlsProbeResult;
  /** Clock for the certificate's days left (ms since epoch). */
  now?: number;
}

const LABEL: Record<string, string> = {
  smtp: 'SMTP', submission: 'Submission', submissions: 'Submission', imap: 'IMAP', imaps: 'IMAP', pop3: 'POP3', pop3s: 'POP3', lmtp: 'LMTP',
};

export function summarizeEndpoint(f: EndpointSummaryFacts): string {
  const label = `${LABEL[f.service] ?? f.service.toUpperCase()} ${f.port}`;
  const t = f.tls;
  if (!t) return `${label} ${f.status ?? 'unknown'} (TLS not tested)`;
  const parts: string[] = [];
  let derived: Severity = 'ok';
  if (t.open) {
    if (starttlsRefused(t)) parts.push('STARTTLS not offered'), (derived = 'critical');
    else parts.push(`${t.open.stage} failed: ${t.open.error.slice(0, 80)}`), (derived = 'unknown');
  } else {
    parts.push(f.implicitTls ? 'implicit TLS' : 'STARTTLS');
    const h = t.handshake;
    if (!h) {
      parts.push(t.failure?.kind === 'timeout' ? 'TLS handshake timeout' : `TLS failed${t.failure?.code ? ` (${t.failure.code})` : ''}`);
      derived = t.failure?.kind === 'timeout' ? 'warning' : 'critical';
    } else {
      parts.push(versionName(h.protocol));
      const leaf = h.chain[0];
      if (leaf) {
        const v = validity(leaf, new Date(f.now ?? Date.now()));
        parts.push(v.state === 'expired' ? 'cert expired' : v.state === 'not-yet-valid' ? 'cert not yet valid' : `cert ${v.daysLeft} days`);
        if (v.state !== 'valid') derived = 'critical';
      }
    }
  }
  return `${label} ${f.status ?? derived} (${parts.join(', ')})`;
}
