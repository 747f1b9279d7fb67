// Parsing queue listings: real `postqueue -j` lines from Postfix 3.7 (test/fixtures/queue,
// see its README), `exim -bp` in both id formats, garbage, and the streaming tally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePostqueueLine } from '../src/host/postqueue.js';
import { EximQueueParser } from '../src/host/exim-queue.js';
import { AgeHistogram, QueueTally, bucketOf, replyCodesOf, type QueuedMessage } from '../src/host/queue-model.js';
import { fixture } from './fixtures/queue/fake-host.js';

const NOW = 1795811340 + 600;

test('postqueue -j: a real Postfix 3.7 listing parses line by line', () => {
  const msgs = fixture('postfix-mixed.jsonl').split('\n').filter(Boolean).map((l) => parsePostqueueLine(l, NOW));
  assert.equal(msgs.length, 9);
  assert.ok(msgs.every((m) => m !== null));
  const byQueue = msgs.reduce<Record<string, number>>((a, m) => ({ ...a, [m!.queue]: (a[m!.queue] ?? 0) + 1 }), {});
  assert.deepEqual(byQueue, { active: 2, deferred: 5, hold: 2 });
  const two = msgs.find((m) => m!.id === '7971B21429C')!;
  assert.equal(two.sender, 'alice@example.org');
  assert.equal(two.size, 1062);
  assert.equal(two.ageSeconds, NOW - 1795811324);
  assert.deepEqual(two.recipients.map((r) => r.address), ['carol@full.test', 'dave@greylist.test']);
  assert.match(two.recipients[0]!.reason!, /452 4\.2\.2 <carol@full\.test>: Mailbox full/);
  const active = msgs.find((m) => m!.queue === 'active')!;
  assert.equal(active.recipients[0]!.reason, undefined, 'a recipient being delivered has no delay_reason');
});

test('postqueue -j: garbage, cut lines and odd members are skipped or tolerated, never thrown', () => {
  const lines = fixture('postfix-garbage.jsonl').split('\n');
  const parsed = lines.map((l) => parsePostqueueLine(l, 1795800000));
  const good = parsed.filter((m) => m !== null);
  assert.equal(good.length, 3);
  const odd = good.find((m) => m!.id === '9C1D02142BB')!;
  assert.equal(odd.ageSeconds, 100, 'a numeric string arrival_time is accepted');
  assert.equal(odd.size, 0, 'a negative size is not trusted');
  assert.deepEqual(odd.recipients, [{ address: 'dan@example.com' }], 'malformed recipients are skipped');
  assert.equal(parsePostqueueLine('{"queue_name": "deferred", "queue_id": "X", "arrival_time": 1795800100}', 1795800000)!.ageSeconds, 0, 'arrival in the future: age 0');
  assert.equal(parsePostqueueLine('{"queue_name": "__proto__", "queue_id": "X", "arrival_time": 1}', 1795800000), null);
});

test('exim -bp: ages, sizes, ids, bounces, frozen, D-marked and +D recipients, spool errors', () => {
  const got: QueuedMessage[] = [];
  const p = new EximQueueParser((m) => got.push(m));
  for (const l of fixture('exim-bp.txt').split('\n')) p.line(l);
  p.end();
  assert.equal(got.length, 7);
  assert.equal(p.spoolErrors, 1);
  assert.equal(p.garbage, 0);
  const [a, b, c, d, e, f, g] = got;
  assert.deepEqual([a!.id, a!.ageSeconds, a!.size, a!.sender], ['1rAbCd-000Ab1-Qx', 25 * 60, Math.round(2.9 * 1024), 'alice@example.org']);
  assert.equal(b!.ageSeconds, 4 * 3600);
  assert.deepEqual(b!.recipients, [{ address: 'done@gmail.com', delivered: true }, { address: 'pending@yahoo.com' }, { address: 'pending2@yahoo.com' }]);
  assert.deepEqual([c!.sender, c!.frozen, c!.ageSeconds], ['', true, 3 * 86400]);
  assert.deepEqual([d!.sender, d!.ageSeconds, d!.size], ['www-data@web1.example', 62 * 3600, 22 * 1024]);
  assert.equal(e!.size, Math.round(1.1 * 1024 * 1024));
  assert.equal(e!.frozen, true);
  assert.deepEqual(f!.recipients.map((r) => r.address), ['carol@gmail.com', 'dave@example.net'], '+D generated addresses are not recipients');
  assert.deepEqual([g!.id, g!.ageSeconds, g!.recipients.length], ['1rSpoo-000Err-00', 0, 0]);
});

