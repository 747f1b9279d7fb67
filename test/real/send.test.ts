// The real-server suite, send part: `mxdoctor send` through Debian's Postfix on
// mx1.mail-lab.test (test/lab/start-mail.sh): submission on 587 (STARTTLS, then AUTH via
// Dovecot SASL) and 465 (implicit TLS). Proves a message is accepted with Postfix's queue id
// and really lands in the lab user's mailbox (Dovecot's own doveadm says so), and that a
// wrong password (535) and an unknown recipient (550 5.1.1) are each explained within the
// step timeout. The password never appears in the output, transcript included.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CA, LAB, RESOLVER, assertDeliveriesStayedInLab, assertNoSecret, mailboxesWithToken, maillog, mustHave, mustNotHave, mxJson, requireMailLab, show, waitFor } from '../helpers/real-lab.js';

const SERVER = 'mx1.mail-lab.test';
const COMMON = ['--resolver', RESOLVER, '--ca', CA, '--step-timeout', '10000', '--transcript'];
const send = (extra: string[], password = LAB.password) =>
  mxJson(['send', '--from', LAB.user, '--auth-user', LAB.user, ...COMMON, ...extra], { env: { MXDOCTOR_SMTP_PASSWORD: password } });
/** Postfix's queue ids (short form: hex; enable_long_queue_ids: base 52 + z). */
const QUEUE_ID = /^[0-9A-F]{6,}$|^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}$/;

