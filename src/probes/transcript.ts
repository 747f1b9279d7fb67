// A protocol transcript with per-step timings; credentials never enter it: commands that
// carry them are recorded as "<redacted>", and every line passes the session's Redactor
// (a server may echo a password) before it is cut to 300 characters.
import { Redactor } from '../core/redact.js';
import { escapeLine } from '../core/terminal-text.js';
export interface TranscriptLine {
  /** Milliseconds since the connection attempt started. */
  t: number;
  /** C: we sent, S: the server sent, *: an event (connect, TLS, timeout). */
  dir: 'C' | 'S' | '*';
  text: string;
}

/** AUTH arguments and continuation lines carry credentials (RFC 4954 §4). */
const SECRET_COMMAND = /^(AUTH\s+\S+)\s+\S+.*$/i;
const LOGIN_COMMAND = /^(\S+\s+LOGIN)\s+.*$/i; // IMAP "a1 LOGIN user pass"
const POP_PASS = /^(PASS)\s+.*$/i;

export class Transcript {
  readonly lines: TranscriptLine[] = [];
  private secretNext = false;
  constructor(private readonly start = performance.now(), readonly redactor: Redactor = Redactor.none) {}

  sent(text: string): void {
    let safe = text;
    if (this.secretNext) safe = '<redacted>';
    else safe = safe.replace(SECRET_COMMAND, '$1 <redacted>').replace(LOGIN_COMMAND, '$1 <redacted>').replace(POP_PASS, '$1 <redacted>');
    this.secretNext = false;
    this.push('C', safe);
  }

  /** The next line we send is a credential (AUTH LOGIN continuations). */
  redactNext(): void {
    this.secretNext = true;
  }

  received(text: string): void {
    this.push('S', this.redactor.clip(text, 300, (n) => `… (${n} bytes)`));
  }

  event(text: string): void {
    this.push('*', text);
  }

  elapsed(): number {
    return Math.round(performance.now() - this.start);
  }

  render(): string {
    return this.lines.map((l) => `${String(l.t).padStart(6)} ms ${l.dir === '*' ? '*' : `${l.dir}:`} ${l.text}`).join('\n');
  }

  private push(dir: TranscriptLine['dir'], text: string): void {
    this.lines.push({ t: this.elapsed(), dir, text: escapeLine(this.redactor.redact(text)) });
  }
}
