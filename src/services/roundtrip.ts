// Service: round trips (`mxdoctor roundtrip`, the monitor's delivery probe): send a message with
// a unique token to each destination and find it over IMAP, one Report per destination, at most
// `concurrency` at once. Owns its resolver; a caller's signal cancels the submissions' sockets.
import type { Report } from '../core/report.js';
import { isIgnored } from '../core/runner.js';
import { systemClock } from '../io/clock.js';
import type { Clock } from '../io/clock.js';
import { bindSignal, createNetClient } from '../io/net.js';
import type { NetClient } from '../io/net.js';
import { bindResolverSignal } from '../io/resolver.js';
import { runMany } from '../roundtrip/many.js';
import type { RoundtripRequest } from '../roundtrip/types.js';
import { composeMessage } from '../send/compose.js';
import { submitMessage } from '../send/submit.js';
import { withResolver } from './resources.js';
import type { ResolverOptions } from './resources.js';

export interface RoundtripOptions extends ResolverOptions {
  concurrency: number;
  ignore?: string[];
  /** Cancels the run (each destination's own --deadline bounds its wait for delivery). */
  signal?: AbortSignal;
  net?: NetClient;
  clock?: Clock;
}

export function roundtrips(requests: RoundtripRequest[], o: RoundtripOptions): Promise<Report[]> {
  return withResolver(o, (resolver) => runMany(requests, {
    compose: composeMessage, submit: submitMessage,
    net: bindSignal(o.net ?? createNetClient(), o.signal), resolver: bindResolverSignal(resolver, o.signal), clock: o.clock ?? systemClock,
  }, o.concurrency, (id) => isIgnored(id, o.ignore)));
}
