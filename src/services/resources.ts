// The resources a service owns for one run: its resolver (closed by whoever created it, never
// a caller's), and its overall deadline. Every service goes through these, so the CLI, the
// library API and the monitor get the same ownership rules.
import { deadline } from '../io/deadline.js';

export { openResolver, withResolver } from '../context.js';
export type { ResolverOptions } from '../context.js';

export interface RunLimits {
  /** Cancels the whole operation (a caller's own deadline, Ctrl-C, the monitor's shutdown). */
  signal?: AbortSignal;
  /** The operation's overall deadline in ms (`--deadline`): all work is cancelled when it passes. */
  deadlineMs?: number;
}

/** Run `fn` under the operation's overall deadline (and the caller's signal). */
export async function withRunDeadline<T>(what: string, o: RunLimits, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const d = deadline(o.deadlineMs, what, o.signal);
  try {
    return await fn(d.signal);
  } finally {
    d.dispose();
  }
}
