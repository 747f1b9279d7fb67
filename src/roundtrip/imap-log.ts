// imapflow's logger → a short, redacted protocol log for the report's evidence. imapflow
// masks passwords in its command log; we also drop LOGIN/AUTHENTICATE arguments and any
// line holding the password, and cap lines and their count.

const MAX_LINES = 400;
const MAX_LINE = 300;

export interface ImapLogger {
  debug(o: any): void;
  info(o: any): void;
  warn(o: any): void;
  error(o: any): void;
  trace(o: any): void;
}

export function imapLogger(lines: string[], secret: string): ImapLogger {
  const add = (o: any) => {
    if (lines.length >= MAX_LINES || !o || typeof o.msg !== 'string') return;
    const dir = o.src === 'c' ? 'C: ' : o.src === 's' ? 'S: ' : '';
    if (!dir) return;
    let msg: string = o.msg;
    if (dir === 'C: ') msg = msg.replace(/^(\S+\s+(?:LOGIN|AUTHENTICATE)\b).*/i, '$1 <redacted>');
    if (secret && msg.includes(secret)) msg = '<redacted>';
    // A SASL continuation carries the credentials, base64-encoded.
    if (dir === 'C: ' && /^[A-Za-z0-9+/=]{8,}$/.test(msg.trim())) msg = '<redacted>';
    lines.push(dir + msg.slice(0, MAX_LINE));
  };
  return { debug: add, info: add, warn: add, error: add, trace: () => undefined };
}
