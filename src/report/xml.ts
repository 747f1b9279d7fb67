// XML text and attribute escaping (XML 1.0 §2.4, §3.3.3); characters XML 1.0 cannot carry at
// all (most C0 controls, lone surrogates) are replaced, since servers can put anything in a banner.
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** For attributes: also keep line breaks and tabs, which attribute normalisation would turn into spaces. */
export function xmlAttr(s: string): string {
  return xmlEscape(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** An id/fragment safe form of any text (targets come from users and servers). */
export function anchorId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`);
}
