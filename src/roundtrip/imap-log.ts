// imapflow's logger → a short, redacted protocol log for the report's evidence. imapflow
// masks passwords in its command log; we also drop LOGIN/AUTHENTICATE arguments, pass every
// line through the session's Redactor (a server may echo the password, raw or in base64)
// before cutting it, and cap lines and their count.
import type { Redactor } from '../core/redact.js';

const MAX_LINES = 400;
const MAX_LINE = 300;

export interface ImapLogger {
  debug(o: any): void;
  info(o: any): void;
  warn(o: any): void;
  error(o: any): void;
  trace(o: any): void;
}

export function imapLogger(lines: string[], redactor: Redactor): ImapLogger {
  const add = (o: any) => {
    if (lines.length >= MAX_LINES || !o || typeof o.msg !== 'string') return;
    const dir = o.src === 'c' ? 'C: ' : o.src === 's' ? 'S: ' : '';
    if (!dir) return;
    let msg: string = o.msg;
    if (dir === 'C: ') msg = msg.replace(/^(\S+\s+(?:LOGIN|AUTHENTICATE)\b).*/i, '$1 <redacted>');
    // A SASL continuation carries the credentials, base64-encoded.
    if (dir === 'C: ' && /^[A-Za-z0-9+/=]{8,}$/.test(msg.trim())) msg = '<redacted>';
    lines.push(dir + redactor.clip(msg, MAX_LINE, () => ''));
  };
  return { debug: add, info: add, warn: add, error: add, trace: () => undefined };
}
