// The real-server suite, round-trip part: `mxdoctor roundtrip` submits through Debian's
// Postfix (test/lab/start-mail.sh), which delivers over LMTP into Dovecot, and finds the
// message again over IMAP. Proves: INBOX delivery with its time and Received chain (TLS on
// the submission hop); Sieve's Junk filing reported as spam-foldered (a site rule on a
// header, and a user's own rule); a submission server that never delivers gives "not
// delivered" within the deadline; a wrong IMAP or SMTP password is explained; --delete
// leaves nothing. Where the message went is checked against Dovecot itself (doveadm).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { CA, JUNK, LAB, RESOLVER, assertNoSecret, mailboxesWithToken, mustHave, mustNotHave, mxJson, postqueue, requireMailLab, show, waitFor, type Report } from '../helpers/real-lab.js';

const MX1 = 'mx1.mail-lab.test';
const NEVER = 'never.mail-lab.test';
const DEADLINE = 30;

interface Opts { server?: string; to?: string; imapUser?: string; smtpPassword?: string; imapPassword?: string; deadline?: number; extra?: string[] }
function roundtrip(o: Opts = {}) {
  const to = o.to ?? LAB.user;
  const args = ['roundtrip', '--server', o.server ?? `${MX1}:587`, '--from', LAB.user, '--to', to, '--auth-user', LAB.user,
    '--imap-server', `${MX1}:993`, '--imap-user', o.imapUser ?? to, '--deadline', String(o.deadline ?? DEADLINE), '--poll', '300',
    '--resolver', RESOLVER, '--ca', CA, ...(o.extra ?? [])];
  const env = { MXDOCTOR_SMTP_PASSWORD: o.smtpPassword ?? LAB.password, MXDOCTOR_IMAP_PASSWORD: o.imapPassword ?? (to === JUNK.user ? JUNK.password : LAB.password) };
  return mxJson(args, { env, timeoutMs: ((o.deadline ?? DEADLINE) + 60) * 1000 });
}

