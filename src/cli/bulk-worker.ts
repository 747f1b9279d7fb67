// A worker thread of `check --file` (bulk-pool.ts): audits the domains the main thread
// sends it, with its own resolver and cache, and posts back each report as its NDJSON line.
import { parentPort, workerData } from 'node:worker_threads';
import type { Target } from '../core/check.js';
import { runTarget } from '../core/runner.js';
import { auditRunner } from '../services/audit.js';
import { openResolver } from '../services/resources.js';
import { renderNdjsonLine } from '../report/json.js';
import type { CheckCommandOptions } from './commands/check.js';

export interface ToWorker {
  target: Target;
}
/** Reports come back in completion order, like the one-thread runner's. */
export interface FromWorker {
  line: string;
  exitCode: number;
}

const o = workerData as CheckCommandOptions;
// The worker lives until the main thread terminates it: its resolver is closed with it.
const runner = auditRunner(openResolver(o).resolver, o);
const port = parentPort!;

let replies: FromWorker[] = [];
// Replies go back in batches, one message per turn of the event loop: a message per report
// woke the main thread once per domain and showed in profiles.
const flush = () => {
  port.postMessage(replies);
  replies = [];
};

// Each message is a batch of domains; the main thread terminates the worker when the file is done.
port.on('message', (batch: ToWorker[]) => {
  for (const m of batch) {
    void runTarget(m.target, runner).then((report) => {
      if (!replies.length) setImmediate(flush);
      replies.push({ line: renderNdjsonLine(report), exitCode: report.exitCode });
    });
  }
});
