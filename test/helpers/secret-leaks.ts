// An independent check that no form of a secret is in some output: written apart from
// src/core/secret-forms.ts, so a form that module forgets is still caught here.

/** The forms of `secret` found in `text` (empty when none). */
export function secretLeaks(text: string, secret: string, user = 'user'): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  const has = (form: string, what: string) => {
    if (form.length >= 4 && lower.includes(form.toLowerCase())) found.push(`${what}: ${form}`);
  };
  const utf8 = Buffer.from(secret, 'utf8');
  has(secret, 'raw');
  has(utf8.toString('latin1'), 'utf8 read as latin1');
  has(utf8.toString('base64'), 'base64');
  has(Buffer.from(`\0${user}\0${secret}`, 'utf8').toString('base64'), 'AUTH PLAIN');
  // Inner base64 characters at each alignment: encode behind 0, 1 or 2 bytes of padding.
  for (const pad of ['', 'a', 'ab']) {
    const enc = Buffer.from(pad + secret, 'utf8').toString('base64');
    const inner = enc.slice(pad.length + 1, enc.length - 4);
    if (inner.length >= 6) has(inner, `base64 after ${pad.length} bytes`);
  }
  // A part of a long secret (what a cut at a fixed length leaves over).
  if (secret.length >= 12) {
    for (let i = 0; i + 8 <= secret.length; i++) has(secret.slice(i, i + 8), 'part');
  }
  return found;
}
