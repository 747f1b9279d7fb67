// The local file system as `check --local` sees it: space on a file system (statfs), the
// process list (/proc), small file reads and "is there a program here?". Injected, so the
// host checks run against fixtures in tests.
import { accessSync, closeSync, constants, openSync, readSync, readdirSync, statfsSync, statSync } from 'node:fs';

export interface SpaceInfo {
  /** Block size in bytes. */
  bsize: number;
  blocks: number;
  /** Free blocks, root's reserve included. */
  bfree: number;
  /** Blocks free to unprivileged users. */
  bavail: number;
  /** Inodes in total (0 on file systems without a fixed inode table, e.g. btrfs). */
  files: number;
  ffree: number;
}

export interface HostFs {
  /** statfs(2) of the file system holding path; throws with an errno code. */
  statfs(path: string): SpaceInfo;
  /** Entry names of a directory; throws with an errno code. */
  readdir(path: string): string[];
  /** A small text file, at most maxBytes characters; throws with an errno code. */
  readFile(path: string, maxBytes?: number): string;
  isDirectory(path: string): boolean;
  /** A regular file this process may execute. */
  isExecutable(path: string): boolean;
}

const MAX_FILE = 1024 * 1024;

export const systemFs: HostFs = {
  statfs: (path) => {
    const s = statfsSync(path);
    return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree };
  },
  readdir: (path) => readdirSync(path),
  readFile: (path, maxBytes = MAX_FILE) => {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(maxBytes);
      let n = 0;
      for (let r = 1; r > 0 && n < maxBytes; n += r) r = readSync(fd, buf, n, maxBytes - n, null);
      return buf.subarray(0, n).toString('utf8');
    } finally { closeSync(fd); }
  },
  isDirectory: (path) => {
    try { return statSync(path).isDirectory(); } catch { return false; }
  },
  isExecutable: (path) => {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, constants.X_OK);
      return true;
    } catch { return false; }
  },
};

/** The errno code of a failed fs call ("ENOENT", "EACCES"), else the message. */
export function errnoOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? err?.message ?? String(e);
}
