// Several `serve` instances on one PostgreSQL store: the schedule of every instance turns
// each due run into a pg-boss job whose id is derived from (target, time slot), so however
// many instances enqueue it, the job exists once; any instance's worker takes it, and the
// run is stored with its job id (unique), so a job retried after its worker was killed
// (pg-boss expires it and hands it to another instance) is stored once. No home-made cluster:
// PostgreSQL and pg-boss do the coordination.
import { createHash } from 'node:crypto';
import type { Monitor } from './monitor.js';
import { startBoss } from './queue-boss.js';
import { AUDIT_QUEUE, runBulkJob } from './bulk-worker.js';
import type { BulkJob } from './bulk-worker.js';

export const RUN_QUEUE = 'mxdoctor-run';

export interface FleetOptions {
  url: string;
  password?: string;
  /** How often a worker polls for jobs and pg-boss expires stalled ones (seconds; tests use 1). */
  pollSeconds?: number;
  maintenanceSeconds?: number;
  log: (line: string) => void;
}

/** A UUID made from the target and its slot: every instance derives the same id. */
export function slotJobId(target: string, slotStart: number): string {
  const h = createHash('sha256').update(`${target}\n${slotStart}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function startFleet(m: Monitor, o: FleetOptions) {
  const boss = await startBoss({ url: o.url, password: o.password, maintenanceSeconds: o.maintenanceSeconds, log: o.log }, [RUN_QUEUE, AUDIT_QUEUE]);
  const timeoutS = Math.ceil(m.config.schedule.timeout / 1000);
  m.useQueue(async (target, slotStart, trigger) => {
    const id = trigger === 'schedule' ? slotJobId(target, slotStart) : undefined;
    // A worker killed mid-run: pg-boss expires the job after the run's deadline and retries it elsewhere.
    const sent = await boss.send(RUN_QUEUE, { target, trigger }, { ...(id ? { id } : {}), retryLimit: 3, retryDelay: 1, expireInSeconds: timeoutS + 5 });
    return sent !== null;
  });
  await boss.work<{ target: string; trigger: string }>(RUN_QUEUE, { pollingIntervalSeconds: o.pollSeconds ?? 2, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), m.config.schedule.timeout);
    try {
      await m.runQueued(job.data.target, job.id, job.data.trigger === 'manual' ? 'manual' : 'schedule', ctl.signal);
    } finally {
      clearTimeout(timer);
    }
  });
  // Bulk audits of `check --file --queue`: a batch of jobs at a time, at the schedule's concurrency.
  await boss.work<BulkJob>(AUDIT_QUEUE, { pollingIntervalSeconds: o.pollSeconds ?? 2, batchSize: m.config.schedule.concurrency }, async (jobs) => {
    await Promise.all(jobs.map((j) => runBulkJob(m, j.data)));
  });
  return {
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