describe('mxdoctor send on the real Postfix (mx1.mail-lab.test)', () => {
  before(() => requireMailLab(['127.0.2.1:587', '127.0.2.1:465', '127.0.2.1:993']));

  test('587 with STARTTLS + AUTH: accepted with the queue id, then delivered into the INBOX', async () => {
    const r = await send(['--server', `${SERVER}:587`, '--to', LAB.user, '--subject', 'send test 587']);
    const s = r.rep.facts?.send;
    assert.equal(r.code, 0, `exit ${r.code}:\n${show(r.rep.findings)}`);
    mustHave(r.rep, 'send.accepted', 'ok');
    assert.equal(s.accepted, true);
    assert.equal(s.port, 587);
    assert.equal(s.security, 'starttls');
    assert.match(s.queueId, QUEUE_ID);
    assert.equal(s.finalReply.code, 250);
    assert.match(s.finalReply.text, new RegExp(`queued as ${s.queueId}`));
    assert.deepEqual(s.acceptedRecipients, [LAB.user]);
    assert.deepEqual(s.rejectedRecipients, []);
    assert.equal(s.tls.authorized, true, `certificate not trusted: ${s.tls.authorizationError}`);
    assert.match(s.tls.protocol, /^TLSv1\.[23]$/);
    // Per-step timings, in protocol order: the AUTH came after STARTTLS.
    const steps = (s.steps as { step: string; ms: number }[]).map((x) => x.step);
    assert.ok(steps.some((x) => /tls/i.test(x)) && steps.some((x) => /auth/i.test(x)), `steps: ${steps}`);
    assert.ok(steps.findIndex((x) => /tls/i.test(x)) < steps.findIndex((x) => /auth/i.test(x)), `steps: ${steps}`);
    for (const x of s.steps) assert.ok(Number.isFinite(x.ms) && x.ms >= 0, JSON.stringify(x));
    assert.match(s.token, /^[0-9a-f]{32}$/);
    assert.equal(s.messageId.replace(/^<|>$/g, ''), `mxd-${s.token}@mail-lab.test`);
    assertNoSecret(r, LAB.user, LAB.password);
    // Postfix logged that queue id, and handed the message to Dovecot, which filed it in the INBOX.
    const log = await waitFor(() => readFileSync(maillog('mx1'), 'utf8').split('\n').find((l) => l.includes(`${s.queueId}: to=<${LAB.user}>`) && / status=sent /.test(l)));
    assert.ok(log, `no delivery of ${s.queueId} in mx1's maillog`);
    assert.deepEqual(await waitFor(() => mailboxesWithToken(LAB.user, s.token).length > 0 && mailboxesWithToken(LAB.user, s.token)), ['INBOX']);
  });

  test('465 with implicit TLS + AUTH: accepted', async () => {
    const r = await send(['--server', `${SERVER}:465`, '--to', LAB.user, '--subject', 'send test 465', '--header', 'X-Lab-Test: implicit']);
    assert.equal(r.code, 0, show(r.rep.findings));
    assert.equal(r.rep.facts?.send.security, 'implicit');
    assert.match(r.rep.facts?.send.queueId, QUEUE_ID);
    assertNoSecret(r, LAB.user, LAB.password);
  });

  test('--header X-Lab-Spam: yes: accepted, and the site Sieve rule files it into Junk', async () => {
    const r = await send(['--server', `${SERVER}:587`, '--to', LAB.user, '--subject', 'send test header', '--header', 'X-Lab-Spam: yes']);
    const s = r.rep.facts?.send;
    assert.equal(r.code, 0, show(r.rep.findings));
    assert.deepEqual(await waitFor(() => mailboxesWithToken(LAB.user, s.token).length > 0 && mailboxesWithToken(LAB.user, s.token)), ['Junk']);
  });

  test('a wrong password: the auth failure (535) is explained, within the step timeout', async () => {
    const wrong = 'not-the-lab-password';
    const r = await send(['--server', `${SERVER}:587`, '--to', LAB.user], wrong);
    const f = mustHave(r.rep, 'send.auth-failed');
    assert.ok(['critical', 'warning'].includes(f.severity), f.severity);
    assert.notEqual(r.code, 0);
    const s = r.rep.facts?.send;
    assert.equal(s.accepted, false);
    assert.equal(s.queueId ?? undefined, undefined);
    assert.equal(s.failure?.kind, 'auth');
    assert.match(`${s.failure?.reply ?? ''} ${f.detail ?? ''}`, /535/);
    // Dovecot delays a failed AUTH by auth_failure_delay (2 s): well under the 10 s step timeout.
    assert.ok(r.ms < 10_000, `took ${Math.round(r.ms)} ms`);
    mustNotHave(r.rep, 'send.accepted');
    assertNoSecret(r, LAB.user, wrong);
  });

  test('an unknown recipient: the 550 5.1.1 refusal is explained, nothing is queued', async () => {
    const nobody = 'nobody-here@mail-lab.test';
    const r = await send(['--server', `${SERVER}:587`, '--to', nobody]);
    const f = mustHave(r.rep, 'send.recipient-rejected');
    assert.notEqual(f.severity, 'ok');
    assert.notEqual(r.code, 0);
    const s = r.rep.facts?.send;
    assert.equal(s.accepted, false);
    assert.equal(s.rejectedRecipients.length, 1);
    assert.equal(s.rejectedRecipients[0].address, nobody);
    assert.match(s.rejectedRecipients[0].reply, /^550 5\.1\.1 .*User unknown/);
    assertNoSecret(r, LAB.user, LAB.password);
  });

  test('one good and one unknown recipient: the good one is accepted, the other reported', async () => {
    const nobody = 'nobody-either@mail-lab.test';
    const r = await send(['--server', `${SERVER}:587`, '--to', LAB.user, '--to', nobody, '--subject', 'send test partial']);
    const s = r.rep.facts?.send;
    assert.deepEqual(s.acceptedRecipients, [LAB.user]);
    assert.deepEqual(s.rejectedRecipients.map((x: { address: string }) => x.address), [nobody]);
    mustHave(r.rep, 'send.recipient-rejected');
    assert.match(s.queueId, QUEUE_ID);
  });

  test('--quit-after auth: logs in, then leaves without sending', async () => {
    const r = await send(['--server', `${SERVER}:587`, '--to', LAB.user, '--quit-after', 'auth']);
    mustHave(r.rep, 'send.quit-after');
    mustNotHave(r.rep, 'send.auth-failed');
    assert.equal(r.rep.facts?.send.queueId ?? undefined, undefined);
    assert.equal(r.code, 0, show(r.rep.findings));
    assertNoSecret(r, LAB.user, LAB.password);
  });

  test('after every send and round trip so far: each delivery went to the lab\'s Dovecot or stayed deferred', (t) => {
    // send.test.ts runs after roundtrip.test.ts (node --test sorts the files): this sees both.
    const n = assertDeliveriesStayedInLab();
    t.diagnostic(`${n} delivery attempts checked`);
    assert.ok(n >= 3, `only ${n} delivery attempts logged`);
  });
});
