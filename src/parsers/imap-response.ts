// IMAP server response lines (RFC 9051 §7, RFC 3501 §7): tagged/untagged status responses
// with optional [CODE args] response codes, CAPABILITY lists and literal announcements.
// Pure: no I/O. Lenient about case and spacing, because real servers (Dovecot, Courier,
// Exchange) differ in both.

export type ImapStatus = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

export interface ImapResponse {
  /** "*" untagged, "+" continuation, else the command tag. */
  tag: string;
  /** OK/NO/BAD/PREAUTH/BYE when the response is a status response (RFC 9051 §7.1). */
  status?: ImapStatus;
  /** For untagged data responses: the keyword ("CAPABILITY", "ID", a message number...). */
  keyword?: string;
  /** Response code atom in brackets, upper-cased: "CAPABILITY", "AUTHENTICATIONFAILED", "UNAVAILABLE". */
  code?: string;
  /** What follows the code atom inside the brackets. */
  codeArgs?: string;
  /** Human-readable text after the status and response code (or after the keyword). */
  text: string;
}

const STATUSES = new Set(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE']);

/** Parse one logical response line (literals already folded in); undefined when it is not IMAP at all. */
export function parseImapLine(line: string): ImapResponse | undefined {
  const m = /^(\*|\+|[A-Za-z0-9.\-_]+)(?: (.*))?$/.exec(line.trimEnd());
  if (!m) return undefined;
  const tag = m[1]!;
  let rest = m[2] ?? '';
  if (tag === '+') return { tag, text: rest };
  const word = /^(\S+)\s*(.*)$/.exec(rest);
  if (!word) return undefined;
  const first = word[1]!.toUpperCase();
  rest = word[2]!;
  if (!STATUSES.has(first)) {
    if (tag !== '*') return undefined; // a tagged response is always a status response
    return { tag, keyword: first, text: rest };
  }
  const out: ImapResponse = { tag, status: first as ImapStatus, text: rest };
  const code = /^\[([^\]\s]+)(?: ([^\]]*))?\]\s*(.*)$/.exec(rest);
  if (code) {
    out.code = code[1]!.toUpperCase();
    if (code[2] !== undefined) out.codeArgs = code[2];
    out.text = code[3]!;
  }
  return out;
}

/** Capability atoms, upper-cased, from "IMAP4rev1 STARTTLS AUTH=PLAIN ..." (RFC 9051 §7.2.2). */
export function parseCapabilities(list: string): string[] {
  return [...new Set(list.split(/\s+/).filter(Boolean).map((c) => c.toUpperCase()))];
}

/** The capabilities a response carries, from an untagged CAPABILITY or a [CAPABILITY ...] code. */
export function capabilitiesOf(r: ImapResponse): string[] | undefined {
  if (r.keyword === 'CAPABILITY') return parseCapabilities(r.text);
  if (r.code === 'CAPABILITY') return parseCapabilities(r.codeArgs ?? '');
  return undefined;
}

/** SASL mechanisms from AUTH=... capabilities (RFC 9051 §6.2.2). */
export function authMechanisms(caps: string[]): string[] {
  return caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
}

/** A line ending in {n} or {n+} announces n octets of literal data after the CRLF (RFC 9051 §4.3, RFC 7888). */
export function literalAtEnd(line: string): { size: number; index: number } | undefined {
  const m = /\{(\d{1,12})\+?\}$/.exec(line);
  return m ? { size: Number(m[1]), index: m.index } : undefined;
}

/** A quoted string for LOGIN arguments (RFC 9051 §4.3); undefined when it needs a literal (CR, LF, NUL, 8-bit). */
export function quoteImap(s: string): string | undefined {
  if (/[\x00\r\n\x80-\uffff]/.test(s)) return undefined;
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
