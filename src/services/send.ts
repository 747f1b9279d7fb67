// Service: one test message through a submission server (`mxdoctor send`, the monitor's send
// probe): submit it under the overall deadline, judge it, one Report (facts.send) out.
import { finding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import { operationReport } from '../core/report.js';
import type { Report } from '../core/report.js';
import { RUNNER_FINDINGS, isIgnored } from '../core/runner.js';
import { systemClock } from '../io/clock.js';
import type { Clock } from '../io/clock.js';
import { abortMessage } from '../io/deadline.js';
import { bindSignal, createNetClient } from '../io/net.js';
import type { NetClient } from '../io/net.js';
import { bindResolverSignal } from '../io/resolver.js';
import { hostResolver } from '../roundtrip/resolve-host.js';
import { sendFacts } from '../send/facts.js';
import { submitMessage } from '../send/submit.js';
import type { ComposedMessage, SubmitRequest, SubmitResult } from '../send/types.js';
import { withResolver, withRunDeadline } from './resources.js';
import type { ResolverOptions, RunLimits } from './resources.js';

export interface SendServiceOptions extends ResolverOptions, RunLimits {
  ignore?: string[];
  /** Keep the redacted transcript in facts.send. */
  transcript?: boolean;
  net?: NetClient;
  clock?: Clock;
}

export interface SendOutcome {
  report: Report;
  /** The submission's steps and transcript, for the step table and --transcript. */
  result: SubmitResult;
}

export function sendTestMessage(req: SubmitRequest, message: ComposedMessage, o: SendServiceOptions = {}): Promise<SendOutcome> {
  const clock = o.clock ?? systemClock;
  const started = new Date(clock.now());
  return withRunDeadline(`send to ${req.host}:${req.port}`, o, (signal) => {
    const submit = (resolve?: (host: string) => Promise<string[]>) =>
      submitMessage(req, { net: bindSignal(o.net ?? createNetClient(), signal), clock, ...(resolve ? { resolve } : {}) });
    const run = needsLookup(req.host) ? withResolver(o, (resolver) => submit(hostResolver(bindResolverSignal(resolver, signal)))) : submit();
    return run.then((r) => {
      // The overall deadline cut the session: say so, beside the step that was cut.
      const cut: Finding[] = signal.aborted
        ? [finding(RUNNER_FINDINGS.deadline, { subject: 'send', detail: `The send was stopped at the ${r.failure?.step ?? 'last'} step: ${abortMessage(signal)}. Nothing after that step was done; the connection was closed.` })]
        : [];
      const report = operationReport({
        target: `${req.host}:${req.port}`, kind: 'send', startedAt: started, durationMs: r.totalMs,
        parts: [{ check: 'send', area: 'Send', findings: [...r.findings, ...cut], durationMs: r.totalMs }],
        ignore: (id) => isIgnored(id, o.ignore),
        facts: { send: sendFacts(req, r, message, o.transcript) },
      });
      return { report, result: r };
    });
  });
}

function needsLookup(host: string): boolean {
  return host !== 'localhost' && !/^[\d.]+$/.test(host) && !host.includes(':');
}
