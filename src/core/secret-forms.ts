// Every form one secret can take on its way back to us: what a server may echo, what a
// protocol encodes, and what a renderer escapes. Used only by the Redactor (redact.ts).

/** base64 of bytes placed at offset 0, 1 and 2 of a 3-byte group: the characters that depend on the secret alone. */
export function base64Cores(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let a = 0; a < 3; a++) {
    const enc = Buffer.concat([Buffer.alloc(a), bytes]).toString('base64');
    // Character i carries bits [6i, 6i+6); the secret's bits are [8a, 8(a+n)).
    const core = enc.slice(Math.ceil((8 * a) / 6), Math.floor((8 * (a + bytes.length)) / 6));
    // Fewer than 4 characters would match ordinary text far too often.
    if (core.length >= 4) out.push(core);
  }
  return out;
}

/** The byte encodings a secret may travel in: UTF-8, and latin1 when every character fits. */
function encodings(s: string): Buffer[] {
  const out = [Buffer.from(s, 'utf8')];
  if (/^[\x00-\xff]*$/.test(s) && /[\x80-\xff]/.test(s)) out.push(Buffer.from(s, 'latin1'));
  return out;
}

/** Text views of the secret: as is, its UTF-8 bytes read as latin1 ("PÃ¤ss"), latin1 bytes read as UTF-8. */
function textViews(s: string): string[] {
  const views = new Set([s]);
  // Matching ignores case, but an upper-cased "ä" has other UTF-8 bytes ("Ã\x84", not "Ã¤").
  for (const v of [s, s.toUpperCase(), s.toLowerCase()]) {
    const once = Buffer.from(v, 'utf8').toString('latin1');
    views.add(once);
    // Encoded twice (a server that read our UTF-8 as latin1 and wrote it back as UTF-8).
    views.add(Buffer.from(once, 'utf8').toString('latin1'));
  }
  for (const b of encodings(s).slice(1)) {
    const asUtf8 = b.toString('utf8');
    if (!asUtf8.includes('\ufffd')) views.add(asUtf8);
  }
  return [...views];
}

export function secretForms(secret: string, user?: string): string[] {
  const forms = new Set<string>();
  for (const v of textViews(secret)) {
    forms.add(v);
    // How renderers and protocols escape it: JSON strings, IMAP quoted strings (RFC 9051 §4.3), URLs.
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(v.replace(/["\\]/g, '\\$&'));
    try {
      forms.add(encodeURIComponent(v));
    } catch { /* a lone surrogate: no URL form */ }
  }
  for (const bytes of encodings(secret)) {
    // AUTH LOGIN sends base64(password) on its own line (padding included).
    forms.add(bytes.toString('base64'));
    for (const core of base64Cores(bytes)) forms.add(core);
    if (user !== undefined) {
      // AUTH PLAIN: [authzid] NUL authcid NUL passwd (RFC 4616 §2), authzid empty or the user.
      const u = Buffer.from(user, 'utf8');
      const nul = Buffer.alloc(1);
      forms.add(Buffer.concat([nul, u, nul, bytes]).toString('base64'));
      forms.add(Buffer.concat([u, nul, u, nul, bytes]).toString('base64'));
    }
  }
  forms.delete('');
  return [...forms];
}
