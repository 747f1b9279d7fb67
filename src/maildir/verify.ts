// `mxdoctor maildir verify <dir> [--against <backup>]`: every message of every folder read,
// hashed and parsed; with a backup, each folder compared (missing, extra, different). Folder by
// folder, so memory follows the largest folder, not the store. The result is the common Report
// (kind 'maildir', facts.maildir); its exit code says whether the store is sound and the
// backup complete.
import { operationReport, type Report } from '../core/report.js';
import { isDirectory, pathExists } from '../io/maildir-files.js';
import { UsageError } from '../core/errors.js';
import { compareFolder, emptyIndex, type FolderIndex } from './compare.js';
import { discoverStore } from './layout.js';
import { scanFolder, type FolderFacts, type Named } from './folder-scan.js';
import { createHashPool, defaultWorkers, type HashPool } from './hash-pool.js';
import { maildirBackup, tarBackup, type BackupSource } from './backup-source.js';
import { backupFindings, storeFindings } from './judge.js';

export interface MaildirVerifyOptions {
  dir: string;
  against?: string;
  /** Hashing worker threads; 0 hashes in this thread. Default: one per CPU, at most 4. */
  workers?: number;
  /** File names listed per problem and folder (the counts are always complete). */
  maxNames?: number;
  signal?: AbortSignal;
  /** Called with the number of messages just hashed (progress on a terminal). */
  onProgress?: (n: number) => void;
  ignore?: (id: string) => boolean;
  now?: () => number;
}

export interface BackupFolderFacts {
  name: string;
  inSource: number;
  inBackup: number;
  matched: number;
  /** Matched by content under another file name. */
  renamed: number;
  missing: Named;
  extra: Named;
  different: Named;
  flagsDiffer: Named;
  /** The backup has no such folder at all. */
  folderMissing?: boolean;
  /** The folder is only in the backup. */
  folderExtra?: boolean;
}

export interface MaildirFacts {
  root: string;
  layout: 'maildir' | 'dbox' | 'none';
  folders: FolderFacts[];
  totals: { folders: number; messages: number; bytes: number };
  backup?: {
    path: string;
    kind: 'maildir' | 'tar';
    complete: boolean;
    damage?: string;
    totals: { missing: number; extra: number; different: number; flagsDiffer: number; renamed: number };
    folders: BackupFolderFacts[];
  };
}

/** Few files do not repay starting worker threads (each loads its module graph). */
const POOL_MIN_FILES = 2000;

export async function verifyMaildir(o: MaildirVerifyOptions): Promise<Report> {
  const now = o.now ?? Date.now;
  const started = now();
  if (!isDirectory(o.dir)) throw new UsageError(`maildir verify ${o.dir}: no such directory; give the Maildir root (the directory holding cur/, new/ and tmp/)`);
  if (o.against && !pathExists(o.against)) throw new UsageError(`--against ${o.against}: no such file or directory; give a copy of the Maildir or a .tar/.tar.gz of it`);
  const maxNames = o.maxNames ?? 50;
  const layout = discoverStore(o.dir);
  const facts: MaildirFacts = { root: o.dir, layout: layout.kind, folders: [], totals: { folders: 0, messages: 0, bytes: 0 } };
  if (layout.kind !== 'maildir') {
    return finish(facts, storeFindings(facts, layout.kind === 'dbox' ? layout.evidence : undefined));
  }
  const workers = o.workers ?? defaultWorkers();
  const pool = createHashPool(workers, o.signal);
  const small = createHashPool(0, o.signal);
  let seen = 0;
  // Workers only once the store has shown it is big enough to repay them.
  const adaptive: HashPool = {
    scan: (dir, files, onBatch, p) => (seen + files.length >= POOL_MIN_FILES && workers > 0 ? pool : small).scan(dir, files, onBatch, p),
    close: async () => {},
  };
  const progress = (n: number) => { seen += n; o.onProgress?.(n); };
  try {
    let backup: BackupSource | undefined;
    let backupProblem: string | undefined;
    if (o.against) {
      if (isDirectory(o.against)) {
        const b = maildirBackup(o.against, adaptive, progress);
        if ('problem' in b) backupProblem = b.problem;
        else backup = b;
      } else backup = await tarBackup(o.against, o.signal, progress);
    }
    const backupFolders: BackupFolderFacts[] = [];
    const names = [...layout.folders.map((f) => f.name), ...(backup?.folders ?? []).filter((n) => !layout.folders.some((f) => f.name === n))];
    for (const name of names) {
      if (o.signal?.aborted) throw new UsageError('maildir verify: cancelled');
      const folder = layout.folders.find((f) => f.name === name);
      let source: FolderIndex | undefined;
      if (folder) {
        const scanned = await scanFolder(folder, adaptive, { maxNames, onProgress: progress });
        facts.folders.push(scanned.facts);
        source = scanned.index;
      }
      if (backup) {
        const backed = await backup.messages(name);
        const none = emptyIndex();
        const cmp = compareFolder(source ?? none, backed ?? none);
        const entry: BackupFolderFacts = {
          name, inSource: source?.names.length ?? 0, inBackup: backed?.names.length ?? 0, matched: cmp.matched, renamed: cmp.renamed,
          missing: cap(cmp.missing, maxNames), extra: cap(cmp.extra, maxNames), different: cap(cmp.different, maxNames), flagsDiffer: cap(cmp.flagsDiffer, maxNames),
        };
        if (!backed) entry.folderMissing = true;
        if (!folder) entry.folderExtra = true;
        backupFolders.push(entry);
      }
    }
    facts.totals = {
      folders: facts.folders.length,
      messages: facts.folders.reduce((a, f) => a + f.messages, 0),
      bytes: facts.folders.reduce((a, f) => a + f.bytes, 0),
    };
    const findings = storeFindings(facts, undefined, layout.unreadable);
    if (o.against) {
      const sum = (k: 'missing' | 'extra' | 'different' | 'flagsDiffer') => backupFolders.reduce((a, f) => a + f[k].count, 0);
      facts.backup = {
        path: o.against, kind: backup?.kind ?? 'maildir', complete: false,
        totals: { missing: sum('missing'), extra: sum('extra'), different: sum('different'), flagsDiffer: sum('flagsDiffer'), renamed: backupFolders.reduce((a, f) => a + f.renamed, 0) },
        folders: backupFolders,
      };
      const damage = backupProblem ?? backup?.damage;
      if (damage) facts.backup.damage = damage;
      facts.backup.complete = !damage && facts.backup.totals.missing === 0 && facts.backup.totals.different === 0;
      findings.push(...backupFindings(facts.backup));
    }
    return finish(facts, findings);
  } finally {
    await pool.close();
  }

  function finish(f: MaildirFacts, findings: ReturnType<typeof storeFindings>): Report {
    return operationReport({
      target: o.dir, kind: 'maildir', startedAt: new Date(started), durationMs: now() - started,
      parts: [{ check: 'maildir', area: 'Maildir', findings, durationMs: now() - started }],
      facts: { maildir: f }, ignore: o.ignore,
    });
  }
}

/** A list cut to `max` names, with the full count beside it. */
function cap(files: string[], max: number): Named {
  return { count: files.length, files: files.slice(0, max) };
}
