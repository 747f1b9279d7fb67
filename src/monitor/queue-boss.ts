// The pg-boss instance of a fleet's PostgreSQL (schema mxdoctor_queue), started with its
// queues created under the store's start-up advisory lock: instances and `check --queue`
// clients starting at once must not run pg-boss's DDL concurrently (it can deadlock).
import type PgBoss from 'pg-boss';
import { STARTUP_LOCK } from './store/open.js';

export interface BossOptions {
  url: string;
  password?: string;
  /** How often pg-boss expires stalled jobs (seconds). */
  maintenanceSeconds?: number;
  /** false: a client that only sends jobs (no maintenance, no supervision). */
  supervise?: boolean;
  log: (line: string) => void;
}

export async function startBoss(o: BossOptions, queues: string[]): Promise<PgBoss> {
  const { default: Boss } = await import('pg-boss');
  const boss = new Boss({
    connectionString: o.url, ...(o.password !== undefined ? { password: o.password } : {}), schema: 'mxdoctor_queue',
    maintenanceIntervalSeconds: o.maintenanceSeconds ?? 60, max: 4,
    ...(o.supervise === false ? { supervise: false, schedule: false } : {}),
  });
  boss.on('error', (e: Error) => o.log(`queue: ${e.message}`));
  const pg = (await import('pg')).default;
  const lock = new pg.Client({ connectionString: o.url, ...(o.password !== undefined ? { password: o.password } : {}), connectionTimeoutMillis: 10_000 });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    await boss.start();
    for (const q of queues) await boss.createQueue(q);
  } finally {
    await lock.end();
  }
  return boss;
}
