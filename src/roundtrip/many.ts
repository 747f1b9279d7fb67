// Several destinations in one run ("send to different domains and see whether it reaches
// the inbox"): at most `concurrency` round trips at once, one Report
// each, in the order given. A destination that crashes is a report, not a lost run.
import { finding } from '../core/finding.js';
import { RUNNER_FINDINGS } from '../core/runner.js';
import { operationReport } from '../core/report.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/errors.js';
import { Redactor } from '../core/redact.js';
import { runRoundtrip } from './run.js';
import { allInOrder } from '../io/pool.js';
import type { RoundtripDeps, RoundtripRequest } from './types.js';

export function runMany(reqs: RoundtripRequest[], deps: RoundtripDeps, concurrency: number, ignore?: (id: string) => boolean): Promise<Report[]> {
  return allInOrder(reqs, concurrency, async (req) => {
    const t0 = deps.clock.now();
    try {
      return await runRoundtrip(req, deps, ignore);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      // An exception's message may quote a server reply: redacted like the report itself.
      const redactor = Redactor.of({ value: req.imap.password, user: req.imap.user }, req.send.auth && { value: req.send.auth.password, user: req.send.auth.user });
      return redactor.redactDeep(operationReport({
        target: req.name, kind: 'roundtrip', startedAt: new Date(t0), durationMs: deps.clock.now() - t0, ignore,
        parts: [{ check: 'run', area: 'Run', findings: [finding(RUNNER_FINDINGS.crashed, { subject: 'roundtrip', detail: `the round trip to ${req.name} failed: ${(e as Error).message}` })] }],
      }));
    }
  });
}
