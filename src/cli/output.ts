// Where CLI output goes, and whether it is coloured. Every byte for stdout and stderr passes
// toTerminal(): control characters and bidi overrides from servers, logs and records are
// escaped there, once, whatever renderer made the text (JSON keeps its meaning: the
// escapes used are JSON escapes too, and JSON.stringify already escaped C0).
import { toTerminal } from '../report/colors.js';
export interface OutputOptions {
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export function write(text: string): void {
  process.stdout.write(toTerminal(text));
}

/**
 * A rendered document (html, pdf, md, junit, csv, nagios) goes out byte for byte: its renderer
 * has already neutralised control characters in the data (XML/HTML escaping, escapeControl), and
 * toTerminal() would break the format itself (CSV's CRLF, a PDF's binary).
 */
export function writeDocument(data: string | Buffer): void {
  process.stdout.write(data);
}

export function writeErr(text: string): void {
  process.stderr.write(toTerminal(text));
}

/** Colour only on a terminal, never with NO_COLOR (no-color.org) or --no-color. */
export function useColor(o: OutputOptions): boolean {
  if (o.color === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!process.stdout.isTTY;
}

/**
 * A run that could not happen, as JSON on stdout when --json was given, so a script that
 * parses stdout gets a document either way (the one-line message is on stderr too).
 */
export function usageErrorJson(message: string, kind: 'usage' | 'config' | 'internal'): string {
  return `${JSON.stringify({ schema: 'mxdoctor.error/v1', exitCode: 3, error: { kind, message } }, null, 2)}\n`;
}
