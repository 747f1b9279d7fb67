// `mxdoctor queue` end to end without a mail server: a scripted runner replays real
// postqueue -j / exim -bp output (and failures: timeout, ENOENT, permission denied, the
// mail system down, truncated output), a fixed clock, and we assert on finding ids and facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../src/io/clock.js';
import { locator } from '../src/host/locate.js';
import { queueReport, type HostIo } from '../src/services/queue.js';
import type { QueueFacts } from '../src/host/queue-facts.js';
import { renderQueue } from '../src/report/queue-text.js';
import type { Report } from '../src/core/report.js';
import { fakeFs, fakeRunner, fixture, type Script } from './fixtures/queue/fake-host.js';

const POSTFIX = ['/usr/sbin/postconf', '/usr/sbin/postqueue'];
const EXIM = ['/usr/sbin/exim4'];

function io(scripts: Record<string, Script | (() => Script)>, at: number, o: { executables?: string[]; dirs?: Record<string, string[]> } = {}): HostIo & { run: ReturnType<typeof fakeRunner> } {
  const fs = fakeFs({ executables: o.executables ?? POSTFIX, dirs: o.dirs });
  return { run: fakeRunner(scripts), fs, clock: fixedClock(at * 1000), locate: locator(fs, '/usr/bin:/bin'), hostname: 'mail.test' };
}

const ids = (r: Report) => r.findings.map((f) => f.id).sort();
const sev = (r: Report, id: string) => r.findings.find((f) => f.id === id)?.severity;
const facts = (r: Report) => r.facts!.queue as QueueFacts;

/** n deferred messages, each one recipient, spread over domains and reasons as given. */
function synthetic(n: number, o: { domain?: (i: number) => string; reason?: (i: number) => string; now?: number; queue?: string } = {}): string {
  const now = o.now ?? 1795800000;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = o.domain?.(i) ?? `d${i % 50}.example`;
    const reason = o.reason?.(i) ?? `host mx.${d}[198.51.100.${i % 250}] said: 450 4.2.0 <u${i}@${d}>: Recipient address rejected: Greylisted (in reply to RCPT TO command)`;
    out.push(JSON.stringify({ queue_name: o.queue ?? 'deferred', queue_id: `Q${i.toString(16).toUpperCase()}`, arrival_time: now - 60 - (i % 5000), message_size: 1000 + i, forced_expire: false, sender: 'news@shop.example', recipients: [{ address: `u${i}@${d}`, delay_reason: reason }] }));
  }
  return `${out.join('\n')}\n`;
}

test('a real Postfix queue: counts per queue, oldest, hold as a warning, histogram and reasons in facts', async () => {
  const h = io({ 'postqueue -j': { stdout: fixture('postfix-mixed.jsonl') } }, 1795811340 + 600);
  const r = await queueReport({}, h);
  assert.deepEqual(ids(r), ['queue.hold', 'queue.size-ok']);
  assert.equal(r.exitCode, 1);
  assert.equal(r.kind, 'queue');
  const f = facts(r);
  assert.equal(f.mta, 'postfix');
  assert.equal(f.total, 9);
  assert.deepEqual(f.byQueue, { active: 2, deferred: 5, hold: 2, incoming: 0, maildrop: 0 });
  assert.equal(f.oldestSeconds, 616);
  assert.equal(f.ageHistogram.deferred[0]!.total, 7);
  assert.deepEqual(f.ageHistogram.bucketsMinutes, [5, 10, 20, 40, 80, 160, 320, 640, 1280]);
  assert.equal(f.topReasons[0]!.recipients, 3);
  assert.match(f.topReasons[0]!.reason, /Connection refused/);
  assert.ok(f.topReasons.some((x) => x.code === '452' && x.enhanced === '4.2.2' && x.explanation), 'reasons with a code are explained');
  assert.deepEqual(h.run.calls, ['postqueue -j']);
  const text = renderQueue(f, { color: false });
  assert.match(text, /deferred\s+5\s+10 min/);
  assert.match(text, /T\s+5\s+10\s+20\s+40\s+80\s+160\s+320\s+640\s+1280\s+1280\+/);
  assert.match(text, /greylist\.test\s+2\s+0\s+0\s+2/);
});

test('a deferred-heavy queue timing out everywhere: outbound port 25 blocked (critical), old deferred, forced expiry', async () => {
  const r = await queueReport({}, io({ 'postqueue -j': { stdout: fixture('postfix-deferred-heavy.jsonl') } }, 1795800000 + 600));
  assert.deepEqual(ids(r), ['queue.forced-expire', 'queue.old-deferred', 'queue.port25-blocked', 'queue.size-ok']);
  assert.equal(r.exitCode, 2);
  const p = r.findings.find((f) => f.id === 'queue.port25-blocked')!;
  assert.match(p.detail!, /65 of 67 deferred recipients .* at 6\+ different domains/);
  assert.match(p.remediation!, /relayhost/);
  assert.equal(facts(r).topDestinations[0]!.domain, 'gmail.com');
});

