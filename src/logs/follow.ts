// `--follow`: tail -F semantics. Reads the file to its end, then polls (bounded: one stat
// per interval, reads capped per round). When the inode changes (rotation) the rest of the
// old file is drained and the new one read from its start; a shrunken file (copytruncate)
// is read again from 0; a missing file is waited for. Stops when the signal aborts.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from './line-reader.js';

export interface FollowOptions {
  signal: AbortSignal;
  intervalMs?: number;
  /** Called after each round that delivered lines (for live output). */
  onRound?: () => void;
}

const READ = 64 * 1024;
const MAX_PER_ROUND = 64 << 20;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function followFile(path: string, onLine: (line: string) => void, o: FollowOptions): Promise<{ lines: number; rotations: number }> {
  const interval = o.intervalMs ?? 500;
  const split = new LineSplitter(onLine);
  let decoder = new StringDecoder('utf8');
  let fh: FileHandle | undefined;
  let ino = -1;
  let pos = 0;
  let rotations = 0;
  const buf = Buffer.alloc(READ);

  async function drain(): Promise<number> {
    let got = 0;
    while (fh && got < MAX_PER_ROUND) {
      const { bytesRead } = await fh.read(buf, 0, READ, pos);
      if (!bytesRead) break;
      pos += bytesRead;
      got += bytesRead;
      split.push(decoder.write(buf.subarray(0, bytesRead)));
    }
    return got;
  }

  try {
    while (!o.signal.aborted) {
      let st;
      try { st = await stat(path); } catch { st = undefined; }
      if (st && st.ino !== ino) {
        if (fh) { await drain(); await fh.close(); split.push(decoder.end()); split.end(); rotations++; }
        decoder = new StringDecoder('utf8');
        try { fh = await open(path, 'r'); ino = st.ino; pos = 0; } catch { fh = undefined; ino = -1; }
      } else if (st && st.size < pos) {
        pos = 0; // copytruncate: the same inode starts again
      }
      const got = await drain();
      if (got && o.onRound) o.onRound();
      if (got < MAX_PER_ROUND) await sleep(interval, o.signal);
    }
  } finally {
    await fh?.close();
  }
  split.push(decoder.end());
  split.end();
  return { lines: split.count, rotations };
}