test('exim -bp: Exim 4.97 long message ids', () => {
  const got: QueuedMessage[] = [];
  const p = new EximQueueParser((m) => got.push(m));
  for (const l of fixture('exim-bp-497.txt').split('\n')) p.line(l);
  p.end();
  assert.deepEqual(got.map((m) => m.id), ['1rBvHW-00000000Zdo-3UkL', '1qy5gV-000000005bS-1Txw']);
  assert.deepEqual(got.map((m) => m.recipients.length), [2, 1]);
  assert.equal(got[1]!.frozen, true);
});

test('exim -bp: lines that belong to no message are counted as garbage; a missing final blank line still ends the message', () => {
  const got: QueuedMessage[] = [];
  const p = new EximQueueParser((m) => got.push(m));
  for (const l of ['exim: warning: something odd', '  5m   300 1rAAAA-000001-AA <a@b.example>', '          x@y.example']) p.line(l);
  p.end();
  assert.equal(p.garbage, 1);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.recipients[0]!.address, 'x@y.example');
});

test('qshape buckets: 5, 10, 20 ... 1280 minutes, then older', () => {
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(300), 0);
  assert.equal(bucketOf(301), 1);
  assert.equal(bucketOf(1280 * 60), 8);
  assert.equal(bucketOf(1280 * 60 + 1), 9);
  const h = new AgeHistogram(2);
  h.add('a.example', 10);
  h.add('b.example', 700);
  h.add('a.example', 100_000);
  h.add('c.example', 10);
  const rows = h.top(10);
  assert.deepEqual(rows[0], { domain: 'TOTAL', total: 4, buckets: [2, 0, 1, 0, 0, 0, 0, 0, 0, 1] });
  assert.deepEqual(rows.map((r) => r.domain), ['TOTAL', 'a.example', 'b.example'], 'domains past the cap count in TOTAL only');
  assert.equal(h.overflow, 1);
});

test('the tally groups delay reasons by reply code, enhanced code and normalised text', () => {
  const t = new QueueTally();
  for (const l of fixture('postfix-mixed.jsonl').split('\n').filter(Boolean)) t.add(parsePostqueueLine(l, NOW)!);
  assert.equal(t.messages, 9);
  assert.equal(t.deferredRecipients, 7);
  assert.deepEqual(t.byQueue, { active: 2, deferred: 5, hold: 2, incoming: 0, maildrop: 0 });
  const groups = [...t.reasons.groups.values()];
  const refused = groups.find((g) => /Connection refused/.test(g.reason))!;
  assert.equal(refused.count, 3);
  assert.equal(refused.by.size, 3, 'three different destination domains');
  const grey = groups.find((g) => /Greylisted/.test(g.reason))!;
  assert.deepEqual([grey.code, grey.enhanced, grey.count], ['450', '4.7.1', 2], 'bob@ and dave@greylist.test, in two messages');
  assert.equal(t.pending.total.total, 2, 'active recipients are in the incoming+active view');
  assert.equal(t.deferred.total.total, 7);
});

test('reply codes inside Postfix delay reasons', () => {
  assert.deepEqual(replyCodesOf('host mx[1.2.3.4] said: 450 4.7.1 <a@b>: Greylisted'), ['450', '4.7.1']);
  assert.deepEqual(replyCodesOf('host mx[1.2.3.4] refused to talk to me: 421 4.7.0 Too many connections'), ['421', '4.7.0']);
  assert.deepEqual(replyCodesOf('host mx[1.2.3.4] said: 451 Try later'), ['451', '']);
  assert.deepEqual(replyCodesOf('connect to mx[1.2.3.4]:25: Connection timed out'), ['', '']);
});
