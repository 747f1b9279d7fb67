// Colours for every text renderer, and the terminal sink that makes them real. A renderer
// marks colour with a private marker holding a per-process random nonce; toTerminal()
// escapes every control character in the text (escapeControl) and only then turns the
// markers into SGR sequences. So colour comes from us alone: an ESC in a server's reply
// or a log line is shown as "\x1b", and no data can forge a marker it has never seen.
import { randomBytes } from 'node:crypto';
import { escapeControl } from '../core/terminal-text.js';
import type { Severity } from '../core/finding.js';

const NONCE = randomBytes(8).toString('hex');
const mark = (code: number) => `\ue000${NONCE}${code}\ue001`;
const MARKS = new RegExp(`\\ue000${NONCE}(\\d{1,2})\\ue001`, 'g');

export type Paint = (s: string | number) => string;
export interface Colors {
  isColorSupported: boolean;
  bold: Paint; dim: Paint; red: Paint; green: Paint; yellow: Paint; cyan: Paint; magenta: Paint;
}

function painter(enabled: boolean, open: number, close: number, reopen = open): Paint {
  if (!enabled) return (s) => String(s);
  const o = mark(open);
  const c = mark(close);
  // Nested styles that share a close code (bold inside dim) re-open the outer one (as picocolors does).
  return (s) => `${o}${String(s).split(c).join(c + mark(reopen))}${c}`;
}

/** picocolors' createColors, for our renderers: same names, markers instead of raw SGR. */
export function createColors(enabled: boolean): Colors {
  return {
    isColorSupported: enabled,
    bold: painter(enabled, 1, 22),
    dim: painter(enabled, 2, 22),
    red: painter(enabled, 31, 39),
    green: painter(enabled, 32, 39),
    yellow: painter(enabled, 33, 39),
    cyan: painter(enabled, 36, 39),
    magenta: painter(enabled, 35, 39),
  };
}

/** What may reach a terminal (or a pipe): every control character escaped, our colours made real. */
export function toTerminal(text: string): string {
  const safe = escapeControl(text);
  return safe.includes('\ue000') ? safe.replace(MARKS, '\x1b[$1m') : safe;
}

/** The one severity palette of every text renderer: the four-letter label and its colour. */
export const SEVERITY_LABEL: Record<Severity, string> = { ok: 'OK', info: 'INFO', warning: 'WARN', critical: 'CRIT', unknown: 'UNKN' };

/** A report's status as a word (monitoring-plugins' states; info is no problem, so OK). */
export const STATUS_WORD: Record<Severity, string> = { ok: 'OK', info: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN' };

export function severityPaint(c: Colors): Record<Severity, (s: string) => string> {
  return { ok: c.green, info: c.cyan, warning: c.yellow, critical: (s) => c.bold(c.red(s)), unknown: c.magenta };
}
