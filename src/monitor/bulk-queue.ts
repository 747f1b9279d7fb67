// The client side of `mxdoctor check --file --queue <postgres url>`: the domains go into the
// fleet's job queue (pg-boss on the store's PostgreSQL) as one batch, every serve instance
// with `store.queue: true` works through it (bulk-worker.ts), and the reports stream back in
// the order they are finished, read from bulk_results and removed once read. It never waits
// for ever: an overall deadline, and a stall limit when no report arrives at all.
import { randomUUID } from 'node:crypto';
import type { DomainTarget } from '../core/check.js';
import type { Report } from '../core/report.js';
import { openStoreDb } from './store/open.js';
import { startBoss } from './queue-boss.js';
import { AUDIT_QUEUE } from './bulk-worker.js';
import type { BulkJob } from './bulk-worker.js';

export interface BulkQueueOptions {
  url: string;
  password?: string;
  /** The fleet's module to audit with (every instance must have it). */
  module: string;
  /** Overall deadline (ms): what has not come back by then is reported missing. */
  deadlineMs?: number;
  /** No report at all for this long: stop waiting (default 10 min). */
  stallMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** The batch ended before every domain's report came back. */
export class BulkIncomplete extends Error {}

const CHUNK = 500;

/** `items`: the domains to enqueue, or a ready report (a line that is not a domain) to pass on. */
export async function* bulkViaQueue(items: AsyncIterable<DomainTarget | Report>, o: BulkQueueOptions): AsyncGenerator<Report> {
  const started = Date.now();
  const store = await openStoreDb({ url: o.url, ...(o.password !== undefined ? { password: o.password } : {}) });
  const boss = await startBoss({ url: o.url, password: o.password, supervise: false, log: o.log }, [AUDIT_QUEUE]);
  const batch = randomUUID();
  const ids: string[] = [];
  let got = 0;
  try {
    let chunk: { id: string; name: string; data: BulkJob; retryLimit: number; retryDelay: number; expireInSeconds: number }[] = [];
    const flush = async () => { if (chunk.length) await boss.insert(chunk); chunk = []; };
    for await (const item of items) {
      if ('schema' in item) { yield item; continue; }
      const id = randomUUID();
      ids.push(id);
      // A worker killed mid-audit: pg-boss expires its job and another instance takes it.
      chunk.push({ id, name: AUDIT_QUEUE, data: { batch, seq: ids.length, domain: item.domain, input: item.input ?? item.domain, module: o.module }, retryLimit: 3, retryDelay: 1, expireInSeconds: 300 });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    o.log(`${ids.length} domains queued as batch ${batch}`);

    let lastId = 0;
    let lastProgress = Date.now();
    const stall = o.stallMs ?? 600_000;
    while (got < ids.length) {
      if (o.signal?.aborted) throw new BulkIncomplete(`stopped: ${got} of ${ids.length} reports came back`);
      const rows = await store.db.selectFrom('bulk_results').select(['id', 'report']).where('batch', '=', batch).where('id', '>', lastId).orderBy('id').limit(CHUNK).execute();
      for (const r of rows) {
        lastId = Number(r.id);
        got++;
        yield JSON.parse(r.report) as Report;
      }
      if (rows.length) {
        lastProgress = Date.now();
        await store.db.deleteFrom('bulk_results').where('batch', '=', batch).where('id', '<=', lastId).execute();
        continue;
      }
      const now = Date.now();
      if (o.deadlineMs !== undefined && now - started > o.deadlineMs) throw new BulkIncomplete(`the deadline passed: ${got} of ${ids.length} reports came back`);
      if (now - lastProgress > stall) throw new BulkIncomplete(`no report for ${Math.round(stall / 1000)} s (${got} of ${ids.length} back): is a serve fleet with store.queue: true running on this database?`);
      await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    }
  } finally {
    // Whatever did not come back is not wanted any more: cancel it, drop the batch's rows.
    if (got < ids.length) await boss.cancel(AUDIT_QUEUE, ids).catch(() => undefined);
    await store.db.deleteFrom('bulk_results').where('batch', '=', batch).execute().catch(() => undefined);
    await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
    await store.close();
  }
}
