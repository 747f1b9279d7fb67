// runRoundtrip end to end on loopback: the real submitMessage against smtp-server, whose
// onData files the message into the store the scripted IMAP server serves, and imapflow
// finding it. A fake clock drives the deadline and the polling, so no test waits long.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock, systemClock } from '../src/io/clock.js';
import type { Clock } from '../src/io/clock.js';
import { createNetClient } from '../src/io/net.js';
import type { Report } from '../src/core/report.js';
import { composeMessage } from '../src/send/compose.js';
import { submitMessage } from '../src/send/submit.js';
import { runRoundtrip } from '../src/roundtrip/run.js';
import type { RoundtripDeps, RoundtripFacts, RoundtripRequest } from '../src/roundtrip/types.js';
import { IMAP_PASSWORD, LAB_CA, LAB_CERT, LAB_KEY, RCPT, roundtripLab, SENDER, SMTP_PASSWORD } from './helpers/roundtrip-lab.js';
import type { Route, RoundtripLab } from './helpers/roundtrip-lab.js';
import { closedPort } from './helpers/tls-servers.js';

const START = '2026-11-27T12:00:00Z';

function fakeTime(): { clock: Clock & { advance(ms: number): void }; sleep: (ms: number) => Promise<void> } {
  const clock = fixedClock(START);
  return { clock, sleep: async (ms) => { clock.advance(ms); await new Promise((r) => setImmediate(r)); } };
}

export function requestFor(lab: RoundtripLab, over: Partial<RoundtripRequest> = {}, imapOver: Partial<RoundtripRequest['imap']> = {}): RoundtripRequest {
  return {
    name: RCPT,
    send: { host: 'localhost', port: lab.smtpPort, security: 'starttls', from: SENDER, to: RCPT, auth: { user: SENDER, password: SMTP_PASSWORD }, stepTimeoutMs: 5000 },
    imap: { host: 'localhost', port: lab.imap.port, security: 'none', user: RCPT, password: IMAP_PASSWORD, timeoutMs: 3000, ...imapOver },
    deadlineSeconds: 30, pollMs: 1000, slowSeconds: 60, delete: false, ca: [LAB_CA], ...over,
  };
}

function deps(lab: RoundtripLab, t: { clock: Clock; sleep?: (ms: number) => Promise<void> }): RoundtripDeps {
  return { compose: composeMessage, submit: submitMessage, net: createNetClient(), resolver: lab.resolver, clock: t.clock, ...(t.sleep ? { sleep: t.sleep } : {}) };
}

async function withLab(o: { route?: (raw: Buffer) => Route; rejectRcpt?: boolean; imap?: Parameters<typeof roundtripLab>[0]['imap']; clock?: Clock } & Partial<ReturnType<typeof fakeTime>>,
  fn: (lab: RoundtripLab, t: ReturnType<typeof fakeTime>) => Promise<void>): Promise<void> {
  const t = fakeTime();
  const lab = await roundtripLab({ clock: t.clock, ...o });
  try {
    await fn(lab, t);
  } finally {
    await lab.close();
  }
}

const ids = (r: Report) => r.findings.map((f) => f.id);
const facts = (r: Report) => r.facts!.roundtrip as RoundtripFacts;
const one = (r: Report, id: string, subject?: string) => r.findings.find((f) => f.id === id && (subject === undefined || f.subject === subject));

function assertNoSecrets(r: Report): void {
  const json = JSON.stringify(r);
  for (const s of [SMTP_PASSWORD, IMAP_PASSWORD, Buffer.from(`\0${RCPT}\0${IMAP_PASSWORD}`).toString('base64'), Buffer.from(`\0${SENDER}\0${SMTP_PASSWORD}`).toString('base64')]) {
    assert.ok(!json.includes(s), 'a password leaked into the report');
  }
}

