// A load run → report.facts.load: the settings (never the password), the totals, per-phase
// percentiles p50/p90/p99/max in ms under the SMTP step names, messages per second, errors
// grouped by step + reply + enhanced code with explain()'s meaning, the ramp's steps and knee.
import { explain } from '../knowledge/explain.js';
import type { Percentiles } from './histogram.js';
import type { LoadRun } from './run.js';
import type { ErrorGroup, LoadStats } from './stats.js';
import { CEILING, PHASES, REPLY_PHASES } from './types.js';
import type { LoadSecurity, Phase } from './types.js';

/** An error group (stats.ts) with what it means. */
export interface LoadErrorFact extends ErrorGroup {
  /** explain()'s summary of the reply, or what the network failure means. */
  meaning: string;
}

export interface LoadStepFacts {
  concurrency: number;
  attempted: number;
  accepted: number;
  failed: number;
  tempFailed: number;
  durationMs: number;
  ratePerSecond: number;
  errorRate: number;
  tempFailRate: number;
  averageReplyMs: number;
  connections: number;
  phases: Partial<Record<Phase, Percentiles>>;
}

export interface LoadFacts extends LoadStepFacts {
  target: string;
  port: number;
  tls: LoadSecurity;
  pipelining?: boolean;
  settings: {
    messages?: number; durationMs?: number; concurrency: number; ratePerSecond?: number; sizeBytes: number;
    rcpts: number; reuse: number; from: string; to: string[]; auth: boolean; ramp: boolean; stepTimeoutMs: number;
    /** Most worker threads sharing the connections (1: one thread). */
    threads: number;
  };
  ceilings: typeof CEILING;
  thresholds: { averageReplyMs: number; errorRate: number };
  stop: 'complete' | 'aborted' | 'unreachable';
  permFailed: number;
  ioFailed: number;
  rcptRejected: number;
  /** Accepted and failed messages per second of the run (ramp steps one after the other). */
  perSecond: { accepted: number[]; failed: number[] };
  errors: LoadErrorFact[];
  steps?: LoadStepFacts[];
  rampCutShort?: { atConcurrency: number };
  /** The server's CPU cores, when known (loopback, or --server-cores), for the rule of thumb. */
  serverCores?: number;
}

const IO_MEANING: Record<string, string> = {
  timeout: 'No answer within the step timeout: an overloaded server, a tarpit or a slow content filter.',
  closed: 'The server closed the connection without a reply: a process or connection limit, or a crash.',
  reset: 'The connection was reset: a limit in the server or a firewall, or a process that died.',
  refused: 'Nothing accepted the connection: the listen queue is full, or nothing listens there.',
  unreachable: 'No route to the server.',
  tls: 'The TLS handshake failed.',
  protocol: 'The server sent something that is not an SMTP reply, or too much of it.',
  'tls-not-offered': 'The server does not offer STARTTLS; run with --tls none to test without TLS.',
  'auth-not-offered': 'The server offers no AUTH mechanism mxdoctor speaks (PLAIN, LOGIN).',
};

export function stepFacts(s: LoadStats): LoadStepFacts {
  const done = s.accepted + s.failed;
  const phases: Partial<Record<Phase, Percentiles>> = {};
  for (const p of PHASES) if (s.phases[p].count) phases[p] = s.phases[p].summary();
  return {
    concurrency: s.concurrency, attempted: s.attempted, accepted: s.accepted, failed: s.failed, tempFailed: s.tempFailed,
    durationMs: Math.round(s.elapsedMs()), ratePerSecond: round(s.rate(), 1), errorRate: round(s.errorRate(), 6),
    tempFailRate: round(done ? s.tempFailed / done : 0, 6), averageReplyMs: round(s.averageReplyMs(REPLY_PHASES), 2),
    connections: s.connections, phases,
  };
}

export function loadFacts(run: LoadRun, serverCores?: number): LoadFacts {
  const o = run.settings;
  const t = run.total;
  const errors = [...t.groups.values()].sort((a, b) => b.count - a.count).map((g) => ({ ...g, meaning: meaningOf(g) }));
  return {
    target: o.host, port: o.port, tls: o.security, ...(run.pipelining !== undefined ? { pipelining: run.pipelining } : {}),
    settings: {
      ...(o.messages !== undefined ? { messages: o.messages } : {}), ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
      concurrency: o.concurrency, ...(o.ratePerSecond ? { ratePerSecond: o.ratePerSecond } : {}), sizeBytes: o.sizeBytes,
      rcpts: o.rcpts, reuse: o.reuse, from: o.from, to: o.to, auth: !!o.auth, ramp: o.ramp, stepTimeoutMs: o.stepTimeoutMs,
      threads: o.threads ?? 1,
    },
    ceilings: CEILING, thresholds: o.thresholds,
    stop: run.stop === 'bound' ? 'complete' : run.stop,
    ...stepFacts(t),
    durationMs: Math.round(run.durationMs),
    permFailed: t.permFailed, ioFailed: t.ioFailed, rcptRejected: t.rcptRejected,
    perSecond: { accepted: t.perSecond.map((x) => x.accepted), failed: t.perSecond.map((x) => x.failed) },
    errors,
    ...(o.ramp ? { steps: run.steps.map(stepFacts) } : {}),
    ...(run.rampCutShort ? { rampCutShort: run.rampCutShort } : {}),
    ...(serverCores ? { serverCores } : {}),
  };
}

function meaningOf(g: { code?: number; enhanced?: string; kind?: string; sample: string }): string {
  if (g.code !== undefined) return explain(`${g.code} ${g.sample}`).summary;
  return IO_MEANING[g.kind ?? ''] ?? g.sample;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
