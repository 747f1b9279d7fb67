// What a load test is asked to do, its hard limits, and the phases it times.
import type { NetClient } from '../io/net.js';

/** The SMTP steps timed separately (the --json names), in session order. */
export const PHASES = ['connect', 'greeting', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'eod'] as const;
export type Phase = (typeof PHASES)[number];

/** The phases that are a server's reply to us: their mean is the "average reply" judged. */
export const REPLY_PHASES: readonly Phase[] = ['greeting', 'ehlo', 'mail', 'rcpt', 'data', 'eod'];

/**
 * Hard ceilings, whatever the flags say: a load test is load on someone's server, so it is
 * always bounded. Stated in --help, in the refusal and in docs/load.md.
 */
export const CEILING = {
  messages: 1_000_000,
  durationMs: 3_600_000,
  concurrency: 1000,
  ratePerSecond: 100_000,
  sizeBytes: 25 * 1024 * 1024,
  rcpts: 100,
} as const;

/** The ramp's concurrency steps (1, 2, 5 per decade), up to --concurrency. */
export const RAMP_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export type LoadSecurity = 'none' | 'starttls' | 'implicit';

export interface LoadSettings {
  /** As typed (a name or an address); `address` is what is connected to. */
  host: string;
  address: string;
  port: number;
  security: LoadSecurity;
  /** Stop after this many messages (per step with ramp)... */
  messages?: number;
  /** ...or after this long (per step with ramp). At least one of the two. */
  durationMs?: number;
  concurrency: number;
  /** Messages started per second over all connections; undefined = as fast as possible. */
  ratePerSecond?: number;
  /** Message size in bytes (headers included). */
  sizeBytes: number;
  /** Recipients per message, taken in turn from `to`. */
  rcpts: number;
  /** Messages per connection before QUIT and a new connection (1 = a new connection each time). */
  reuse: number;
  from: string;
  to: string[];
  heloName: string;
  auth?: { user: string; password: string };
  /** Per-step timeout: connect, greeting, each reply, the TLS handshake. */
  stepTimeoutMs: number;
  /** Most worker threads sharing a step's connections (each gets at least 5); 1 or absent: this thread only. */
  threads?: number;
  /** Step the concurrency 1, 2, 5, 10... up to `concurrency` and find the knee. */
  ramp: boolean;
  /** Judging thresholds. */
  thresholds: { averageReplyMs: number; errorRate: number };
}

export interface LoadDeps {
  net: NetClient;
  signal?: AbortSignal;
  /** Called about twice a second with the run's progress (the CLI's stderr line). */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  done: number;
  failed: number;
  /** Messages per second over the last interval. */
  rate: number;
  elapsedMs: number;
  /** Estimated time left, when the bound makes it computable. */
  etaMs?: number;
  concurrency: number;
}