describe('roundtrip: hermetic end to end', () => {
  test('inbox: delivered, timed by INTERNALDATE, the chain parsed, receiver and our verification pass', async () => {
    await withLab({ route: () => ({ folder: 'INBOX', delayMs: 3000 }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.equal(r.kind, 'roundtrip');
      assert.ok(ids(r).includes('roundtrip.delivered-inbox'), ids(r).join(' '));
      const f = facts(r);
      assert.equal(f.delivered, true);
      assert.equal(f.folder, 'INBOX');
      assert.equal(f.folderRole, 'inbox');
      assert.equal(f.deliveryBasis, 'internaldate');
      assert.equal(f.deliverySeconds, 3);
      assert.match(f.token!, /^[0-9a-f]{32}$/);
      assert.equal((f.send as any).queueId, '4QtRcPt123');
      assert.deepEqual(f.received.map((h) => [h.hop, h.with, h.tls, h.internal]), [[1, 'ESMTPSA', 'yes', false], [2, 'ESMTPS', 'yes', false], [3, 'LMTP', 'no', true]]);
      assert.equal(f.received[2]!.delaySeconds, 3);
      assert.ok(ids(r).includes('roundtrip.hops-tls'));
      assert.ok(ids(r).includes('roundtrip.receiver-auth-pass'));
      for (const m of ['dkim', 'spf', 'dmarc']) assert.ok(one(r, 'roundtrip.verify-pass', m), `our ${m} should pass: ${JSON.stringify(f.verification)}`);
      assert.equal(f.verification!.clientIp, '192.0.2.10', 'SPF judged the client of the MX hop, not the submission client');
      assert.equal(f.verification!.hop, 2);
      assert.equal(r.exitCode, 0, JSON.stringify(r.findings.filter((x) => x.severity !== 'ok'), null, 1));
      assert.equal(lab.store.count(), 1, 'without --delete the message stays');
      assert.ok(lab.imapLog.some((l) => /UID SEARCH HEADER X-MXDOCTOR-TOKEN/i.test(l)));
      assert.ok(!lab.imapLog.some((l) => /\bSELECT\b/.test(l) && !/EXAMINE/.test(l)), 'searching never selects read-write');
      assertNoSecrets(r);
    });
  });

  test('junk: a message filed into \\Junk is "delivered to spam"; the SpamAssassin score is a warning', async () => {
    await withLab({ route: () => ({ folder: 'Junk', headers: ['X-Spam-Flag: YES', 'X-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99,\r\n\tRDNS_NONE autolearn=no version=3.4.6'] }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.ok(ids(r).includes('roundtrip.delivered-spam'), ids(r).join(' '));
      assert.equal(facts(r).folderRole, 'junk');
      const spam = one(r, 'roundtrip.spam-score', 'spamassassin')!;
      assert.equal(spam.severity, 'warning');
      assert.deepEqual(facts(r).spam[0], { filter: 'spamassassin', rules: ['BAYES_99', 'RDNS_NONE'], isSpam: true, score: 7.3, threshold: 5 });
      assert.equal(r.exitCode, 1);
    });
  });

  test('another folder: a message a rule moved is info, not a problem', async () => {
    await withLab({ route: () => ({ folder: 'Lists/Rust' }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.ok(ids(r).includes('roundtrip.delivered-other-folder'), ids(r).join(' '));
      assert.equal(facts(r).folder, 'Lists/Rust');
      assert.ok(!facts(r).foldersSearched.includes('Lists'), 'the \\Noselect parent is not selected');
      assert.equal(r.exitCode, 0);
    });
  });

  test('never delivered: critical once the deadline passes (fake clock), with the queue id', async () => {
    await withLab({ route: () => ({}) }, async (lab, t) => {
      const wall = Date.now();
      const r = await runRoundtrip(requestFor(lab, { deadlineSeconds: 120 }), deps(lab, t));
      const f = one(r, 'roundtrip.not-delivered')!;
      assert.ok(f, ids(r).join(' '));
      assert.equal(f.severity, 'critical');
      assert.match(f.detail!, /not seen within 120 s/);
      assert.match(f.detail!, /queue id 4QtRcPt123/);
      const elapsed = t.clock.now() - Date.parse(START);
      assert.ok(elapsed >= 120_000 && elapsed <= 121_000, `gave up after ${elapsed} ms of (fake) time`);
      assert.ok(facts(r).polls >= 5 && facts(r).polls <= 20, `backoff: ${facts(r).polls} searches in 120 s`);
      assert.deepEqual(facts(r).foldersSearched.slice(0, 2), ['INBOX', 'Junk'], 'the inbox and the spam folder first');
      assert.ok(Date.now() - wall < 5000);
      assert.equal(r.exitCode, 2);
    });
  });

  test('never delivered, real clock: gives up within the deadline plus a small margin', async () => {
    await withLab({ route: () => ({}) }, async (lab) => {
      const t0 = Date.now();
      const r = await runRoundtrip(requestFor(lab, { deadlineSeconds: 2, pollMs: 200 }), deps(lab, { clock: systemClock }));
      const ms = Date.now() - t0;
      assert.ok(ids(r).includes('roundtrip.not-delivered'));
      assert.ok(ms >= 2000 && ms < 3500, `took ${ms} ms for a 2 s deadline`);
    });
  });

  test('slow delivery: a warning with the measured time', async () => {
    await withLab({ route: () => ({ folder: 'INBOX', delayMs: 90_000 }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab, { deadlineSeconds: 120, slowSeconds: 60 }), deps(lab, t));
      assert.ok(ids(r).includes('roundtrip.delivered-inbox'));
      assert.match(one(r, 'roundtrip.slow-delivery')!.detail!, /^90 s/);
      assert.equal(facts(r).deliverySeconds, 90);
    });
  });

  test('wrong IMAP password: critical and explained, checked before anything is sent', async () => {
    await withLab({}, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab, {}, { password: 'not the password' }), deps(lab, t));
      const f = one(r, 'roundtrip.imap-login-failed')!;
      assert.ok(f, ids(r).join(' '));
      assert.equal(f.severity, 'critical');
      assert.match(f.detail!, /wrong password/);
      assert.match(f.detail!, /AUTHENTICATIONFAILED|Authentication failed/);
      assert.equal(lab.accepted.length, 0, 'nothing was sent');
      assert.equal(r.exitCode, 2);
      assert.ok(!JSON.stringify(r).includes('not the password'));
    });
  });

  test('send rejected: critical, with the reply explained; the mailbox is not searched', async () => {
    await withLab({ rejectRcpt: true }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      const f = one(r, 'roundtrip.send-failed')!;
      assert.ok(f, ids(r).join(' '));
      assert.match(f.detail!, /550/);
      assert.match(f.detail!, /5\.1\.1/);
      assert.ok(Array.isArray(f.evidence?.causes) && (f.evidence!.causes as string[]).length > 0, 'explain() gave causes');
      assert.ok(r.findings.some((x) => x.id.startsWith('send.')), 'the send\'s own findings are in the report');
      assert.equal(facts(r).polls, 0);
      assert.equal(lab.store.count(), 0);
      assertNoSecrets(r);
    });
  });

  test('--delete: flagged \\Deleted and removed with UID EXPUNGE; EXPUNGE without UIDPLUS', async () => {
    for (const uidplus of [true, false]) {
      await withLab({ imap: { uidplus } }, async (lab, t) => {
        const r = await runRoundtrip(requestFor(lab, { delete: true }), deps(lab, t));
        const f = one(r, 'roundtrip.deleted')!;
        assert.ok(f, ids(r).join(' '));
        assert.equal(f.evidence!.method, uidplus ? 'UID EXPUNGE' : 'EXPUNGE');
        assert.equal(lab.store.count(), 0);
        assert.ok(lab.imapLog.some((l) => /UID STORE \d+ \+FLAGS/.test(l)));
        assert.ok(lab.imapLog.some((l) => (uidplus ? /UID EXPUNGE \d+/ : /^\S+ EXPUNGE$/).test(l)), lab.imapLog.join('\n'));
      });
    }
  });

  test('--delete refused by the server: delete-failed (warning), the message stays', async () => {
    await withLab({ imap: { refuseStore: true } }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab, { delete: true }), deps(lab, t));
      assert.equal(one(r, 'roundtrip.delete-failed')?.severity, 'warning', ids(r).join(' '));
      assert.equal(lab.store.count(), 1);
      assert.equal(r.exitCode, 1);
    });
  });

  test('unsigned, from an IP outside SPF: our verification fails, DMARC under p=reject is critical', async () => {
    await withLab({ route: () => ({ folder: 'INBOX', dkim: false, clientIp: '203.0.113.9' }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.equal(one(r, 'roundtrip.verify-none', 'dkim')?.severity, 'warning', ids(r).join(' '));
      assert.equal(facts(r).verification!.spf.result, 'fail');
      assert.equal(one(r, 'roundtrip.verify-fail', 'spf')?.severity, 'warning');
      assert.equal(one(r, 'roundtrip.verify-fail', 'dmarc')?.severity, 'critical');
      assert.equal(one(r, 'roundtrip.receiver-auth-fail', 'dmarc')?.severity, 'warning');
      assert.equal(r.exitCode, 2);
    });
  });

  test('only an authenticated submission to the receiving server: SPF does not apply (info), never "fail"', async () => {
    const date = new Date(Date.parse(START)).toUTCString().replace('GMT', '+0000');
    const trace = [
      `Received: from mx1.rcpt.test by mx1.rcpt.test with LMTP id q1 (envelope-from <${SENDER}>) for <${RCPT}>; ${date}`,
      `Received: from [127.0.0.1] (localhost [127.0.0.1]) by mx1.rcpt.test (Postfix) with ESMTPSA id 4Loc for <${RCPT}>; ${date}`,
    ];
    await withLab({ route: () => ({ folder: 'INBOX', trace }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.ok(one(r, 'roundtrip.verify-not-applicable', 'spf'), ids(r).join(' '));
      assert.ok(one(r, 'roundtrip.verify-pass', 'dmarc'), 'DMARC passes on aligned DKIM alone');
      assert.ok(!one(r, 'roundtrip.hop-without-tls'), 'a loopback hop is no network hop');
      assert.ok(one(r, 'roundtrip.receiver-auth-missing'));
      assert.equal(r.exitCode, 0);
    });
  });

  test('malformed Received and Authentication-Results fields never throw; the client IP unknown is "unknown"', async () => {
    const trace = [
      'Received: ((((((( by by by with with ;;;; 99 Foo 99999 99:99:99 +9999',
      'Received: from',
      'Received: ' + 'x'.repeat(20_000),
      'Authentication-Results: ;;;; dkim= ; =pass ; (unclosed comment',
      'Authentication-Results: mx.rcpt.test; spf=fail ("unterminated',
      'Received: from mail.sender.test ([not-an-ip]) by mx.rcpt.test with SMTP; Sat, 31 Feb 2026 25:61:00 +0000',
    ];
    await withLab({ route: () => ({ folder: 'INBOX', trace }) }, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab), deps(lab, t));
      assert.ok(ids(r).includes('roundtrip.delivered-inbox'));
      assert.equal(facts(r).received.length, 4);
      assert.equal(facts(r).verification!.spf.result, 'unknown');
      assert.equal(one(r, 'roundtrip.verify-unknown', 'spf')?.severity, 'unknown');
      assert.ok(one(r, 'roundtrip.hop-without-tls'), 'the SMTP hop from outside is plain text');
      assert.equal(one(r, 'roundtrip.receiver-auth-fail', 'spf')?.detail?.includes('spf=fail'), true);
    });
  });

  test('IMAP certificate: untrusted stops before login; --insecure goes on with a warning; --ca trusts it', async () => {
    await withLab({ imap: { tls: { key: LAB_KEY, cert: LAB_CERT } } }, async (lab, t) => {
      // On loopback the password stays on this machine: the rule lets it go on, said as info.
      const local = await runRoundtrip(requestFor(lab, { ca: [] }, { security: 'implicit' }), deps(lab, t));
      assert.equal(one(local, 'roundtrip.imap-tls-untrusted')?.severity, 'info', ids(local).join(' '));
      const remote = (d: RoundtripDeps): RoundtripDeps => ({ ...d, loopbackExempt: false });
      const untrusted = await runRoundtrip(requestFor(lab, { ca: [] }, { security: 'implicit' }), remote(deps(lab, t)));
      const f = one(untrusted, 'roundtrip.imap-tls-untrusted')!;
      assert.ok(f, ids(untrusted).join(' '));
      assert.equal(f.severity, 'critical');
      assert.equal(lab.accepted.length, 1, 'only the loopback run sent a message');
      assert.equal(lab.imapLog.filter((l) => /LOGIN|AUTHENTICATE/i.test(l)).length, 1, 'no password went to the untrusted server');

      const insecure = await runRoundtrip(requestFor(lab, { ca: [] }, { security: 'implicit', insecure: true }), remote(deps(lab, t)));
      assert.equal(one(insecure, 'roundtrip.imap-tls-untrusted')?.severity, 'warning');
      assert.ok(ids(insecure).includes('roundtrip.delivered-inbox'), ids(insecure).join(' '));
      assert.equal(facts(insecure).imap.tls?.authorized, false);

      const trusted = await runRoundtrip(requestFor(lab, {}, { security: 'implicit' }), deps(lab, t));
      assert.ok(!one(trusted, 'roundtrip.imap-tls-untrusted'));
      assert.ok(ids(trusted).includes('roundtrip.delivered-inbox'));
      assert.match(facts(trusted).imap.tls!.protocol ?? '', /TLSv1\.[23]/);
    });
  });

  test('--imap-tls none to a host that is not loopback: refused (roundtrip.imap-plaintext) unless --insecure, then a warning', async () => {
    await withLab({}, async (lab, t) => {
      const remote = { ...deps(lab, t), loopbackExempt: false };
      const refused = await runRoundtrip(requestFor(lab), remote);
      assert.deepEqual(ids(refused), ['roundtrip.imap-plaintext']);
      assert.equal(refused.findings[0]!.severity, 'critical');
      assert.equal(lab.accepted.length, 0);
      assert.ok(!lab.imapLog.some((l) => /LOGIN|AUTHENTICATE/i.test(l)), 'no password went out in clear');
      const forced = await runRoundtrip(requestFor(lab, {}, { insecure: true }), remote);
      assert.equal(one(forced, 'roundtrip.imap-plaintext')?.severity, 'warning');
      assert.match(one(forced, 'roundtrip.imap-plaintext')!.detail!, /--insecure/);
      assert.ok(ids(forced).includes('roundtrip.delivered-inbox'), ids(forced).join(' '));
    });
  });

  test('IMAP server down: imap-connect-failed, nothing sent', async () => {
    await withLab({}, async (lab, t) => {
      const r = await runRoundtrip(requestFor(lab, {}, { port: await closedPort() }), deps(lab, t));
      assert.equal(one(r, 'roundtrip.imap-connect-failed')?.severity, 'critical', ids(r).join(' '));
      assert.equal(lab.accepted.length, 0);
    });
  });

  test('a server that stops answering mid-search: imap-error (unknown), not "not delivered"', async () => {
    await withLab({ imap: { hangOnSearch: true } }, async (lab, t) => {
      const t0 = Date.now();
      const r = await runRoundtrip(requestFor(lab, {}, { timeoutMs: 250 }), deps(lab, t));
      assert.equal(one(r, 'roundtrip.imap-error')?.severity, 'unknown', ids(r).join(' '));
      assert.ok(!ids(r).includes('roundtrip.not-delivered'));
      assert.ok(Date.now() - t0 < 4000);
    });
  });
});

describe('roundtrip: several destinations', () => {
  test('runMany: at most `concurrency` at once, reports in the given order, a crash is one report', async () => {
    const { runMany } = await import('../src/roundtrip/many.js');
    await withLab({}, async (lab, t) => {
      let active = 0;
      let peak = 0;
      const d: RoundtripDeps = {
        ...deps(lab, t),
        openMailbox: async (target) => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 20));
          active--;
          if (target.user === 'boom') throw new Error('kaputt');
          return { ok: false, kind: 'connect', error: `refused ${target.user}` };
        },
      };
      const reqs = ['a', 'b', 'boom', 'd', 'e'].map((u) => ({ ...requestFor(lab, { name: u }, { user: u }) }));
      const reports = await runMany(reqs, d, 2);
      assert.equal(peak, 2);
      assert.deepEqual(reports.map((r) => r.target), ['a', 'b', 'boom', 'd', 'e']);
      assert.deepEqual(reports.map((r) => r.findings[0]!.id), ['roundtrip.imap-connect-failed', 'roundtrip.imap-connect-failed', 'run.check-crashed', 'roundtrip.imap-connect-failed', 'roundtrip.imap-connect-failed']);
      assert.equal(lab.accepted.length, 0);
    });
  });
});
