// SPF macro-strings (RFC 7208 §7): parsing with the position of each error, and pure
// expansion given the values of the macro letters (the caller does any DNS work).

export type MacroLetter = 's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'c' | 'r' | 't' | 'v';

export type MacroPart =
  | { kind: 'literal'; text: string }
  | {
    kind: 'macro'; letter: MacroLetter;
    /** Uppercase letter: the expansion is URL-escaped (§7.3). */
    urlEscape: boolean;
    /** Keep this many right-hand parts (nonzero), after optional reversal. */
    digits?: number;
    reverse: boolean;
    /** Split on these; "." when none given. */
    delimiters: string;
    /** The source text, e.g. "%{ir}". */
    text: string;
  };

export interface MacroString {
  text: string;
  parts: MacroPart[];
  hasMacros: boolean;
}

export interface MacroError {
  /** Offset in the whole record (base + offset in the macro-string). */
  position: number;
  message: string;
}

/** `domain`: a domain-spec in a record. `explanation`: exp TXT text (§6.2), where SP and c/r/t are allowed. */
export type MacroMode = 'domain' | 'explanation' | 'modifier';

const LETTERS = 'slodiphcrtv';
const DELIMITERS = '.-+,/_=';

export function parseMacroString(text: string, base = 0, mode: MacroMode = 'domain'): { value: MacroString; errors: MacroError[] } {
  const parts: MacroPart[] = [];
  const errors: MacroError[] = [];
  let literal = '';
  let escapes = false;
  const flush = () => { if (literal) parts.push({ kind: 'literal', text: literal }); literal = ''; };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c !== '%') {
      const code = c.charCodeAt(0);
      // macro-literal = %x21-24 / %x26-7E; explanation text also allows SP (§6.2, §7.1).
      if ((code < 0x21 || code > 0x7e) && !(mode === 'explanation' && c === ' ')) {
        errors.push({ position: base + i, message: `character ${JSON.stringify(c)} is not allowed here (only visible ASCII, RFC 7208 §7.1)` });
      }
      literal += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      // §7.1: "%%", "%_" and "%-" are macro-expands too: the string needs expanding.
      literal += next === '%' ? '%' : next === '_' ? ' ' : '%20';
      escapes = true;
      i += 2;
      continue;
    }
    if (next !== '{') {
      errors.push({ position: base + i, message: next === undefined
        ? 'a lone "%" ends the text: write "%%" for a literal percent sign (RFC 7208 §7.1)'
        : `"%${next}" is not a macro: use %{letter}, %%, %_ or %- (RFC 7208 §7.1)` });
      literal += '%';
      i++;
      continue;
    }
    const close = text.indexOf('}', i);
    if (close < 0) {
      errors.push({ position: base + i, message: 'macro "%{" is never closed with "}" (RFC 7208 §7.1)' });
      literal += text.slice(i);
      break;
    }
    const body = text.slice(i + 2, close);
    const m = /^([a-z])(\d*)(r?)([^}]*)$/i.exec(body);
    const letter = m?.[1]?.toLowerCase() ?? '';
    if (!m || !LETTERS.includes(letter)) {
      errors.push({ position: base + i + 2, message: `"%{${body}}": unknown macro letter ${JSON.stringify(body[0] ?? '')}; allowed are s l o d i p h c r t v (RFC 7208 §7.2)` });
    } else if ('crt'.includes(letter) && mode === 'domain') {
      errors.push({ position: base + i + 2, message: `"%{${body}}": the ${letter} macro is only allowed in exp= explanation text (RFC 7208 §7.2)` });
    } else if (m[2] && Number(m[2]) === 0) {
      errors.push({ position: base + i + 3, message: `"%{${body}}": the digit transformer must be nonzero (RFC 7208 §7.3)` });
    } else if ([...m[4]!].some((d) => !DELIMITERS.includes(d))) {
      const bad = [...m[4]!].find((d) => !DELIMITERS.includes(d))!;
      errors.push({ position: base + i + 2 + body.indexOf(bad, 1 + m[2]!.length + m[3]!.length), message: `"%{${body}}": ${JSON.stringify(bad)} is not a transformer or delimiter (digits, then r, then any of . - + , / _ =; RFC 7208 §7.1)` });
    } else {
      flush();
      const part: MacroPart = {
        kind: 'macro', letter: letter as MacroLetter, urlEscape: m[1] !== letter, reverse: m[3] !== '',
        delimiters: m[4] || '.', text: text.slice(i, close + 1),
      };
      if (m[2]) part.digits = Number(m[2]);
      parts.push(part);
    }
    i = close + 1;
  }
  flush();
  return { value: { text, parts, hasMacros: escapes || parts.some((p) => p.kind === 'macro') }, errors };
}

/** Values of the macro letters for one evaluation (§7.2). */
export type MacroValues = Partial<Record<MacroLetter, string>>;

/** Expand a parsed macro-string (§7.3). Letters without a value expand to "unknown" (as §7.3 allows for p and r). */
export function expandMacroString(ms: MacroString, values: MacroValues): string {
  let out = '';
  for (const p of ms.parts) {
    if (p.kind === 'literal') { out += p.text; continue; }
    const value = values[p.letter] ?? 'unknown';
    let pieces = splitOn(value, p.delimiters);
    if (p.reverse) pieces = pieces.reverse();
    if (p.digits !== undefined && p.digits < pieces.length) pieces = pieces.slice(pieces.length - p.digits);
    const joined = pieces.join('.');
    out += p.urlEscape ? escapeUri(joined) : joined;
  }
  return out;
}

/** After expansion a domain name over 253 octets loses labels from the left (§7.3). */
export function truncateDomain(name: string): string {
  let n = name.replace(/\.$/, '');
  while (n.length > 253 && n.includes('.')) n = n.slice(n.indexOf('.') + 1);
  return n;
}

/** Which letters a macro-string uses (the evaluator computes the costly p value only when needed). */
export function macroLetters(ms: MacroString): Set<MacroLetter> {
  return new Set(ms.parts.flatMap((p) => (p.kind === 'macro' ? [p.letter] : [])));
}

function splitOn(value: string, delimiters: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of value) {
    if (delimiters.includes(ch)) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** RFC 3986 escaping of everything outside the unreserved set (§7.3). */
function escapeUri(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}
