// A worker thread of `check --file` (bulk-pool.ts): audits the domains the main thread
// sends it, with its own resolver and cache, and posts back each report as its NDJSON line.
import { parentPort, workerData } from 'node:worker_threads';
import type { Target } from '../core/check.js';
import { runTarget } from '../core/runner.js';
import { auditRunner } from '../services/audit.js';
import { openResolver } from '../services/resources.js';
import { renderNdjsonLine } from '../report/json.js';
import { systemClock } from '../io/clock.js';
import { DeadlineExceeded } from '../io/deadline.js';
import type { WorkerOptions } from './bulk-pool.js';

export interface ToWorker {
  target: Target;
}
/** The main thread's signal fired: cancel what runs, skip what comes. */
export interface StopWorker {
  stop: string;
}
/** Reports come back in completion order, like the one-thread runner's. */
export interface FromWorker {
  line: string;
  exitCode: number;
}

const o = workerData as WorkerOptions;
// The run's overall deadline, as in one thread (services/audit.ts): checks in flight are
// cancelled (run.deadline), domains that come after it get their families skipped.
const stopped = new AbortController();
const left = o.deadlineAt !== undefined ? Math.max(0, o.deadlineAt - systemClock.now()) : undefined;
const timer = left !== undefined ? setTimeout(() => stopped.abort(new DeadlineExceeded(o.deadlineMs ?? left, 'audit')), left) : undefined;
timer?.unref();
// The worker lives until the main thread terminates it: its resolver is closed with it.
const runner = auditRunner(openResolver(o).resolver, o, stopped.signal);
const port = parentPort!;

let replies: FromWorker[] = [];
// Replies go back in batches, one message per turn of the event loop: a message per report
// woke the main thread once per domain and showed in profiles.
const flush = () => {
  port.postMessage(replies);
  replies = [];
};

// Each message is a batch of domains; the main thread terminates the worker when the file is done.
port.on('message', (batch: ToWorker[] | StopWorker) => {
  if (!Array.isArray(batch)) {
    stopped.abort(new Error(batch.stop));
    return;
  }
  for (const m of batch) {
    void runTarget(m.target, runner).then((report) => {
      if (!replies.length) setImmediate(flush);
      replies.push({ line: renderNdjsonLine(report), exitCode: report.exitCode });
    });
  }
});
