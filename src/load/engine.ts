// The load engine: C workers in this one process, each holding a connection for up to
// --reuse messages, sharing one message budget (count or time) and one rate schedule.
// It stops taking new messages when the bound is reached, the signal fires or nothing
// can be reached, and closes every socket it opened.
import { setMaxListeners } from 'node:events';
import type { LoadConnection } from './connection.js';
import type { LoadFailure } from './failure.js';
import { LoadMessage } from './message.js';
import { openConnection } from './open.js';
import { RateSchedule, sleep } from './rate.js';
import { LoadStats } from './stats.js';
import type { LoadDeps, LoadSettings } from './types.js';

/** Why a step ended before its bound. */
export type StopReason = 'bound' | 'aborted' | 'unreachable';

/** Connection attempts that all failed, with none ever working, before the run gives up. */
const GIVE_UP_AFTER = 20;
const PROGRESS_EVERY_MS = 500;

export async function runStep(o: LoadSettings, concurrency: number, message: LoadMessage, deps: LoadDeps, t0 = performance.now()): Promise<{ stats: LoadStats; stop: StopReason }> {
  const stats = new LoadStats(concurrency, t0);
  const endAt = o.durationMs !== undefined ? t0 + o.durationMs : Infinity;
  const schedule = o.ratePerSecond ? new RateSchedule(o.ratePerSecond) : undefined;
  const open = new Set<{ close(): void }>();
  let stop: StopReason = 'bound';
  let everConnected = false;
  let failedOpens = 0;
  const signal = deps.signal;
  const onAbort = () => {
    stop = 'aborted';
    for (const s of open) s.close();
  };
  // Every worker's sleeps listen on the signal as well: not a leak.
  if (signal) setMaxListeners(concurrency * 2 + 20, signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  const track = (s: { close(): void }) => {
    open.add(s);
    return () => open.delete(s);
  };
  const more = () => stop === 'bound' && !signal?.aborted && (o.messages === undefined || stats.attempted < o.messages) && performance.now() < endAt;
  let rcptTurn = 0;
  const rcptsFor = () => {
    const out: string[] = [];
    for (let i = 0; i < o.rcpts; i++) out.push(o.to[rcptTurn++ % o.to.length]!);
    return out;
  };
  const failed = (f: LoadFailure) => {
    if (!signal?.aborted) stats.messageDone(false, f);
  };

  const worker = async () => {
    let conn: LoadConnection | undefined;
    let used = 0;
    // The next message, already counted and its group already sent behind the last one.
    let carried: string[] | undefined;
    for (;;) {
      if (signal?.aborted || stop !== 'bound') break;
      let rcpts = carried;
      carried = undefined;
      if (!rcpts) {
        if (!more()) break;
        if (schedule && !(await schedule.next(signal, endAt))) break;
        if (!more()) break;
        stats.attempted++;
        rcpts = rcptsFor();
      }
      if (!conn) {
        const r = await openConnection(o, deps, stats, track);
        if (!r.ok) {
          failed(r.failure);
          if (!everConnected && ++failedOpens >= GIVE_UP_AFTER && stop === 'bound') stop = 'unreachable';
          // Back off a little: a refusing server must not turn the run into a connect storm.
          await sleep(Math.min(1000, 20 * failedOpens), signal);
          continue;
        }
        everConnected = true;
        failedOpens = 0;
        stats.connections++;
        conn = r.conn;
        stats.pipelining ??= conn.caps.pipelining;
        used = 0;
      }
      const last = used + 1 >= o.reuse;
      // Without a rate to keep, the next message on this connection goes out with this one.
      if (!last && !schedule && conn.caps.pipelining && more()) {
        stats.attempted++;
        carried = rcptsFor();
      }
      const sent = await conn.send(message, rcpts, { ...(carried ? { next: carried } : {}), quit: last || !more() });
      used++;
      if (!signal?.aborted) {
        for (const f of sent.rejectedRcpts) stats.rcptRefused(f);
        if (sent.ok) stats.messageDone(true);
        else failed(sent.failure);
      }
      const closed = sent.ok ? !!sent.closed : sent.broken;
      if (closed || last || (!carried && !more())) {
        if (!closed) await conn.quit();
        conn.close();
        conn = undefined;
      }
    }
    conn?.close();
  };

  const progress = deps.onProgress ? setInterval(() => tick(), PROGRESS_EVERY_MS) : undefined;
  let last = { at: t0, done: 0 };
  const tick = () => {
    const now = performance.now();
    const done = stats.accepted + stats.failed;
    const rate = ((done - last.done) * 1000) / Math.max(1, now - last.at);
    last = { at: now, done };
    const eta = o.messages !== undefined ? (rate > 0 ? ((o.messages - done) / rate) * 1000 : undefined) : endAt - now;
    deps.onProgress?.({ done: stats.accepted, failed: stats.failed, rate, elapsedMs: now - t0, ...(eta !== undefined ? { etaMs: Math.max(0, eta) } : {}), concurrency });
  };
  progress?.unref();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (progress) clearInterval(progress);
    signal?.removeEventListener('abort', onAbort);
    for (const s of open) s.close();
    stats.endedAt = performance.now();
  }
  return { stats, stop: signal?.aborted ? 'aborted' : stop };
}

export { LoadMessage };
