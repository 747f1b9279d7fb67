// Look for the token in every selectable folder until the deadline, waiting a little
// longer between rounds (backoff) so a slow destination costs few IMAP commands. The last
// search happens at the deadline; a stuck round is cut by its own timeout.
import type { Clock } from '../io/clock.js';
import { folderRole } from './folder-role.js';
import type { FolderInfo, FoundMessage, MailboxSession } from './mailbox.js';
import { rejectAfter } from '../io/deadline.js';

export interface PollOptions {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Epoch ms after which we stop. */
  deadlineAt: number;
  pollMs: number;
  maxPollMs?: number;
  /** Limit of one search round (LIST + every folder). */
  roundTimeoutMs: number;
  /** A fresh session after an error (the old one is closed by the caller). */
  reconnect: () => Promise<MailboxSession>;
}

export interface PollResult {
  found?: FoundMessage;
  firstSeenAt?: number;
  polls: number;
  foldersSearched: string[];
  /** The session to use afterwards (a reconnect may have replaced it). */
  session: MailboxSession;
  error?: string;
}

/** A failed round is retried once on a fresh connection; the second failure ends the search. */
const MAX_ERRORS = 2;

export async function pollForToken(start: MailboxSession, token: string, o: PollOptions): Promise<PollResult> {
  let session = start;
  let wait = o.pollMs;
  let polls = 0;
  let errors = 0;
  let searched: string[] = [];
  for (;;) {
    polls++;
    try {
      const round = await rejectAfter(searchAll(session, token), o.roundTimeoutMs, 'no IMAP answer');
      searched = round.searched;
      if (round.found) return { found: round.found, firstSeenAt: o.clock.now(), polls, foldersSearched: searched, session };
      errors = 0;
    } catch (e) {
      if (++errors >= MAX_ERRORS) return { polls, foldersSearched: searched, session, error: (e as Error).message };
      try {
        await session.close();
        session = await o.reconnect();
      } catch (re) {
        return { polls, foldersSearched: searched, session, error: `${(e as Error).message}; reconnecting failed: ${(re as Error).message}` };
      }
    }
    const left = o.deadlineAt - o.clock.now();
    if (left <= 0) return { polls, foldersSearched: searched, session };
    await o.sleep(Math.min(wait, left));
    wait = Math.min(Math.round(wait * 1.5), o.maxPollMs ?? 15_000);
  }
}

/** Inbox first, then the spam folders, then the rest: the likely places first. */
export function searchOrder(folders: FolderInfo[]): FolderInfo[] {
  const rank = { inbox: 0, junk: 1, other: 2 };
  return [...folders].sort((a, b) => rank[folderRole(a.path, a.specialUse, a.delimiter)] - rank[folderRole(b.path, b.specialUse, b.delimiter)]);
}

async function searchAll(session: MailboxSession, token: string): Promise<{ found?: FoundMessage; searched: string[] }> {
  const searched: string[] = [];
  for (const f of searchOrder(await session.folders())) {
    searched.push(f.path);
    const m = await session.find(f, token);
    if (m) return { found: m, searched };
  }
  return { searched };
}