describe('mxdoctor roundtrip on the real Postfix + Dovecot', () => {
  before(() => requireMailLab(['127.0.2.1:587', '127.0.2.1:993', '127.0.2.40:587']));

  test('to lab@mail-lab.test: found in the INBOX, with the delivery time and the Received chain', async () => {
    const r = await roundtrip();
    const rt = r.rep.facts?.roundtrip;
    mustHave(r.rep, 'roundtrip.delivered-inbox', 'ok');
    mustNotHave(r.rep, 'roundtrip.delivered-spam');
    assert.equal(rt.delivered, true);
    assert.equal(rt.folder, 'INBOX');
    assert.equal(rt.folderRole, 'inbox');
    assert.ok(typeof rt.deliverySeconds === 'number' && rt.deliverySeconds >= 0 && rt.deliverySeconds < DEADLINE, `deliverySeconds ${rt.deliverySeconds}`);
    assert.match(rt.token, /^[0-9a-f]{32}$/);
    assert.match(rt.send.queueId, /^[0-9A-Za-z]{6,}$/);
    // Oldest first: Postfix took it with ESMTPSA over TLS, then handed it to Dovecot over LMTP.
    const hops = rt.received as { with?: string; by?: string; tlsVersion?: string; tls: unknown; internal: boolean; authenticated: boolean }[];
    const sub = hops.find((h) => h.with === 'ESMTPSA');
    assert.ok(sub, `no ESMTPSA hop: ${JSON.stringify(hops)}`);
    assert.match(sub.by ?? '', new RegExp(MX1));
    assert.match(sub.tlsVersion ?? '', /^TLSv1\.[23]$/);
    assert.equal(sub.authenticated, true);
    const lmtp = hops.find((h) => h.with === 'LMTP');
    assert.ok(lmtp, `no LMTP hop: ${JSON.stringify(hops)}`);
    assert.equal(lmtp.internal, true);
    assert.ok(hops.indexOf(sub) < hops.indexOf(lmtp), 'hops oldest first');
    assert.deepEqual(mailboxesWithToken(LAB.user, rt.token), ['INBOX'], 'Dovecot has it in the INBOX');
    assertNoSecret(r, LAB.user, LAB.password);
  });

  test('a spam-marked message (Subject [SPAM], the site Sieve rule files it into Junk): delivered to spam', async () => {
    const r = await roundtrip({ extra: ['--subject', '[SPAM] lab round trip'] });
    const rt = r.rep.facts?.roundtrip;
    mustHave(r.rep, 'roundtrip.delivered-spam', 'warning');
    mustNotHave(r.rep, 'roundtrip.delivered-inbox');
    assert.equal(rt.delivered, true);
    assert.equal(rt.folder, 'Junk');
    assert.equal(rt.folderRole, 'junk');
    assert.notEqual(r.code, 0);
    assert.deepEqual(mailboxesWithToken(LAB.user, rt.token), ['Junk'], 'Dovecot filed it in Junk');
  });

  test('junk@mail-lab.test, whose own Sieve rule files everything into Junk: delivered to spam', async () => {
    const r = await roundtrip({ to: JUNK.user });
    const rt = r.rep.facts?.roundtrip;
    mustHave(r.rep, 'roundtrip.delivered-spam', 'warning');
    assert.equal(rt.folderRole, 'junk');
    assert.deepEqual(mailboxesWithToken(JUNK.user, rt.token), ['Junk']);
    assertNoSecret(r, JUNK.user, JUNK.password);
  });

  test('through never.mail-lab.test (its queue never drains): not delivered, within the deadline', async () => {
    const deadline = 5;
    const r = await roundtrip({ server: `${NEVER}:587`, deadline });
    const rt = r.rep.facts?.roundtrip;
    mustHave(r.rep, 'roundtrip.not-delivered', 'critical');
    mustNotHave(r.rep, 'roundtrip.send-failed');
    assert.equal(rt.delivered, false);
    assert.equal(r.code, 2);
    // The deadline counts from the submission's reply: mxdoctor's own time is the deadline plus
    // the submission and the IMAP login; loading the program comes on top of the wall time
    // (several seconds on a busy machine).
    assert.ok(r.rep.durationMs >= deadline * 1000, `gave up after ${r.rep.durationMs} ms, before the ${deadline} s deadline`);
    assert.ok(r.rep.durationMs < (deadline + 5) * 1000, `mxdoctor took ${r.rep.durationMs} ms for a ${deadline} s deadline`);
    assert.ok(r.ms < (deadline + 25) * 1000, `took ${Math.round(r.ms)} ms with process start`);
    // The submission server took it and holds it deferred: the message exists, it just never arrives.
    const queued = postqueue('never').find((q) => q.queue_id === rt.send.queueId);
    assert.ok(queued, `queue id ${rt.send.queueId} not in never's queue`);
    assert.match(queued.recipients[0]?.delay_reason ?? '', /Connection refused/);
    assert.deepEqual(mailboxesWithToken(LAB.user, rt.token), []);
  });

  test('a wrong IMAP password: the IMAP login failure is explained', async () => {
    const wrong = 'wrong-imap-password';
    const r = await roundtrip({ imapPassword: wrong, deadline: 10 });
    mustHave(r.rep, 'roundtrip.imap-login-failed');
    mustNotHave(r.rep, 'roundtrip.delivered-inbox');
    assert.notEqual(r.code, 0);
    assert.ok(r.ms < 40_000, `took ${Math.round(r.ms)} ms`);
    assertNoSecret(r, LAB.user, wrong);
    assertNoSecret(r, LAB.user, LAB.password);
  });

  test('a wrong SMTP password: the round trip fails at the submission, explained', async () => {
    const wrong = 'wrong-smtp-password';
    const r = await roundtrip({ smtpPassword: wrong, deadline: 10 });
    mustHave(r.rep, 'roundtrip.send-failed', 'critical');
    mustNotHave(r.rep, 'roundtrip.not-delivered');
    assert.match(JSON.stringify(r.rep.facts?.roundtrip.send ?? {}), /535/);
    assert.ok(r.ms < 30_000, `took ${Math.round(r.ms)} ms`);
    assertNoSecret(r, LAB.user, wrong);
  });

  test('--delete: the test message is gone from every folder afterwards', async () => {
    const r = await roundtrip({ extra: ['--delete'] });
    const rt = r.rep.facts?.roundtrip;
    mustHave(r.rep, 'roundtrip.delivered-inbox', 'ok');
    mustHave(r.rep, 'roundtrip.deleted');
    assert.equal(rt.deleted?.ok, true);
    // Expunged, not moved to Trash: no folder holds the token.
    assert.deepEqual(await waitFor(() => mailboxesWithToken(LAB.user, rt.token).length === 0 && [], 3000), [], `still in ${mailboxesWithToken(LAB.user, rt.token)}`);
  });

  test('--config with three destinations: inbox, spam folder and never delivered, side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-roundtrip-'));
    try {
      // Secrets by reference only: an environment variable and a file (the config never holds one).
      writeFileSync(join(dir, 'junk-imap-password'), `${JUNK.password}\n`, { mode: 0o600 });
      writeFileSync(join(dir, 'lab.yaml'), [
        'roundtrip:',
        '  deadline: 20',
        '  poll: 300',
        '  send:',
        `    server: ${MX1}:587`,
        `    from: ${LAB.user}`,
        `    user: ${LAB.user}`,
        '    password_env: LAB_SMTP_PASSWORD',
        '  destinations:',
        '    - name: inbox',
        `      to: ${LAB.user}`,
        `      imap: { server: "${MX1}:993", password_env: LAB_IMAP_PASSWORD }`,
        '    - name: junk',
        `      to: ${JUNK.user}`,
        `      imap: { server: "${MX1}:993", password_file: junk-imap-password }`,
        '    - name: never',
        `      to: ${LAB.user}`,
        '      deadline: 5',
        `      send: { server: "${NEVER}:587" }`,
        `      imap: { server: "${MX1}:993", password_env: LAB_IMAP_PASSWORD }`,
        '',
      ].join('\n'));
      const r = await runCli(['roundtrip', '--config', join(dir, 'lab.yaml'), '--resolver', RESOLVER, '--ca', CA, '--json'],
        { env: { LAB_SMTP_PASSWORD: LAB.password, LAB_IMAP_PASSWORD: LAB.password }, timeoutMs: 120_000 });
      let reports: Report[];
      try {
        reports = JSON.parse(r.stdout).reports;
      } catch {
        throw new Error(`no JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
      }
      assert.equal(reports.length, 3, 'one report per destination');
      const by = (id: string) => reports.find((x) => x.findings.some((f) => f.id === id));
      const ids = reports.map((x) => `${x.target}: ${x.findings.filter((f) => f.id.startsWith('roundtrip.')).map((f) => f.id).join(' ')}`).join('\n');
      const inbox = by('roundtrip.delivered-inbox');
      const spam = by('roundtrip.delivered-spam');
      const never = by('roundtrip.not-delivered');
      assert.ok(inbox && spam && never, ids);
      assert.equal(spam.facts?.roundtrip.folderRole, 'junk');
      assert.deepEqual(mailboxesWithToken(JUNK.user, spam.facts?.roundtrip.token), ['Junk']);
      assert.deepEqual(mailboxesWithToken(LAB.user, inbox.facts?.roundtrip.token), ['INBOX']);
      assert.ok(postqueue('never').some((q) => q.queue_id === never.facts?.roundtrip.send.queueId), 'the never destination\'s message sits in never\'s queue');
      assert.equal(r.code, 2, show(reports.flatMap((x) => x.findings)));
      assertNoSecret(r, LAB.user, LAB.password);
      assertNoSecret(r, JUNK.user, JUNK.password);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
