// Pulls the SMTP reply out of whatever the user pasted: a bare code, an enhanced code,
// a (multi-line) reply, or a whole Postfix/Exim/Dovecot log line. Pure and linear-time:
// the input is untrusted log text, so no regex here backtracks on long lines.

/** What the MTA that wrote the log line did with the message. */
export type Delivery = 'delivered' | 'deferred' | 'bounced' | 'expired';

export interface Extracted {
  /** The input as analysed: trimmed, CR removed, capped at MAX_INPUT characters. */
  input: string;
  /** First valid SMTP reply code (RFC 5321 §4.2: [2-5][0-5][0-9]). */
  replyCode?: number;
  /** Enhanced status code "c.s.d" (RFC 3463 §2), preferably the one right after the reply code. */
  enhancedCode?: string;
  /** Reply text with the code and continuation prefixes removed; the whole input when no code. */
  text: string;
  /** The SMTP command the reply answered, when the log line says ("RCPT TO", "end of DATA"). */
  command?: string;
  delivery?: Delivery;
  /** Every code-like token seen, valid or not, for an honest "not recognised". */
  tokens: string[];
}

export const MAX_INPUT = 16_384;

// A reply code stands alone: start, space, "(" or ":" before; space, "-" or end after.
const REPLY_TOKEN = /(?:^|[\s(:;])(\d{3})(?=[ -]|$)/gm;
// "5.7.1" but not an IPv4 address ("4.2.2.2") or a version ("3.6.0" has class 3).
const ENHANCED_TOKEN = /(?:^|[\s(=:;,-])(\d)\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/g;
const VALID_REPLY = /^[2-5][0-5]\d$/;

const POSTFIX_STATUS = /\bstatus=(sent|deliverable|deferred|bounced|undeliverable|expired|force-expired)\b/;
// Exim main log: "<message-id> <flag> ..." with old (6-6-2) and 4.97+ (6-11-4) ids.
const EXIM_FLAG = /\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} (\*\*|==|=>|->) /;

function delivery(s: string): Delivery | undefined {
  const p = POSTFIX_STATUS.exec(s)?.[1];
  if (p) {
    if (p === 'sent' || p === 'deliverable') return 'delivered';
    if (p === 'deferred') return 'deferred';
    return p.endsWith('expired') ? 'expired' : 'bounced';
  }
  const e = EXIM_FLAG.exec(s)?.[1];
  if (e === '**') return 'bounced';
  if (e === '==') return 'deferred';
  return e ? 'delivered' : undefined;
}

function command(s: string): string | undefined {
  const m = /\(in reply to ([A-Za-z ]{2,30}?) command\)/.exec(s)
    ?? /SMTP error from remote mail server after (?:pipelined )?([A-Za-z ]{2,20}?)(?::|\s*$)/.exec(s)
    ?? /\breject: ([A-Z-]{3,15}) from /.exec(s);
  return m?.[1]?.replace(/^end of data$/i, 'end of DATA');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The reply text after the code: continuation prefixes and log trailers removed. */
function replyText(s: string, at: number, code: number, enhanced: string | undefined): string {
  let t = s.slice(at);
  // Multi-line replies repeat "550-5.7.26 " on every line (RFC 5321 §4.2.1); logs keep them inline.
  const prefix = new RegExp(`(^|\\s)${code}[ -](?:${enhanced ? `${escapeRe(enhanced)}(?:\\s|$)` : ''})?`, 'g');
  t = t.replace(prefix, '$1');
  const cut = t.search(/\s\(in reply to [A-Za-z ]{2,30}command\)|; from=<|; proto=/);
  if (cut >= 0) t = t.slice(0, cut);
  t = t.replace(/\s+/g, ' ').trim();
  // Postfix wraps the reply in "status=sent (…)": drop the closing parenthesis it added.
  const unbalanced = t.split(')').length - t.split('(').length;
  return unbalanced > 0 && t.endsWith(')') ? t.slice(0, -1).trim() : t;
}

export function extract(raw: string): Extracted {
  const input = String(raw ?? '').slice(0, MAX_INPUT).replace(/\r/g, '').trim();
  const tokens: string[] = [];
  let replyCode: number | undefined;
  let replyAt = -1;
  for (const m of input.matchAll(REPLY_TOKEN)) {
    tokens.push(m[1]!);
    if (replyCode === undefined && VALID_REPLY.test(m[1]!)) {
      replyCode = Number(m[1]);
      replyAt = m.index! + m[0].length - 3;
    }
  }
  let enhancedCode: string | undefined;
  if (replyAt >= 0) {
    enhancedCode = /^[ -]([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/.exec(input.slice(replyAt + 3, replyAt + 16))?.[1];
  }
  const dsn = /\bdsn=([245]\.\d{1,3}\.\d{1,3})\b/.exec(input)?.[1];
  for (const m of input.matchAll(ENHANCED_TOKEN)) {
    const code = `${m[1]}.${m[2]}.${m[3]}`;
    if (!tokens.includes(code)) tokens.push(code);
    if (!enhancedCode && !dsn && /^[245]$/.test(m[1]!)) enhancedCode = code;
  }
  enhancedCode ??= dsn;
  const text = replyCode !== undefined ? replyText(input, replyAt, replyCode, enhancedCode) : input.replace(/\s+/g, ' ');
  return { input, replyCode, enhancedCode, text, command: command(input), delivery: delivery(input), tokens };
}
