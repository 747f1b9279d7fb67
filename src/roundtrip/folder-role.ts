// What a folder means for delivery: the inbox, the spam folder, or another folder (a user's
// rule filed the message). RFC 6154 special-use attributes first, then the usual names.

export type FolderRole = 'inbox' | 'junk' | 'other';

// Names servers and clients use for the spam folder when no \Junk attribute is sent
// (Outlook's "Junk E-mail", Gmail's "[Gmail]/Spam", Yahoo's "Bulk").
const JUNK_NAMES = new Set(['junk', 'spam', 'bulk', 'bulk mail', 'junk e-mail', 'junk email', 'junk mail', '[gmail]/spam', '[google mail]/spam']);

export function folderRole(path: string, specialUse?: string, delimiter?: string): FolderRole {
  const use = specialUse?.toLowerCase();
  if (use === '\\inbox' || path.toUpperCase() === 'INBOX') return 'inbox';
  if (use === '\\junk') return 'junk';
  const lower = path.toLowerCase();
  if (JUNK_NAMES.has(lower)) return 'junk';
  // "INBOX.Junk", "INBOX/Spam": a junk folder kept under the inbox (Courier, Cyrus layouts).
  const leaf = delimiter ? lower.split(delimiter).pop() ?? lower : lower;
  if (JUNK_NAMES.has(leaf)) return 'junk';
  return 'other';
}
