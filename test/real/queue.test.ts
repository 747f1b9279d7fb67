// The real-server suite, queue part: `mxdoctor queue` reads real Postfix queues through
// `postqueue -c <config dir> -j`. never.mail-lab.test (test/lab/start-mail.sh) starts with
// deferred messages (its next hop, [127.0.2.99]:2525, refuses every connection) and one held
// by a header_checks HOLD rule; mx2's queue is empty. Every count is compared with what
// Postfix itself lists at the same moment, not with constants alone.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { MAIL_RUN, mustHave, mustNotHave, mxJson, postfixEtc, postqueue, requireMailLab, show } from '../helpers/real-lab.js';

/** What start-mail.sh queued on never: "deferred=4 hold=1". */
const atStart = Object.fromEntries(readFileSync(join(MAIL_RUN, 'postfix-never', 'queued-at-start'), 'utf8').trim().split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k!, Number(v)]));
const queue = (extra: string[]) => mxJson(['queue', ...extra], { timeoutMs: 30_000 });
const count = (name: string) => postqueue('never').filter((q) => q.queue_name === name).length;

describe('mxdoctor queue on real Postfix queues', () => {
  before(() => requireMailLab(['127.0.2.40:25', '127.0.2.2:25']));

  test('never.mail-lab.test: the deferred and held messages, their age and the top reason', async () => {
    const before = postqueue('never');
    const r = await queue(['--postfix-config', postfixEtc('never')]);
    const after = postqueue('never');
    const q = r.rep.facts?.queue;
    assert.equal(q.mta, 'postfix');
    // The tests before this one may have added deferred messages (never only ever grows).
    assert.ok(q.byQueue.deferred >= atStart.deferred!, `deferred ${q.byQueue.deferred} < ${atStart.deferred} queued at start`);
    const lo = (l: typeof before, name: string) => l.filter((x) => x.queue_name === name).length;
    assert.ok(q.byQueue.deferred >= lo(before, 'deferred') && q.byQueue.deferred <= lo(after, 'deferred'), `deferred ${q.byQueue.deferred} vs postqueue ${lo(before, 'deferred')}..${lo(after, 'deferred')}`);
    assert.equal(q.byQueue.hold, atStart.hold);
    assert.equal(q.byQueue.hold, count('hold'));
    assert.equal(q.byQueue.active ?? 0, 0);
    assert.equal(q.total, Object.values(q.byQueue as Record<string, number>).reduce((a, b) => a + b, 0));
    assert.ok(q.total >= before.length && q.total <= after.length);
    // The oldest message: start-mail.sh's first, as old as Postfix's arrival_time says.
    const oldest = Math.floor(Date.now() / 1000) - Math.min(...before.map((x) => x.arrival_time));
    assert.ok(Math.abs(q.oldestSeconds - oldest) <= 5, `oldestSeconds ${q.oldestSeconds}, postqueue says ~${oldest}`);
    // Every deferral is the same cause: the next hop refuses connections.
    assert.ok(q.topReasons.length >= 1, 'no reasons');
    assert.match(q.topReasons[0].reason + q.topReasons[0].sample, /Connection refused/);
    const deferredRecipients = before.filter((x) => x.queue_name === 'deferred').flatMap((x) => x.recipients).length;
    assert.ok(q.topReasons.reduce((n: number, g: { recipients: number }) => n + g.recipients, 0) >= deferredRecipients - 1);
    assert.ok(q.topDestinations.some((d: { domain: string }) => d.domain === 'mail-lab.test'), JSON.stringify(q.topDestinations));
    assert.ok(Array.isArray(q.ageHistogram.deferred));
    // Findings: below the default size threshold (1000), but something sits on hold.
    mustHave(r.rep, 'queue.size-ok', 'ok');
    mustHave(r.rep, 'queue.hold', 'warning');
    mustNotHave(r.rep, 'queue.read-failed');
    mustNotHave(r.rep, 'queue.not-available');
    assert.equal(r.code, 1, show(r.rep.findings));
  });

  test('--warn 1: the queue size is a warning; --crit 2: critical', async () => {
    const w = await queue(['--postfix-config', postfixEtc('never'), '--warn', '1']);
    mustHave(w.rep, 'queue.size-high', 'warning');
    mustNotHave(w.rep, 'queue.size-ok');
    assert.ok(w.code >= 1);
    const c = await queue(['--postfix-config', postfixEtc('never'), '--warn', '1', '--crit', '2']);
    mustHave(c.rep, 'queue.size-high', 'critical');
    assert.equal(c.code, 2, show(c.rep.findings));
  });

  test('mx2.mail-lab.test: an empty queue', async () => {
    const r = await queue(['--postfix-config', postfixEtc('mx2')]);
    assert.equal(r.rep.facts?.queue.total, 0);
    mustHave(r.rep, 'queue.empty', 'ok');
    assert.equal(r.code, 0, show(r.rep.findings));
  });

  test('two instances at once: the totals add up', async () => {
    const r = await queue(['--postfix-config', postfixEtc('never'), '--postfix-config', postfixEtc('mx2')]);
    const q = r.rep.facts?.queue;
    assert.equal(q.instances.length, 2);
    assert.ok(q.instances.every((i: { ok: boolean }) => i.ok), JSON.stringify(q.instances));
    assert.equal(q.total, q.instances.reduce((n: number, i: { messages: number }) => n + i.messages, 0));
    assert.ok(q.total >= atStart.deferred! + atStart.hold!);
  });

  test('a directory without main.cf: the queue could not be read (unknown, not "empty")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-no-postfix-'));
    try {
      const r = await queue(['--postfix-config', dir]);
      mustNotHave(r.rep, 'queue.empty');
      const f = mustHave(r.rep, 'queue.read-failed', 'unknown');
      assert.match(f.detail ?? '', /main\.cf/);
      assert.equal(r.rep.facts?.queue?.total ?? null, null);
      assert.equal(r.code, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a directory that does not exist: a one-line usage error naming it', async () => {
    const missing = join(MAIL_RUN, 'no-such-instance');
    const r = await runCli(['queue', '--postfix-config', missing, '--json']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`^mxdoctor: .*${missing}.*\n$`));
  });
});