test('hold queue, and locally submitted mail stuck in maildrop', async () => {
  const r = await queueReport({}, io({ 'postqueue -j': { stdout: fixture('postfix-hold.jsonl') } }, 1795800000 + 600));
  assert.deepEqual(ids(r), ['queue.hold', 'queue.maildrop-stuck', 'queue.size-ok']);
  assert.match(r.findings.find((f) => f.id === 'queue.hold')!.detail!, /3 message\(s\) on hold, the oldest for 2\.9 h/);
});

test('queue size thresholds: default warning at 1000, critical at 5000, and --warn/--crit', async () => {
  const at = 1795800000;
  const big = await queueReport({}, io({ 'postqueue -j': { stdout: synthetic(1200) } }, at));
  assert.equal(sev(big, 'queue.size-high'), 'warning');
  const huge = await queueReport({}, io({ 'postqueue -j': { stdout: synthetic(5000) } }, at));
  assert.equal(sev(huge, 'queue.size-high'), 'critical');
  const custom = await queueReport({ warn: 10, crit: 20 }, io({ 'postqueue -j': { stdout: synthetic(15) } }, at));
  assert.equal(sev(custom, 'queue.size-high'), 'warning');
  const below = await queueReport({ warn: 10, crit: 20 }, io({ 'postqueue -j': { stdout: synthetic(9) } }, at));
  assert.equal(sev(below, 'queue.size-ok'), 'ok');
  await assert.rejects(queueReport({ warn: 50, crit: 20 }, io({}, at)), /--crit 20 must be greater than --warn 50/);
});

test('one destination and one reason dominating the deferred queue', async () => {
  const stdout = synthetic(40, {
    domain: (i) => (i < 30 ? 'big.example' : `other${i}.example`),
    reason: (i) => (i < 30 ? 'host mx.big.example[198.51.100.7] said: 421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints (in reply to MAIL FROM command)' : 'connect to mx.other.example[198.51.100.9]:25: Connection refused'),
  });
  const r = await queueReport({}, io({ 'postqueue -j': { stdout } }, 1795800000));
  assert.deepEqual(ids(r), ['queue.destination-dominant', 'queue.reason-dominant', 'queue.size-ok']);
  const d = r.findings.find((f) => f.id === 'queue.destination-dominant')!;
  assert.equal(d.subject, 'big.example');
  assert.match(d.detail!, /30 of 40 deferred recipients \(75%\)/);
  assert.match(r.findings.find((f) => f.id === 'queue.reason-dominant')!.detail!, /^30 of 40 .*421 4\.7\.0/);
});

test('a small queue never "dominates", and an empty queue is ok', async () => {
  const small = await queueReport({}, io({ 'postqueue -j': { stdout: synthetic(5, { domain: () => 'one.example' }) } }, 1795800000));
  assert.deepEqual(ids(small), ['queue.size-ok']);
  const empty = await queueReport({}, io({ 'postqueue -j': { stdout: '' } }, 1795800000));
  assert.deepEqual(ids(empty), ['queue.empty']);
  assert.equal(empty.exitCode, 0);
  assert.equal(facts(empty).total, 0);
});

test('garbage lines are skipped and counted', async () => {
  const r = await queueReport({}, io({ 'postqueue -j': { stdout: fixture('postfix-garbage.jsonl') } }, 1795800000));
  assert.deepEqual(ids(r), ['queue.size-ok', 'queue.unparsed-lines']);
  assert.equal(facts(r).total, 3);
  assert.equal(facts(r).unparsedLines, 6);
});

test('truncated output: a warning, counts as lower bounds, the cut line not counted as garbage', async () => {
  const cut = fixture('postfix-deferred-heavy.jsonl').slice(0, 3000);
  const r = await queueReport({}, io({ 'postqueue -j': { stdout: cut, truncated: true } }, 1795800000));
  assert.ok(ids(r).includes('queue.truncated'));
  assert.ok(!ids(r).includes('queue.unparsed-lines'));
  assert.equal(facts(r).truncated, true);
  assert.ok(facts(r).total! > 0 && facts(r).total! < 53);
});

