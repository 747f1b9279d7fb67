// Maildir file names (cr.yp.to/proto/maildir.html; Dovecot's extensions): "<unique>:2,<flags>",
// where the unique part may carry ",S=<size>" (the file's size) and ",W=<size>" (its size with
// CRLF line ends). The unique part identifies a message for its whole life: delivery moves it
// from new/ to cur/ and flag changes rewrite only the part after ":2,".

export interface MaildirName {
  /** The part before the info separator: stable across flag changes and new/ → cur/. */
  base: string;
  /** Flag letters after ":2," (D draft, F flagged, P passed, R replied, S seen, T trashed; a-z Dovecot keywords). */
  flags: string;
  /** ",S=<n>" from the name: the size the delivering server wrote. */
  size?: number;
  /** The info part is not ":2,<flags>" (an experimental ":1," or garbage). */
  badInfo?: boolean;
}

/** Dovecot's maildir_info separator is ":" by default; "!" (and ";") on file systems that forbid ":". */
const SEP = /[:!;]2,/;

export function parseMaildirName(name: string): MaildirName {
  const m = SEP.exec(name);
  let base = name;
  let flags = '';
  let badInfo = false;
  if (m) {
    base = name.slice(0, m.index);
    flags = name.slice(m.index + 3);
    if (!/^[A-Za-z]*$/.test(flags)) badInfo = true;
  } else if (/[:!]/.test(name) && /[:!]\d/.test(name)) {
    base = name.slice(0, name.search(/[:!]\d/));
    badInfo = true;
  }
  const out: MaildirName = { base, flags };
  const s = /,S=(\d+)/.exec(base);
  if (s) out.size = Number(s[1]);
  if (badInfo) out.badInfo = true;
  return out;
}

/** Standard flags only, in canonical (ASCII) order. */
export function standardFlags(flags: string): string {
  return [...new Set(flags.replace(/[^DFPRST]/g, ''))].sort().join('');
}

/** Dot files, Dovecot's index/uidlist/keywords files: not messages. */
export function isMessageName(name: string): boolean {
  return !name.startsWith('.');
}
