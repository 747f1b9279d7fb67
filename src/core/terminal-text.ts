// The one escape for text that reaches a terminal: a server's banner, a log line or a DNS
// record may carry ESC sequences (clear the screen, move the cursor, retitle the window),
// other C0/C1 controls, or Unicode bidi overrides (CVE-2021-42574 "Trojan Source") that
// reorder what is shown. Each such character becomes visible text instead: \x1b, \u202e.
// The notation \uXXXX is also a JSON escape of the same character, so JSON text escaped
// here still parses to exactly the same strings.

/**
 * C0 except TAB and LF, DEL, C1, the ALM/LRM/RLM marks, line/paragraph separators, the bidi
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and interlinear annotations.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb]/g;

function visible(c: string): string {
  const n = c.charCodeAt(0);
  // \xNN only below DEL: JSON.stringify has already escaped those (C0) in JSON text, but not
  // DEL, and "\x7f" in a JSON string would not parse (logs --json of a binary file).
  return n < 0x7f ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every control and bidi character shown as an escape; newlines and tabs kept. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, visible) : text;
}

/** The same, also for newlines: for one-line fields (a reply shown in a table cell). */
export function escapeLine(text: string): string {
  return escapeControl(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