test('could not read: timeout, ENOENT, permission denied, mail system down: unknown, never "empty"', async () => {
  const cases: [Script, string, RegExp][] = [
    [{ timedOut: true, stdout: fixture('postfix-mixed.jsonl').slice(0, 500) }, 'queue.read-failed', /did not finish within 120 s/],
    [{ notFound: true, error: 'ENOENT' }, 'queue.not-available', /not installed/],
    [{ code: 69, stderr: 'postqueue: fatal: User nobody(65534) is not allowed to view the mail queue\n' }, 'queue.read-failed', /not allowed to view the mail queue \(run as root/],
    [{ code: 69, stderr: 'postqueue: warning: Mail system is down -- accessing queue directly (Connect to the Postfix showq service: Connection refused)\npostqueue: fatal: malformed showq server response\n' }, 'queue.read-failed', /malformed showq server response \(the mail system is not running/],
    [{ error: 'EACCES' }, 'queue.read-failed', /permission denied running \/usr\/sbin\/postqueue/],
  ];
  for (const [script, id, detail] of cases) {
    const r = await queueReport({}, io({ 'postqueue -j': script }, 1795811340));
    assert.deepEqual(ids(r), [id], JSON.stringify(script));
    assert.equal(r.exitCode, 3);
    assert.match(r.findings[0]!.detail!, detail);
    assert.equal(facts(r).total, null);
    assert.match(renderQueue(facts(r), { color: false }), /could not be read/);
  }
});

test('no MTA on the machine: not available here', async () => {
  const r = await queueReport({}, io({}, 1795800000, { executables: [] }));
  assert.deepEqual(ids(r), ['queue.not-available']);
  assert.deepEqual(r.facts!.queue, { mta: null, total: null });
});

test('several Postfix instances (-c): totals add up, a failing instance is reported by name', async () => {
  const h = io({
    'postqueue -c /etc/postfix-in -j': { stdout: fixture('postfix-hold.jsonl') },
    'postqueue -c /etc/postfix-out -j': { stdout: fixture('postfix-mixed.jsonl') },
    'postqueue -c /etc/postfix-broken -j': { code: 69, stderr: 'postqueue: fatal: open /etc/postfix-broken/main.cf: No such file or directory\n' },
  }, 1795811340 + 600, { dirs: { '/etc/postfix-in': [], '/etc/postfix-out': [], '/etc/postfix-broken': [] } });
  const r = await queueReport({ postfixConfig: ['/etc/postfix-in', '/etc/postfix-out', '/etc/postfix-broken'] }, h);
  assert.equal(facts(r).total, 14);
  assert.deepEqual(facts(r).instances.map((i) => [i.instance, i.ok, i.messages]), [['/etc/postfix-in', true, 5], ['/etc/postfix-out', true, 9], ['/etc/postfix-broken', false, 0]]);
  const failed = r.findings.find((f) => f.id === 'queue.read-failed')!;
  assert.equal(failed.subject, '/etc/postfix-broken');
  assert.match(failed.detail!, /--postfix-config must name the directory holding main\.cf/);
  await assert.rejects(queueReport({ postfixConfig: ['/nope'] }, h), /--postfix-config \/nope: no such directory/);
});

test('Exim: -bpc count, -bp listing, frozen messages as a warning, no Postfix queues', async () => {
  const h = io({ 'exim4 -bpc': { stdout: fixture('exim-bpc.txt') }, 'exim4 -bp': { stdout: fixture('exim-bp.txt') } }, 1795800000, { executables: EXIM });
  const r = await queueReport({}, h);
  assert.deepEqual(ids(r), ['queue.corrupt', 'queue.frozen', 'queue.old-deferred', 'queue.size-ok']);
  const f = facts(r);
  assert.equal(f.mta, 'exim');
  assert.equal(f.total, 7);
  assert.equal(f.frozen, 2);
  assert.equal(f.oldestSeconds, 3 * 86400);
  assert.equal(f.recipients, 7, 'delivered (D) recipients are not counted');
  assert.match(renderQueue(f, { color: false }), /frozen\s+2/);
});

test('Exim: permission denied (queue_list_requires_admin) and a truncated -bp keeps the -bpc total', async () => {
  const denied = await queueReport({ exim: true }, io({ 'exim4 -bpc': { code: 1, stderr: 'exim: permission denied\n' } }, 1795800000, { executables: EXIM }));
  assert.deepEqual(ids(denied), ['queue.read-failed']);
  assert.match(denied.findings[0]!.detail!, /queue_list_requires_admin/);
  const cut = await queueReport({}, io({ 'exim4 -bpc': { stdout: '250000\n' }, 'exim4 -bp': { stdout: fixture('exim-bp.txt').slice(0, 200), truncated: true } }, 1795800000, { executables: EXIM }));
  assert.equal(facts(cut).total, 250000);
  assert.equal(sev(cut, 'queue.size-high'), 'critical');
  assert.ok(ids(cut).includes('queue.truncated'));
});

test('a 100k-message queue streams through the tally', async () => {
  const stdout = synthetic(100_000);
  const r = await queueReport({ top: 5 }, io({ 'postqueue -j': { stdout } }, 1795800000));
  assert.equal(facts(r).total, 100_000);
  assert.equal(facts(r).topDestinations.length, 5);
  assert.equal(facts(r).ageHistogram.deferred[0]!.total, 100_000);
  assert.equal(sev(r, 'queue.size-high'), 'critical');
  assert.ok(ids(r).includes('queue.reason-dominant'), 'one greylisting reason for every recipient');
});
