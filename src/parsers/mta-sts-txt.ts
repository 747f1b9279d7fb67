// The `_mta-sts.<domain>` TXT record (RFC 8461 §3.1):
//   sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
//   sts-version = %s"v=STSv1"        sts-id = %s"id=" 1*32(ALPHA / DIGIT)
//   sts-extension = sts-ext-name "=" sts-ext-value
// Pure: no I/O, never throws.

export interface StsTxtRecord {
  id: string;
  /** Extension fields (allowed by the grammar, ignored by senders). */
  extensions: { name: string; value: string }[];
}

export type StsTxtResult =
  | { ok: true; record: StsTxtRecord; notes: string[] }
  | { ok: false; error: string };

/**
 * Senders keep only records that begin with exactly "v=STSv1;" and discard the rest
 * (§3.1), so this, not a looser test, decides which records count.
 */
export function isStsTxtCandidate(text: string): boolean {
  return text.startsWith('v=STSv1;');
}

/** A record that was meant to be MTA-STS but that senders would discard (e.g. "v=STSv1 id=…", "v=stsv1;"). */
export function looksLikeStsTxt(text: string): boolean {
  return /^\s*v\s*=\s*sts/i.test(text);
}

const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
// sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible characters except ";" and "=".
const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

export function parseStsTxt(text: string): StsTxtResult {
  if (!text.startsWith('v=STSv1')) {
    return { ok: false, error: `the record must begin with "v=STSv1" (found "${text.slice(0, 12)}")` };
  }
  if (!isStsTxtCandidate(text)) {
    return { ok: false, error: 'the record must begin with "v=STSv1;": senders discard records that do not (§3.1)' };
  }
  const notes: string[] = [];
  // Split after the version; the delimiter is ";" *WSP (erratum 6285), trailing ";" allowed.
  let rest = text.slice('v=STSv1;'.length);
  if (/[ \t]+$/.test(rest)) notes.push('trailing whitespace after the last field is outside the grammar; most senders ignore it');
  rest = rest.replace(/[ \t]+$/, '');
  const parts = rest.split(';');
  if (parts[parts.length - 1] === '') parts.pop(); // optional final delimiter
  let id: string | undefined;
  const extensions: StsTxtRecord['extensions'] = [];
  for (const raw of parts) {
    const field = raw.replace(/^[ \t]+/, '');
    if (field === '') return { ok: false, error: 'empty field (two ";" in a row)' };
    const eq = field.indexOf('=');
    if (eq < 0) return { ok: false, error: `field "${field}" has no "="` };
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (/[ \t]$/.test(name) || /^[ \t]/.test(value)) return { ok: false, error: `no spaces are allowed around "=" in "${field}"` };
    if (/[ \t]/.test(value)) return { ok: false, error: `field "${field}": a value cannot contain spaces (missing ";"?)` };
    if (name === 'id') {
      if (id !== undefined) return { ok: false, error: 'id appears more than once' };
      if (!/^[A-Za-z0-9]{1,32}$/.test(value)) {
        return { ok: false, error: `id "${value}" must be 1 to 32 letters and digits only (no "-", ".", ":"; §3.1)` };
      }
      id = value;
      continue;
    }
    if (name === 'v') return { ok: false, error: 'v appears more than once' };
    if (!EXT_NAME.test(name)) return { ok: false, error: `"${name}" is not a valid field name` };
    if (!EXT_VALUE.test(value)) return { ok: false, error: `field "${name}" has an empty or invalid value` };
    extensions.push({ name, value });
  }
  if (id === undefined) return { ok: false, error: 'the required id field is missing' };
  if (extensions.length) notes.push(`unknown field(s) ${extensions.map((e) => e.name).join(', ')} are ignored by senders`);
  return { ok: true, record: { id, extensions }, notes };
}
