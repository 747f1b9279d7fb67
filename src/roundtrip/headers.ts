// The header section of a received message as (name, value) pairs, unfolded
// (RFC 5322 §2.2.3). Pure, capped, never throws: the copy came from a server we do not trust.

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value, leading whitespace trimmed. */
  value: string;
}

/** Header sections larger than this are cut (a hostile message must not make us slow). */
export const MAX_HEADER_BYTES = 256 * 1024;
const MAX_FIELDS = 2000;

export function parseHeaders(raw: Buffer | string): HeaderField[] {
  const text = typeof raw === 'string' ? raw.slice(0, MAX_HEADER_BYTES) : raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end >= 0 ? text.slice(0, end) : text;
  const fields: HeaderField[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      // A continuation line (folding whitespace) belongs to the previous field.
      const last = fields[fields.length - 1];
      if (last) last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (fields.length >= MAX_FIELDS) break;
    fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** Every value of one field, in message order (newest trace fields first, RFC 5322 §3.6.7). */
export function headerValues(fields: HeaderField[], name: string): string[] {
  const n = name.toLowerCase();
  return fields.filter((f) => f.name === n).map((f) => f.value);
}

/** The text with (nested) RFC 5322 comments removed, and the comments themselves. */
export function splitComments(s: string): { text: string; comments: string[] } {
  let depth = 0;
  let text = '';
  let current = '';
  const comments: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && depth > 0 && i + 1 < s.length) {
      current += s[++i];
      continue;
    }
    if (ch === '(') {
      if (depth > 0) current += ch;
      depth++;
      continue;
    }
    if (ch === ')' && depth > 0) {
      depth--;
      if (depth === 0) {
        comments.push(current.trim());
        current = '';
        text += ' ';
      } else current += ch;
      continue;
    }
    if (depth > 0) current += ch;
    else text += ch;
  }
  if (depth > 0 && current) comments.push(current.trim());
  return { text, comments };
}
