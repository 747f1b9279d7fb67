// POP3 replies (RFC 1939 §3): "+OK text" / "-ERR text", the RFC 2449 §8 extended response
// codes ("-ERR [AUTH] ...", "[IN-USE]", "[LOGIN-DELAY]", "[SYS/TEMP]"), and CAPA lines
// (RFC 2449 §5). Pure: no I/O.

export interface Pop3Reply {
  ok: boolean;
  /** Extended response code, upper-cased ("AUTH", "IN-USE", "SYS/TEMP"). */
  code?: string;
  text: string;
}

/** Parse a status line; undefined when it starts with neither +OK nor -ERR. */
export function parsePop3Reply(line: string): Pop3Reply | undefined {
  const m = /^([+-])(OK|ERR)\b ?(.*)$/i.exec(line);
  if (!m || (m[1] === '+') !== (m[2]!.toUpperCase() === 'OK')) return undefined;
  const out: Pop3Reply = { ok: m[1] === '+', text: m[3]! };
  const code = /^\[([^\]\s]+)\]\s*(.*)$/.exec(out.text);
  if (code) {
    out.code = code[1]!.toUpperCase();
    out.text = code[2]!;
  }
  return out;
}

/** One line of a multi-line response: undefined at the terminating ".", dot-unstuffed otherwise (RFC 1939 §3). */
export function multiLine(line: string): string | undefined {
  if (line === '.') return undefined;
  return line.startsWith('.') ? line.slice(1) : line;
}

/** CAPA lines → "STLS", "USER", "SASL PLAIN LOGIN" as capability name → arguments. */
export function parseCapa(lines: string[]): Map<string, string[]> {
  const caps = new Map<string, string[]>();
  for (const l of lines) {
    const [name, ...args] = l.trim().split(/\s+/);
    if (name) caps.set(name.toUpperCase(), args.map((a) => a.toUpperCase()));
  }
  return caps;
}

/** A capability map rendered back as one list ("USER", "SASL PLAIN LOGIN"). */
export function capaList(caps: Map<string, string[]>): string[] {
  return [...caps].map(([k, v]) => [k, ...v].join(' '));
}
