// Certificate files on disk: the ones Postfix, Dovecot and Exim are configured with, plus
// --cert-file. Every PEM certificate in a file is parsed (chain files hold the key, the leaf
// and intermediates); the one expiring first decides, since that is when TLS breaks.
import { X509Certificate } from 'node:crypto';
import { finding, type Finding } from '../core/finding.js';
import { errnoOf, type HostFs } from '../io/host-fs.js';
import { chainValidity, expiryLevel } from '../parsers/certificate.js';
import { HOST_FINDINGS as H } from './host-findings.js';

export interface CertFileFacts {
  file: string;
  /** Where the path came from: "postfix smtpd_tls_chain_files", "dovecot ssl_cert", "--cert-file". */
  source: string;
  certificates?: number;
  subject?: string;
  notAfter?: string;
  daysLeft?: number;
  state?: 'valid' | 'expired' | 'not-yet-valid';
  error?: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function inspectCertFile(fs: HostFs, file: string, source: string, now: Date): CertFileFacts {
  let text: string;
  try { text = fs.readFile(file, 4 * 1024 * 1024); } catch (e) { return { file, source, error: errnoOf(e) }; }
  const certs: X509Certificate[] = [];
  for (const pem of text.match(PEM) ?? []) {
    try { certs.push(new X509Certificate(pem)); } catch { /* a damaged block: the others may still parse */ }
  }
  // smtpd_tls_chain_files may list the key in a file of its own before the certificate file.
  if (!certs.length) return { file, source, certificates: 0, error: /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? 'key only' : 'no PEM certificate' };
  // The same rule as a served chain (checks/server/cert.ts): a self-signed root after the leaf does not count.
  const { expired, future, soonest } = chainValidity(certs, now);
  const pick = expired ?? future ?? soonest;
  return {
    file, source, certificates: certs.length, subject: certs[pick.i]!.subject.replace(/\n/g, ', '),
    notAfter: pick.v.notAfter, daysLeft: pick.v.daysLeft, state: pick.v.state,
  };
}

/** The finding for one file; none for a key-only file (its certificate is in the next file). */
export function evaluateCertFile(c: CertFileFacts, warnDays: number, critDays: number): Finding | undefined {
  const subject = c.file;
  const evidence = { ...c };
  if (c.error === 'key only') return undefined;
  // A private key file the user may not read (mode 0600) is not a certificate problem.
  if (c.error === 'EACCES' && /key/i.test(c.file.split('/').pop() ?? '') && /chain_files/.test(c.source)) return undefined;
  if (c.error === 'ENOENT') return finding(H.certMissing, { subject, detail: `${c.file} (${c.source}) does not exist`, evidence });
  if (c.error === 'no PEM certificate') return finding(H.certInvalid, { subject, detail: `${c.file} (${c.source}) holds no parsable PEM certificate`, evidence });
  if (c.error !== undefined) {
    return finding(H.certUnreadable, { subject, detail: `${c.file} (${c.source}): ${c.error === 'EACCES' ? 'permission denied' : c.error}`, evidence });
  }
  const who = `${c.subject} (${c.source})`;
  if (c.state !== 'valid') {
    const when = c.state === 'expired' ? `expired on ${c.notAfter}` : 'is not valid yet';
    return finding(H.certExpired, { subject, detail: `${who} ${when}`, evidence });
  }
  const level = expiryLevel(c.daysLeft!, warnDays, critDays);
  if (level !== 'ok') return finding(H.certExpiring, { subject, severity: level, detail: `${who} expires in ${c.daysLeft} days (${c.notAfter})`, evidence });
  return finding(H.certOk, { subject, title: `Certificate file valid for ${c.daysLeft} more days`, detail: `${who} valid until ${c.notAfter} (${c.daysLeft} days)`, evidence });
}

/** A Dovecot value "<path" reads the file; a value without "<" is inline PEM, not a path. */
export function dovecotPath(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.startsWith('<')) return v.slice(1).trim();
  return v.startsWith('/') ? v : undefined;
}
