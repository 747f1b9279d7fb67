// EHLO reply → service extensions (RFC 5321 §4.1.1.1: first line is the server's name
// and greeting, each further line "keyword [params]").
export interface SmtpCapabilities {
  /** The domain the server names on the first EHLO line. */
  hostname?: string;
  /** SIZE (RFC 1870): the limit in bytes; 0 = no fixed limit; null = SIZE without a value. */
  size?: number | null;
  pipelining: boolean;
  starttls: boolean;
  /** AUTH mechanisms (RFC 4954), upper case; the old "AUTH=" form merged in. */
  auth: string[];
  /** True when only the pre-standard "AUTH=LOGIN PLAIN" form was seen. */
  authLegacyOnly: boolean;
  eightBitMime: boolean;
  smtpUtf8: boolean;
  chunking: boolean;
  enhancedStatusCodes: boolean;
  dsn: boolean;
  requireTls: boolean;
  /** Every extension line as sent (keyword and parameters), known or not. */
  raw: string[];
}

export function parseEhlo(lines: string[]): SmtpCapabilities {
  const caps: SmtpCapabilities = {
    pipelining: false, starttls: false, auth: [], authLegacyOnly: false, eightBitMime: false, smtpUtf8: false,
    chunking: false, enhancedStatusCodes: false, dsn: false, requireTls: false, raw: [],
  };
  const [first, ...rest] = lines;
  const host = first?.trim().split(/\s+/)[0];
  if (host) caps.hostname = host;
  let standardAuth = false;
  let legacyAuth = false;
  const auth = new Set<string>();
  for (const line of rest) {
    const text = line.trim();
    if (!text) continue;
    caps.raw.push(text);
    const [kw = '', ...params] = text.split(/\s+/);
    const keyword = kw.toUpperCase();
    if (keyword.startsWith('AUTH=')) {
      // Old Outlook-era form (before RFC 2554 was final): "AUTH=LOGIN PLAIN".
      legacyAuth = true;
      for (const m of [keyword.slice(5), ...params]) if (m) auth.add(m.toUpperCase());
      continue;
    }
    switch (keyword) {
      case 'SIZE': {
        const n = params[0] !== undefined ? Number(params[0]) : NaN;
        caps.size = Number.isInteger(n) && n >= 0 ? n : null;
        break;
      }
      case 'PIPELINING': caps.pipelining = true; break;
      case 'STARTTLS': caps.starttls = true; break;
      case 'AUTH':
        standardAuth = true;
        for (const m of params) auth.add(m.toUpperCase());
        break;
      case '8BITMIME': caps.eightBitMime = true; break;
      case 'SMTPUTF8': caps.smtpUtf8 = true; break;
      case 'CHUNKING': caps.chunking = true; break;
      case 'ENHANCEDSTATUSCODES': caps.enhancedStatusCodes = true; break;
      case 'DSN': caps.dsn = true; break;
      case 'REQUIRETLS': caps.requireTls = true; break;
      default: break;
    }
  }
  caps.auth = [...auth];
  caps.authLegacyOnly = legacyAuth && !standardAuth;
  return caps;
}

/** Mechanisms that send the secret itself (or a bearer token) and so need TLS (RFC 4954 §4, RFC 4616 §4). */
export const PLAINTEXT_AUTH = new Set(['PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER']);
