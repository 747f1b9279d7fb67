// Runs as jobs: what "check now" returns and /api/v1/jobs/{id} shows while a run is queued,
// running (with the families done so far) and after it ended (kept one hour).
import type { RunOutcome, Timers } from './scheduler.js';

export type JobTrigger = 'schedule' | 'manual' | 'once';
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  target: string;
  trigger: JobTrigger;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number; running: string[] };
  runId: number | null;
  error: string | null;
}

const KEEP_MS = 3_600_000;

export function jobsTable(timers: Pick<Timers, 'now'>, onChange: (j: Job) => void = () => {}) {
  const jobs = new Map<number, Job>();
  let next = 1;
  const iso = () => new Date(timers.now()).toISOString();
  const listeners = new Set<(j: Job) => void>([onChange]);
  const emit = (j: Job) => { for (const l of listeners) l(j); };
  return {
    create(target: string, trigger: JobTrigger): Job {
      const j: Job = { id: next++, target, trigger, state: 'queued', createdAt: iso(), startedAt: null, finishedAt: null, progress: { done: 0, total: 0, running: [] }, runId: null, error: null };
      jobs.set(j.id, j);
      emit(j);
      return j;
    },
    start(j: Job): void {
      j.state = 'running';
      j.startedAt = iso();
      emit(j);
    },
    progress(j: Job, p: Job['progress']): void {
      j.progress = p;
      emit(j);
    },
    finish(j: Job, o: RunOutcome, aborted: boolean): void {
      j.state = o.ok ? 'done' : aborted ? 'cancelled' : o.runId !== undefined ? 'done' : 'failed';
      j.finishedAt = iso();
      j.runId = o.runId ?? null;
      j.error = o.ok ? null : o.error ?? null;
      emit(j);
      const cutoff = timers.now() - KEEP_MS;
      for (const [id, old] of jobs) if (old.finishedAt && Date.parse(old.finishedAt) < cutoff) jobs.delete(id);
    },
    get(id: number): Job | undefined {
      return jobs.get(id);
    },
    subscribe(l: (j: Job) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
