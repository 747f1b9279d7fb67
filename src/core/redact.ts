// The one redaction mechanism: a Redactor built from the secrets in play (passwords, and the
// user names that go with them in SASL encodings) replaces every form a secret can take in
// text we show or store: raw in any case, its UTF-8 bytes read as latin1 (our line readers
// decode latin1) and back, base64 at the three byte alignments (so a part of a longer base64
// blob is caught too), AUTH PLAIN (RFC 4616) and AUTH LOGIN (base64 of the password), IMAP
// quoted-string escaping, JSON escaping and URL encoding. Redact BEFORE cutting text short:
// a cut can leave a part of a secret no pattern recognises any more (`clip`).
import { secretForms } from './secret-forms.js';

export const REDACTED = '<redacted>';

export interface Secret {
  /** The secret itself (a password). */
  value: string;
  /** The user name that goes with it, for the AUTH PLAIN forms ("\0user\0password"). */
  user?: string;
}

/** Secrets shorter than this are only matched as a whole word: "ab" must not blank every "ab". */
const SHORT = 4;

export class Redactor {
  /** A Redactor with no secrets: redact() returns its input. */
  static readonly none = new Redactor([]);

  private readonly pattern: RegExp | undefined;
  /** The longest form: text cut at n is redacted over n + this many characters first. */
  readonly longest: number;

  constructor(secrets: Iterable<Secret | string | undefined>) {
    const forms = new Set<string>();
    const short = new Set<string>();
    for (const s of secrets) {
      if (s === undefined) continue;
      const secret = typeof s === 'string' ? { value: s } : s;
      if (!secret.value) continue;
      for (const f of secretForms(secret.value, secret.user)) (f.length < SHORT ? short : forms).add(f);
    }
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // A short secret counts only when no letter or digit touches it.
    for (const f of short) alternatives.push(`(?<![\\p{L}\\p{N}])${escapeRegExp(f)}(?![\\p{L}\\p{N}])`);
    this.pattern = alternatives.length ? new RegExp(alternatives.join('|'), 'giu') : undefined;
    this.longest = Math.max(0, ...[...forms, ...short].map((f) => f.length));
  }

  /** Combine the secrets of several Redactors (a round trip holds the SMTP and the IMAP password). */
  static of(...secrets: (Secret | string | undefined)[]): Redactor {
    return secrets.some((s) => (typeof s === 'string' ? s : s?.value)) ? new Redactor(secrets) : Redactor.none;
  }

  get active(): boolean {
    return this.pattern !== undefined;
  }

  redact(text: string): string {
    if (!this.pattern || !text) return text;
    return text.replace(this.pattern, REDACTED);
  }

  /** Redact, then cut to `max` characters: the secret is gone before the cut can split it. */
  clip(text: string, max: number, suffix = (n: number) => `… (${n} characters)`): string {
    if (text.length <= max) return this.redact(text);
    const head = this.redact(text.slice(0, max + this.longest));
    return `${head.slice(0, max)}${suffix(text.length)}`;
  }

  /** A copy of `value` with every string in it redacted (reports, facts, evidence, results). */
  redactDeep<T>(value: T): T {
    if (!this.pattern) return value;
    return this.walk(value, new WeakMap()) as T;
  }

  private walk(v: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof v === 'string') return this.redact(v);
    if (!v || typeof v !== 'object') return v;
    if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return v;
    const done = seen.get(v);
    if (done) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(this.walk(x, seen));
      return out;
    }
    if (v instanceof Date || v instanceof RegExp) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[k] = this.walk(x, seen);
    return out;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
