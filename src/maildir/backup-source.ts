// The backup side of `maildir verify --against`: another Maildir tree (scanned folder by folder
// like the source) or a tar/tar.gz archive (streamed once; its messages indexed per folder by
// name and hash, never their content).
import { TarError, readTar } from '../io/tar-reader.js';
import type { IndexedMessage } from './compare.js';
import { archiveRoot, discoverStore, folderName, relativeTo, splitArchivePath, type Folder } from './layout.js';
import { scanFolder } from './folder-scan.js';
import type { HashPool } from './hash-pool.js';

export interface BackupSource {
  kind: 'maildir' | 'tar';
  folders: string[];
  /** Messages of one folder of the backup (cur/ and new/), or undefined when the backup lacks the folder. */
  messages(folder: string): Promise<IndexedMessage[] | undefined>;
  /** Why the backup could not be read to the end, if it could not. */
  damage?: string;
  entries: number;
}

export function maildirBackup(root: string, pool: HashPool, onProgress?: (n: number) => void): BackupSource | { problem: string } {
  const layout = discoverStore(root);
  if (layout.kind === 'dbox') return { problem: `the backup is a dbox store (${layout.evidence}), not a Maildir` };
  if (layout.kind === 'none') return { problem: 'the backup directory holds no Maildir (no cur/ and new/ anywhere in it)' };
  const byName = new Map<string, Folder>(layout.folders.map((f) => [f.name, f]));
  const src: BackupSource = {
    kind: 'maildir', folders: [...byName.keys()], entries: 0,
    async messages(name) {
      const f = byName.get(name);
      if (!f) return undefined;
      const { facts, messages } = await scanFolder(f, pool, { maxNames: 0, onProgress });
      src.entries += messages.length;
      if (facts.unreadable.count) src.damage ??= `${facts.unreadable.count} file(s) of the backup folder ${name} cannot be read`;
      return messages;
    },
  };
  if (layout.unreadable.length) src.damage = `${layout.unreadable[0]!.path}: ${layout.unreadable[0]!.error}`;
  return src;
}

export async function tarBackup(path: string, signal?: AbortSignal, onProgress?: (n: number) => void): Promise<BackupSource> {
  const raw: { dir: string; file: string; sub: string; hash: string }[] = [];
  const dirs: string[] = [];
  let damage: string | undefined;
  try {
    await readTar(path, {
      headBytes: 0, signal,
      onDir: (d) => {
        const s = splitArchivePath(`${d.path.replace(/\/$/, '')}/x`);
        if (s) dirs.push(s.dir);
      },
      onFile: (f) => {
        const s = splitArchivePath(f.path);
        if (!s) return;
        dirs.push(s.dir);
        if (s.sub !== 'tmp' && !s.file.startsWith('.')) raw.push({ dir: s.dir, file: `${s.sub}/${s.file}`, sub: s.sub, hash: f.hash });
        if (raw.length % 1000 === 0) onProgress?.(1000);
      },
    });
  } catch (e) {
    if (!(e instanceof TarError) && !isZlibError(e)) throw e;
    damage = (e as Error).message;
  }
  const root = archiveRoot(dirs.map((d) => `${d}`));
  const byFolder = new Map<string, IndexedMessage[]>();
  for (const d of new Set(dirs)) if (d === root || d.startsWith(`${root}/`) || root === '') byFolder.set(folderName(relativeTo(root, d)), []);
  for (const r of raw) {
    const name = folderName(relativeTo(root, r.dir));
    let list = byFolder.get(name);
    if (!list) byFolder.set(name, (list = []));
    list.push({ file: r.file, hash: r.hash });
  }
  const src: BackupSource = {
    kind: 'tar', folders: [...byFolder.keys()], entries: raw.length,
    async messages(name) {
      const list = byFolder.get(name);
      byFolder.delete(name);
      return list;
    },
  };
  if (damage) src.damage = damage;
  return src;
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
