// The one deadline mechanism: an AbortSignal that fires when a time budget runs out (or
// when its parent fires), so work is cancelled, not raced and dropped. Every I/O client
// in src/io/ takes such a signal and destroys its sockets, timers and children when it fires.
import { setMaxListeners } from 'node:events';

/**
 * Where a client finds the signal of the work calling it: one signal, or a function asked on
 * every call (the runner's check view answers the run's signal inside shared memo work).
 */
export type SignalSource = AbortSignal | (() => AbortSignal | undefined);

export function signalOf(s: SignalSource | undefined): AbortSignal | undefined {
  return typeof s === 'function' ? s() : s;
}

/** Why work was cancelled: the reason carried by the aborted signal. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number, readonly what: string) {
    super(`${what}: deadline of ${formatMs(ms)} passed`);
    this.name = 'DeadlineExceeded';
  }
}

export interface Deadline {
  signal: AbortSignal;
  /** Stop the timer and detach from the parent (call when the work ends). */
  dispose(): void;
}

/**
 * A signal that aborts after `ms` (no timer when undefined) or when `parent` aborts, whichever
 * comes first. The reason is a DeadlineExceeded naming `what`, or the parent's own reason.
 */
export function deadline(ms: number | undefined, what: string, parent?: AbortSignal): Deadline {
  const ctl = new AbortController();
  // Every socket, query and child of the run listens: more than Node's default 10 is normal.
  setMaxListeners(0, ctl.signal);
  const onParent = () => ctl.abort(parent!.reason);
  let timer: NodeJS.Timeout | undefined;
  if (parent?.aborted) ctl.abort(parent.reason);
  else {
    parent?.addEventListener('abort', onParent, { once: true });
    if (ms !== undefined) timer = setTimeout(() => ctl.abort(new DeadlineExceeded(ms, what)), ms);
  }
  return {
    signal: ctl.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/**
 * Run `work` under its own deadline: when the time runs out its signal fires (so it closes its
 * sockets) and `onTimeout` gives the result; the work's own later result is ignored.
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>, ms: number | undefined, what: string,
  onTimeout: (reason: unknown) => T, parent?: AbortSignal,
): Promise<T> {
  const d = deadline(ms, what, parent);
  try {
    return await untilAborted(work(d.signal), d.signal, onTimeout);
  } finally {
    d.dispose();
  }
}

/** `p`, or `onAbort(reason)` as soon as `signal` fires (at once when it already has). */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbort: (reason: unknown) => T): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => undefined);
    return new Promise<T>((resolve) => resolve(onAbort(signal.reason)));
  }
  return new Promise<T>((resolve, reject) => {
    // onAbort may throw (rejectAfter): that rejects this promise, never escapes the event listener.
    const abort = () => {
      p.catch(() => undefined);
      try {
        resolve(onAbort(signal.reason));
      } catch (e) {
        reject(e);
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** A promise-returning timeout for code that throws (imapflow calls, mailauth): rejects with the message. */
export function rejectAfter<T>(p: Promise<T>, ms: number, message: string, signal?: AbortSignal): Promise<T> {
  return withDeadline(() => p, ms, message, (reason) => {
    throw reason instanceof DeadlineExceeded ? new Error(`${message} within ${ms} ms`) : reason;
  }, signal);
}

/** One line saying why a signal fired, for findings ("deadline of 60 s passed"). */
export function abortMessage(signal: AbortSignal | undefined): string {
  const r = signal?.reason;
  if (r instanceof Error) return r.message;
  return r === undefined ? 'cancelled' : String(r);
}

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}
