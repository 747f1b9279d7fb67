// Report destination URIs in DMARC rua/ruf (RFC 7489 §6.4 dmarc-uri) and TLS-RPT rua
// (RFC 8460 §3). Only mailto: and https: are useful: receivers deliver aggregate
// reports by mail, and TLS-RPT also by HTTPS POST. Pure: no I/O, never throws.

export interface ReportUri {
  raw: string;
  /** Lower-cased scheme, e.g. "mailto". */
  scheme?: string;
  /** The mailbox for mailto:, the URL for https:. */
  target?: string;
  /** Host that receives the reports: the mail domain of mailto:, the host of https:. */
  host?: string;
  /** DMARC's "!size" limit (RFC 7489 §6.4), in bytes; removed by DMARCbis. */
  sizeLimit?: number;
  /** Why the URI is unusable, when it is. */
  error?: string;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const HOST = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Split a comma-separated URI list (commas inside URIs must be %-encoded, RFC 7489 §6.4). */
export function parseReportUris(list: string, allowSize: boolean): ReportUri[] {
  return list.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => parseReportUri(s, allowSize));
}

export function parseReportUri(raw: string, allowSize: boolean): ReportUri {
  const out: ReportUri = { raw };
  let uri = raw;
  // dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]; a literal "!" in the URI must be %21.
  const size = /!(\d+)([kmgt]?)$/i.exec(uri);
  if (size) {
    if (!allowSize) return { ...out, error: 'a "!size" suffix is not allowed here' };
    out.sizeLimit = Number(size[1]) * UNITS[size[2]!.toLowerCase()]!;
    uri = uri.slice(0, size.index);
  }
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(uri);
  if (!m) return { ...out, error: 'not a URI (expected mailto:address or https://host/path)' };
  out.scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (out.scheme === 'mailto') {
    const addr = decodeSafe(rest.split('?')[0]!);
    out.target = addr;
    const at = addr.lastIndexOf('@');
    const host = at > 0 ? addr.slice(at + 1).toLowerCase().replace(/\.$/, '') : '';
    if (at <= 0 || !HOST.test(host)) return { ...out, error: `"${addr}" is not a mail address with a valid domain` };
    if (/[\s,;!]/.test(addr)) return { ...out, error: `"${addr}" contains characters that must be %-encoded` };
    out.host = host;
    return out;
  }
  if (out.scheme === 'https') {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return { ...out, error: 'not a valid https URL' };
    }
    out.target = url.href;
    out.host = url.hostname.toLowerCase();
    if (!HOST.test(out.host)) return { ...out, error: `"${url.hostname}" is not a valid host name` };
    return out;
  }
  return { ...out, error: `the "${out.scheme}:" scheme is not supported; use mailto: (or https:)` };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
