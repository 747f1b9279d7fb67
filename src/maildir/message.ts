// What a message's header section says about its health (RFC 5322 §2.2, §3.6): the header
// lines parse, the required Date and From fields are present, and the Message-ID. Incremental:
// fed the file's first bytes only (the header section), so the body is never held.

export interface HeaderInspection {
  messageId?: string;
  hasFrom: boolean;
  hasDate: boolean;
  /** Why the header section does not parse, if it does not. */
  parseError?: string;
}

/** Header sections longer than this are judged on their first part only (servers cap them too). */
export const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Inspect the header section at the start of `head` (the first bytes of the file; `complete`
 * when that is the whole file).
 */
export function inspectHeader(head: Buffer, complete: boolean): HeaderInspection {
  const out: HeaderInspection = { hasFrom: false, hasDate: false };
  const end = headerEnd(head);
  const section = head.subarray(0, end < 0 ? head.length : end).toString('latin1');
  if (end < 0 && !complete) {
    if (head.length >= MAX_HEADER_BYTES) out.parseError = `no end of the header section in the first ${MAX_HEADER_BYTES / 1024} KB`;
  }
  if (section.includes('\0')) out.parseError ??= 'NUL byte in the header section';
  const lines = section.split(/\r?\n/);
  let fields = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' && i === lines.length - 1) break;
    if (/^[ \t]/.test(line)) {
      if (fields === 0) out.parseError ??= 'the first line is a continuation line';
      continue;
    }
    // An mbox "From " line at the top (some tools leave it) is tolerated, not a field.
    if (i === 0 && line.startsWith('From ')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon).trimEnd())) {
      out.parseError ??= `line ${i + 1} of the header is not a header field: ${JSON.stringify(line.slice(0, 60))}`;
      continue;
    }
    fields++;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'from') out.hasFrom = true;
    else if (name === 'date') out.hasDate = true;
    else if (name === 'message-id' && out.messageId === undefined) {
      let v = line.slice(colon + 1);
      for (let j = i + 1; j < lines.length && /^[ \t]/.test(lines[j]!); j++) v += lines[j];
      const id = /<[^<>\s]+>/.exec(v)?.[0];
      if (id) out.messageId = id;
    }
  }
  if (fields === 0) out.parseError ??= 'no header fields';
  return out;
}

/** Offset of the blank line that ends the header section, or -1. */
function headerEnd(b: Buffer): number {
  const lf = b.indexOf('\n\n');
  const crlf = b.indexOf('\r\n\r\n');
  if (lf < 0) return crlf;
  if (crlf < 0) return lf;
  return Math.min(lf, crlf);
}
