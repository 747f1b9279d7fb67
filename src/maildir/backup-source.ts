// The backup side of `maildir verify --against`: another Maildir tree (scanned folder by folder
// like the source) or a tar/tar.gz archive (streamed once; its messages indexed per folder by
// name and hash, never their content).
import { TarError, readTar } from '../io/tar-reader.js';
import { emptyIndex, type FolderIndex } from './compare.js';
import { archiveRoot, discoverStore, folderName, relativeTo, splitArchivePath, type Folder } from './layout.js';
import { scanFolder } from './folder-scan.js';
import type { HashPool } from './hash-pool.js';

export interface BackupSource {
  kind: 'maildir' | 'tar';
  folders: string[];
  /** Messages of one folder of the backup (cur/ and new/), or undefined when the backup lacks the folder. */
  messages(folder: string): Promise<FolderIndex | undefined>;
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
      const { facts, index } = await scanFolder(f, pool, { maxNames: 0, onProgress, duplicates: false });
      src.entries += index.names.length;
      if (facts.unreadable.count) src.damage ??= `${facts.unreadable.count} file(s) of the backup folder ${name} cannot be read`;
      return index;
    },
  };
  if (layout.unreadable.length) src.damage = `${layout.unreadable[0]!.path}: ${layout.unreadable[0]!.error}`;
  return src;
}

export async function tarBackup(path: string, signal?: AbortSignal, onProgress?: (n: number) => void): Promise<BackupSource> {
  // The archive is read once, so its messages are kept for all folders: per directory, names
  // and 32-byte digests only.
  const byDir = new Map<string, FolderIndex>();
  const dirs = new Set<string>();
  let entries = 0;
  let damage: string | undefined;
  try {
    await readTar(path, {
      headBytes: 0, signal,
      onDir: (d) => {
        const s = splitArchivePath(`${d.path.replace(/\/$/, '')}/x`);
        if (s) dirs.add(s.dir);
      },
      onFile: (f) => {
        const s = splitArchivePath(f.path);
        if (!s) return;
        dirs.add(s.dir);
        if (s.sub === 'tmp' || s.file.startsWith('.')) return;
        let idx = byDir.get(s.dir);
        if (!idx) byDir.set(s.dir, (idx = emptyIndex(1024)));
        idx.names.push(s.file);
        idx.inNew.push(s.sub === 'new' ? 1 : 0);
        idx.hashes.push(Buffer.from(f.hash, 'base64'));
        if (++entries % 1000 === 0) onProgress?.(1000);
      },
    });
  } catch (e) {
    if (!(e instanceof TarError) && !isZlibError(e)) throw e;
    damage = (e as Error).message;
  }
  const root = archiveRoot([...dirs]);
  const byFolder = new Map<string, FolderIndex>();
  for (const d of dirs) if (d === root || d.startsWith(`${root}/`) || root === '') byFolder.set(folderName(relativeTo(root, d)), emptyIndex());
  for (const [dir, idx] of byDir) {
    const name = folderName(relativeTo(root, dir));
    const had = byFolder.get(name);
    if (!had?.names.length) byFolder.set(name, idx);
    else for (let i = 0; i < idx.names.length; i++) {
      had.names.push(idx.names[i]!);
      had.inNew.push(idx.inNew[i]!);
      had.hashes.push(idx.hashes.bytes(i));
    }
  }
  const src: BackupSource = {
    kind: 'tar', folders: [...byFolder.keys()], entries,
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
