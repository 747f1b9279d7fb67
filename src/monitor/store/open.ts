// Opens the store: SQLite (better-sqlite3, WAL, busy_timeout, one connection = one writer)
// by default, PostgreSQL through kysely's pg dialect when store.url is set. Both run the
// same migrations and the same queries.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from './schema.js';
import { migrate } from './migrations.js';
import type { Dialect } from './migrations.js';

export interface StoreDb {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where it is, without any password (for /api/v1/status). */
  describe: { kind: Dialect; path?: string; url?: string };
  close(): Promise<void>;
}

export interface StoreLocation {
  path?: string;
  url?: string;
  password?: string;
}

export async function openStoreDb(loc: StoreLocation): Promise<StoreDb> {
  if (loc.url) return openPostgres(loc.url, loc.password);
  return openSqlite(loc.path ?? ':memory:');
}

async function openSqlite(path: string): Promise<StoreDb> {
  const { default: Database } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL: readers never block the writer; a committed transaction survives the process being
  // killed (synchronous=NORMAL syncs at checkpoints: only an OS crash may lose the last ones).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db, 'sqlite');
  return { db, dialect: 'sqlite', describe: { kind: 'sqlite', path }, close: () => db.destroy() };
}

/** The advisory-lock key under which instances sharing a database run their start-up DDL. */
export const STARTUP_LOCK = 0x6d78646f; // 'mxdo'

async function openPostgres(url: string, password: string | undefined): Promise<StoreDb> {
  const pg = (await import('pg')).default;
  // bigint (int8) columns hold millisecond times, far below 2^53: read them as numbers.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, ...(password !== undefined ? { password } : {}), max: 4, connectionTimeoutMillis: 10_000 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Several instances starting at once on one database: their migrations run one after another
  // under a session advisory lock (concurrent DDL can deadlock, seen with three instances).
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      await migrate(db, 'postgres');
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    client.release();
  }
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
  return { db, dialect: 'postgres', describe: { kind: 'postgres', url: safe }, close: () => db.destroy() };
}
