// Numbered migrations, applied in order at start (kysely's Migrator records them), written
// once for both dialects: only the id column type differs (SQLite autoincrement, PG serial).
import { Migrator } from 'kysely';
import type { Kysely, Migration, CreateTableBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function withId<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'serial', (c) => c.primaryKey());
}

function migrations(dialect: Dialect): Record<string, Migration> {
  const ms = dialect === 'sqlite' ? 'integer' : 'bigint';
  return {
    '001-runs-findings-state': {
      async up(db: Kysely<any>) {
        await withId(db.schema.createTable('runs'), dialect)
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('started_ms', ms, (c) => c.notNull())
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('exit_code', 'integer', (c) => c.notNull())
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('counts', 'text', (c) => c.notNull())
          .addColumn('report', 'text')
          .execute();
        await db.schema.createIndex('runs_target_started').on('runs').columns(['target', 'started_ms']).execute();
        await db.schema.createTable('current_findings')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('finding_id', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('since_ms', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('current_findings_pk', ['target', 'key'])
          .execute();
        await withId(db.schema.createTable('changes'), dialect)
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('run_id', 'integer', (c) => c.notNull())
          .addColumn('at_ms', ms, (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('finding_id', 'text')
          .addColumn('subject', 'text')
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text')
          .addColumn('title', 'text')
          .execute();
        await db.schema.createIndex('changes_target_at').on('changes').columns(['target', 'at_ms']).execute();
        await db.schema.createTable('target_state')
          .addColumn('target', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('since_ms', ms, (c) => c.notNull())
          .addColumn('last_run_id', 'integer')
          .addColumn('last_run_ms', ms)
          .addColumn('failures', 'integer', (c) => c.notNull())
          .execute();
        await withId(db.schema.createTable('incidents'), dialect)
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('started_ms', ms, (c) => c.notNull())
          .addColumn('ended_ms', ms)
          .addColumn('start_run_id', 'integer', (c) => c.notNull())
          .addColumn('end_run_id', 'integer')
          .addColumn('cause_id', 'text')
          .addColumn('cause_title', 'text')
          .execute();
        await db.schema.createIndex('incidents_target_started').on('incidents').columns(['target', 'started_ms']).execute();
      },
    },
    '002-series-availability': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('series')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('metric', 'text', (c) => c.notNull())
          .addColumn('step', 'text', (c) => c.notNull())
          .addColumn('t', ms, (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('sum', 'double precision', (c) => c.notNull())
          .addColumn('min', 'double precision', (c) => c.notNull())
          .addColumn('max', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('series_pk', ['target', 'metric', 'step', 't'])
          .execute();
        await db.schema.createTable('availability')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('day', ms, (c) => c.notNull())
          .addColumn('up_ms', ms, (c) => c.notNull())
          .addColumn('down_ms', ms, (c) => c.notNull())
          .addColumn('unknown_ms', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('availability_pk', ['target', 'day'])
          .execute();
      },
    },
    '003-alerts-silences': {
      async up(db: Kysely<any>) {
        await withId(db.schema.createTable('silences'), dialect)
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('rule', 'text')
          .addColumn('starts_ms', ms, (c) => c.notNull())
          .addColumn('ends_ms', ms, (c) => c.notNull())
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createTable('alerts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('starts_ms', ms, (c) => c.notNull())
          .addColumn('ends_ms', ms)
          .addColumn('last_notified_ms', ms)
          .execute();
        await withId(db.schema.createTable('deliveries'), dialect)
          .addColumn('alert_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('at_ms', ms, (c) => c.notNull())
          .addColumn('ok', 'integer', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('error', 'text')
          .execute();
      },
    },
    '004-remediation-audit': {
      async up(db: Kysely<any>) {
        await withId(db.schema.createTable('remediations'), dialect)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('alert_id', 'text', (c) => c.notNull())
          .addColumn('at_ms', ms, (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('argv', 'text', (c) => c.notNull())
          .addColumn('exit_code', 'integer')
          .addColumn('output', 'text')
          .execute();
        await db.schema.createIndex('remediations_name_target').on('remediations').columns(['name', 'target', 'at_ms']).execute();
      },
    },
    '005-run-job-id': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('runs').addColumn('job_id', 'text').execute();
        await db.schema.createIndex('runs_job_id').on('runs').column('job_id').unique().execute();
      },
    },
    '006-log-positions': {
      async up(db: Kysely<any>) {
        // Where each watched log file was read up to (logwatch/position.ts): device and inode
        // name the file, the hash of its first bytes tells a replaced file with a reused inode.
        await db.schema.createTable('log_positions')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('dev', ms, (c) => c.notNull())
          .addColumn('ino', ms, (c) => c.notNull())
          .addColumn('offset', ms, (c) => c.notNull())
          .addColumn('head_len', 'integer', (c) => c.notNull())
          .addColumn('head_hash', 'text', (c) => c.notNull())
          .addColumn('updated_ms', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('log_positions_pk', ['target', 'path'])
          .execute();
        // The counters up to those positions (JSON), saved in the same transaction: after a
        // restart the totals go on from there and no line is counted twice.
        await db.schema.createTable('log_counters')
          .addColumn('target', 'text', (c) => c.primaryKey())
          .addColumn('counters', 'text', (c) => c.notNull())
          .addColumn('updated_ms', ms, (c) => c.notNull())
          .execute();
      },
    },
    '007-bulk-results': {
      async up(db: Kysely<any>) {
        // `check --file --queue`: the reports of a bulk audit as the fleet's workers finish them,
        // read back by the CLI that enqueued the batch (in id order, then deleted by it).
        await withId(db.schema.createTable('bulk_results'), dialect)
          .addColumn('batch', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('report', 'text', (c) => c.notNull())
          .addColumn('created_ms', ms, (c) => c.notNull())
          .execute();
        // A job retried after its worker died is stored once.
        await db.schema.createIndex('bulk_results_batch_seq').on('bulk_results').columns(['batch', 'seq']).unique().execute();
      },
    },
  };
}

export async function migrate(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const m = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  const { error, results } = await m.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`the store's migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
