// A message's bytes on the wire: CRLF line ends only (RFC 5321 §2.3.8), dot-stuffing
// (§4.5.2) and the end-of-data marker (§4.1.1.4); plus the small header look-ups that a
// raw --data-file message needs (is the token header there, what is its Message-ID).

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** Bare LF and bare CR become CRLF; a last line without an end gets one. */
export function normalizeCrlf(msg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(msg.length * 2 + 2);
  let n = 0;
  for (let i = 0; i < msg.length; i++) {
    const b = msg[i]!;
    if (b === CR) {
      out[n++] = CR;
      out[n++] = LF;
      if (msg[i + 1] === LF) i++;
    } else if (b === LF) {
      out[n++] = CR;
      out[n++] = LF;
    } else out[n++] = b;
  }
  if (n > 0 && !(out[n - 2] === CR && out[n - 1] === LF)) {
    out[n++] = CR;
    out[n++] = LF;
  }
  return Buffer.from(out.subarray(0, n));
}

/**
 * The DATA payload of a CRLF-normalised message: every line that starts with "." gets one
 * more (RFC 5321 §4.5.2), then the terminating ".CRLF" follows the last CRLF.
 */
export function dotStuff(normalized: Buffer): Buffer {
  let dots = normalized[0] === DOT ? 1 : 0;
  for (let i = 1; i < normalized.length; i++) if (normalized[i] === DOT && normalized[i - 1] === LF) dots++;
  const out = Buffer.allocUnsafe(normalized.length + dots + 3);
  let n = 0;
  for (let i = 0; i < normalized.length; i++) {
    const b = normalized[i]!;
    if (b === DOT && (i === 0 || normalized[i - 1] === LF)) out[n++] = DOT;
    out[n++] = b;
  }
  out[n++] = DOT;
  out[n++] = CR;
  out[n++] = LF;
  return out.subarray(0, n);
}

/** The header block: everything before the first empty line (the whole message when there is none). */
export function headerBlock(msg: Buffer): string {
  const text = msg.subarray(0, Math.min(msg.length, 256 * 1024)).toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** The unfolded value of the first header `name` (RFC 5322 §2.2.3), or undefined. */
export function headerValue(msg: Buffer, name: string): string | undefined {
  const unfolded = headerBlock(msg).replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}[ \\t]*:[ \\t]*(.*)$`, 'im');
  return re.exec(unfolded)?.[1]?.trim();
}

/** True when any byte is 8-bit: then BODY=8BITMIME is declared when offered (RFC 6152 §3). */
export function hasEightBit(msg: Buffer): boolean {
  for (const b of msg) if (b > 0x7f) return true;
  return false;
}
