// A worker thread of parallel.ts: reads its part of the sources and sends the analysis back
// (structured clone: data only; merge.ts puts the classes back).
import { parentPort, workerData } from 'node:worker_threads';
import { Analyser } from './analyse.js';
import { limitYoungGeneration } from './heap.js';
import type { PartJob } from './parallel.js';

// Creating this thread's isolate reset the process-wide young-generation flag: set it again,
// then let the main thread start its own part.
limitYoungGeneration();
parentPort!.postMessage({ ready: true });
const job = workerData as PartJob;
const an = new Analyser(job.options);
await an.read(job.sources);
parentPort!.postMessage({ analysis: an.transferable() });
