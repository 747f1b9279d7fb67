// SMTP reply syntax (RFC 5321 §4.2): "ddd-text" continues a multi-line reply,
// "ddd text" (or a bare "ddd") ends it; every line of one reply carries the same code.

export interface ReplyLine {
  code: number;
  /** True for "ddd-": more lines of the same reply follow. */
  more: boolean;
  text: string;
}

const LINE = /^([2-5][0-5]\d)(?:([ -])(.*))?$/;

/** One reply line, or undefined when the line is not SMTP (a non-SMTP banner, garbage). */
export function parseReplyLine(line: string): ReplyLine | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  return { code: Number(m[1]), more: m[2] === '-', text: m[3] ?? '' };
}

/** RFC 3463 enhanced status code at the start of a reply text ("5.7.1 Relay access denied"). */
export function enhancedCode(text: string): string | undefined {
  return /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
}
