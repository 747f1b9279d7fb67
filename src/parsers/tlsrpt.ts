// SMTP TLS Reporting policy records at _smtp._tls.<domain> (RFC 8460 §3):
//   tlsrpt-record = %s"v=TLSRPTv1" 1*(field-delim tlsrpt-field) [field-delim]
//   tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)   ; mailto: or https:
//   tlsrpt-extension = ext-name "=" ext-value, ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
// Pure: no I/O, never throws.
import { parseReportUris } from './report-uri.js';
import type { ReportUri } from './report-uri.js';

export interface TlsRptRecord {
  raw: string;
  rua: ReportUri[];
  extensions: { name: string; value: string }[];
  /** Grammar violations: senders treat the record as absent (§3). */
  errors: string[];
}

/** Records meant as TLS-RPT, including mis-written ones we want to explain rather than ignore. */
export function isTlsRptCandidate(text: string): boolean {
  return /^\s*v\s*=\s*tlsrptv1/i.test(text);
}

const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

export function parseTlsRpt(raw: string): TlsRptRecord {
  const rec: TlsRptRecord = { raw, rua: [], extensions: [], errors: [] };
  const fields = raw.split(';').map((f) => f.trim());
  if (fields.at(-1) === '') fields.pop();
  const version = fields.shift() ?? '';
  // %s"v=TLSRPTv1" is case-sensitive, with no spaces around "=".
  if (version !== 'v=TLSRPTv1') rec.errors.push(`the record must start with exactly "v=TLSRPTv1;", not "${version}"`);
  let ruaSeen = 0;
  for (const f of fields) {
    const eq = f.indexOf('=');
    if (eq <= 0) {
      rec.errors.push(f ? `"${f}" is not a name=value field` : 'empty field (two ";" in a row)');
      continue;
    }
    const name = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (name === 'rua') {
      ruaSeen++;
      rec.rua = parseReportUris(value, false);
      if (!rec.rua.length) rec.errors.push('rua is empty');
    } else if (!EXT_NAME.test(name) || !EXT_VALUE.test(value)) {
      rec.errors.push(`"${f}" is not a valid field (a typo, or spaces around "=")`);
    } else {
      rec.extensions.push({ name, value });
    }
  }
  if (ruaSeen === 0) rec.errors.push('the required rua field (where to send reports) is missing');
  if (ruaSeen > 1) rec.errors.push('rua appears more than once; list several URIs in one rua, separated by commas');
  return rec;
}
