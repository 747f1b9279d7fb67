// The real-server suite, load part: `mxdoctor load` against Debian's Postfix on
// sink.mail-lab.test (127.0.2.50, test/lab/start-mail.sh), whose only next hop is Postfix's
// own smtp-sink on 127.0.2.51:2526, which writes every message it receives to a file. Proves
// the counts against both ends (Postfix's log says sent, smtp-sink holds the files), that
// Postfix's PIPELINING is used, and that Postfix's own connection limit shows as throttling.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAIL_RUN, maillog, mustHave, mxJson, requireMailLab, show, waitFor } from '../helpers/real-lab.js';

const TARGET = '127.0.2.50';
const RCPT = 'load@sink.mail-lab.test';
const SINK_DIR = join(MAIL_RUN, 'smtp-sink');

/** Messages smtp-sink wrote (one file each, in per-hour directories) carrying this run's marker. */
function sunk(marker: string): number {
  let n = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p, 'latin1').includes(marker)) n++;
    }
  };
  if (existsSync(SINK_DIR)) walk(SINK_DIR);
  return n;
}

describe('mxdoctor load on the real Postfix (sink.mail-lab.test → smtp-sink)', () => {
  before(() => requireMailLab([`${TARGET}:25`, '127.0.2.51:2526']));

  test('300 messages, concurrency 5, 20 per connection: all accepted by Postfix, relayed, and in smtp-sink', async () => {
    const r = await mxJson(['load', TARGET, '--messages', '300', '--concurrency', '5', '--reuse', '20', '--to', RCPT, '--size', '3000', '--step-timeout', '20000'], { timeoutMs: 180_000 });
    const f = r.rep.facts?.load;
    assert.equal(r.rep.kind, 'load');
    assert.equal(f.accepted, 300, show(r.rep.findings));
    assert.equal(f.failed, 0);
    assert.equal(f.pipelining, true, 'Postfix offers PIPELINING');
    assert.ok(f.connections >= 15 && f.connections <= 20, `connections ${f.connections}`);
    for (const p of ['connect', 'greeting', 'ehlo', 'mail', 'rcpt', 'data', 'eod']) {
      const h = f.phases[p];
      assert.ok(h && h.p50 <= h.p90 && h.p90 <= h.p99 && h.p99 <= h.max, `${p}: ${JSON.stringify(h)}`);
    }
    assert.equal(f.phases.eod.count, 300);
    mustHave(r.rep, 'load.result', 'info');
    // Ground truth at both ends: Postfix logged each queue id as sent to the sink, and the sink has them.
    const marker = /Message-ID: <load-([0-9a-f]+)-/;
    const sentToSink = () => readFileSync(maillog('sink'), 'utf8').split('\n').filter((l) => / relay=127\.0\.2\.51\[127\.0\.2\.51\]:2526, .* status=sent /.test(l)).length;
    assert.ok(await waitFor(() => sentToSink() >= 300, 60_000), `Postfix relayed ${sentToSink()} of 300 to smtp-sink`);
    const runId = (() => {
      for (const d of readdirSync(SINK_DIR, { recursive: true }) as string[]) {
        const p = join(SINK_DIR, d);
        if (statSync(p).isFile()) return marker.exec(readFileSync(p, 'latin1'))?.[1];
      }
      return undefined;
    })();
    assert.ok(runId, 'smtp-sink wrote no message');
    assert.equal(await waitFor(() => sunk(`<load-${runId}-`) === 300 && 300, 30_000), 300, `smtp-sink holds ${sunk(`<load-${runId}-`)} messages of this run`);
  });

  test('over Postfix\'s connection limit: 421 and load.throttled', async () => {
    // sink's smtpd_client_connection_count_limit is 10 for every client (start-mail.sh).
    const r = await mxJson(['load', TARGET, '--messages', '200', '--concurrency', '30', '--to', RCPT, '--size', '1000'], { timeoutMs: 180_000 });
    const f = r.rep.facts?.load;
    assert.ok(f.accepted > 0);
    const e421 = f.errors.find((e: { code?: number }) => e.code === 421);
    assert.ok(e421, `no 421 among ${JSON.stringify(f.errors)}`);
    mustHave(r.rep, 'load.throttled', 'warning');
  });
});
