// The cause table and the ranking of `mxdoctor doctor`, on hand-made findings: weights,
// boosts (MTA-STS enforce), roles, "could not check" for unknowns, the greylisting reply,
// and the table's consistency with the catalogue and the symptoms' check families.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../src/core/finding.js';
import type { DoctorFinding } from '../src/doctor/cause-types.js';
import { diagnose, likelihoodOf } from '../src/doctor/rank.js';
import { CAUSES, causesFor, whyFor } from '../src/doctor/causes.js';
import { SYMPTOMS, SYMPTOM_DEFS } from '../src/doctor/symptoms.js';
import { allFindingDefs } from '../src/catalogue.js';
import { DOMAIN_CHECKS } from '../src/checks/index.js';
import { readFileSync } from 'node:fs';

function f(id: string, severity: Severity, more: Partial<DoctorFinding> = {}): DoctorFinding {
  return { id, severity, title: id, area: 'DNS', check: id.split('.')[0]!, ...more };
}
const MX = 'mx1.example.test:25 (192.0.2.1)';

describe('diagnose', () => {
  test('nothing wrong: no cause; ok findings are "fine", info ones "notes"', () => {
    const d = diagnose('cannot-receive', [f('mx.present', 'ok'), f('smtp.reachable', 'ok', { role: 'mx', subject: MX }), f('mx.no-ipv6', 'info')]);
    assert.deepEqual(d.causes, []);
    assert.deepEqual(d.fine.map((x) => x.id), ['mx.present', 'smtp.reachable']);
    assert.deepEqual(d.notes.map((x) => x.id), ['mx.no-ipv6']);
  });

  test('unknown findings are "could not check", never a cause', () => {
    const d = diagnose('cannot-receive', [f('mx.lookup-failed', 'unknown'), f('smtp.connect-timeout', 'unknown', { role: 'mx', subject: MX })]);
    assert.deepEqual(d.causes, []);
    assert.deepEqual(d.couldNotCheck.map((x) => x.id), ['mx.lookup-failed', 'smtp.connect-timeout']);
  });

  test('the cause that produces the symptom by itself ranks first; scores and likelihood follow weight × severity', () => {
    const d = diagnose('cannot-receive', [
      f('smtp.starttls-missing', 'warning', { role: 'mx', subject: MX }),
      f('mx.none', 'critical'),
      f('ns.lame', 'warning'),
    ]);
    assert.deepEqual(d.causes.map((c) => [c.id, c.score, c.likelihood]), [['no-mx', 9, 'high'], ['name-server-lame', 2, 'low'], ['starttls-missing', 2, 'low']]);
    assert.deepEqual(d.causes.map((c) => c.rank), [1, 2, 3]);
    assert.equal(likelihoodOf(6), 'high');
    assert.equal(likelihoodOf(4), 'medium');
    assert.equal(likelihoodOf(3), 'low');
  });

  test('an invalid MX certificate matters for receiving only under an MTA-STS enforce policy', () => {
    const cert = f('cert.expired', 'critical', { role: 'mx', subject: MX });
    const plain = diagnose('cannot-receive', [cert]).causes[0]!;
    assert.equal(plain.id, 'mx-certificate-invalid');
    assert.equal(plain.likelihood, 'low');
    assert.equal(plain.note, undefined);
    const enforced = diagnose('cannot-receive', [cert, f('mta-sts.policy-valid', 'ok')]).causes[0]!;
    assert.equal(enforced.likelihood, 'high');
    assert.equal(enforced.score, 9);
    assert.match(enforced.note!, /enforce/);
    const testing = diagnose('cannot-receive', [cert, f('mta-sts.policy-valid', 'ok'), f('mta-sts.mode-testing', 'info')]).causes[0]!;
    assert.equal(testing.likelihood, 'low');
  });

  test('roles: a certificate on port 25 is no evidence that mail apps cannot connect, one on 993 is', () => {
    assert.deepEqual(diagnose('client-cannot-connect', [f('cert.expired', 'critical', { role: 'mx', subject: MX })]).causes, []);
    const d = diagnose('client-cannot-connect', [f('cert.expired', 'critical', { role: 'mailbox', subject: 'imap.example.test:993 (192.0.2.9)' })]);
    assert.equal(d.causes[0]?.id, 'client-certificate-invalid');
    assert.equal(d.causes[0]?.likelihood, 'high');
  });

  test('all MX endpoints failing is "cannot receive"; one failing while another answers is "slow"', () => {
    const refused = f('smtp.connect-refused', 'critical', { role: 'mx', subject: MX });
    const answered = f('smtp.reachable', 'ok', { role: 'mx', subject: 'mx2.example.test:25 (192.0.2.2)' });
    assert.equal(diagnose('cannot-receive', [refused]).causes[0]?.id, 'mx-unreachable');
    const partly = diagnose('cannot-receive', [refused, answered]).causes[0]!;
    assert.equal(partly.id, 'mx-partly-unreachable');
    assert.equal(partly.likelihood, 'low');
    const slow = diagnose('slow', [refused, answered]).causes[0]!;
    assert.equal(slow.id, 'mx-partly-unreachable');
    assert.equal(slow.likelihood, 'high');
  });

  test('a 4xx reply to the RCPT test is greylisting (slow); a 5xx block is not', () => {
    const grey = f('smtp.rcpt-inconclusive', 'unknown', { role: 'mx', subject: MX, evidence: { rcpt: 'postmaster@example.test', reply: '450 4.2.0 Greylisted, try again later' } });
    const d = diagnose('slow', [grey]);
    assert.equal(d.causes[0]?.id, 'greylisting');
    assert.equal(d.causes[0]?.severity, 'warning');
    assert.deepEqual(d.couldNotCheck, []);
    const blocked = f('smtp.rcpt-inconclusive', 'unknown', { role: 'mx', subject: MX, evidence: { reply: '554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org' } });
    const d2 = diagnose('slow', [blocked]);
    assert.deepEqual(d2.causes, []);
    assert.deepEqual(d2.couldNotCheck.map((x) => x.id), ['smtp.rcpt-inconclusive']);
  });

  test('port 25 blocked here: a conditional cause of not sending, still "could not check" for receiving', () => {
    const blocked = f('smtp.port25-blocked', 'unknown', { detail: 'All 2 port-25 connections timed out, but 192.0.2.1:587 answered.' });
    const send = diagnose('cannot-send', [blocked]);
    assert.deepEqual(send.causes.map((c) => [c.id, c.likelihood]), [['outbound-25-blocked-here', 'medium']]);
    assert.deepEqual(send.couldNotCheck, []);
    const recv = diagnose('cannot-receive', [blocked]);
    assert.deepEqual(recv.causes, []);
    assert.deepEqual(recv.couldNotCheck.map((x) => x.id), ['smtp.port25-blocked']);
  });

  test('a null MX is decisive for receiving (info finding scored as critical) and for sending (RFC 7505 §4.2)', () => {
    for (const s of ['cannot-receive', 'cannot-send'] as const) {
      const c = diagnose(s, [f('mx.null', 'info')]).causes[0]!;
      assert.equal(c.id, 'null-mx');
      assert.equal(c.likelihood, 'high');
      assert.equal(c.severity, 'critical');
      assert.notEqual(whyFor(CAUSES.find((x) => x.id === 'null-mx')!, s), '');
    }
  });

  test('SPF evaluation for --ip: fail is a cause, pass is not; DMARC enforcement raises a missing SPF', () => {
    assert.equal(diagnose('cannot-send', [f('spf.evaluation', 'warning', { subject: '192.0.2.1' })]).causes[0]?.id, 'spf-ip-not-authorized');
    assert.deepEqual(diagnose('cannot-send', [f('spf.evaluation', 'info', { subject: '192.0.2.1' })]).causes, []);
    const missing = [f('spf.missing', 'warning')];
    assert.equal(diagnose('cannot-send', missing).causes[0]?.likelihood, 'medium');
    assert.equal(diagnose('cannot-send', [...missing, f('dmarc.policy-enforced', 'ok')]).causes[0]?.likelihood, 'high');
  });

  test('warnings that match no cause of the symptom are "other problems"', () => {
    const d = diagnose('cannot-receive', [f('smtp.vulnerable-version', 'critical', { role: 'mx', subject: MX }), f('spf.missing', 'warning')]);
    assert.deepEqual(d.causes, []);
    assert.deepEqual(d.otherProblems.map((x) => x.id), ['smtp.vulnerable-version', 'spf.missing']);
  });

  test('ties: the worse evidence first, then more evidence, then the table order', () => {
    const d = diagnose('spam-folder', [f('spf.all-neutral', 'warning'), f('dkim.key-short', 'warning'), f('dkim.testing', 'warning')]);
    assert.deepEqual(d.causes.map((c) => c.id), ['dkim-weak', 'spf-weak-policy']);
  });
});

describe('the cause table', () => {
  const known = new Set(allFindingDefs().flatMap((fam) => fam.defs.map((x) => x.id)));
  const families = new Set(DOMAIN_CHECKS.map((c) => c.family));

  test('cause ids are unique and every evidence id is a catalogued finding', () => {
    assert.equal(new Set(CAUSES.map((c) => c.id)).size, CAUSES.length);
    for (const c of CAUSES) for (const id of c.ids) assert.ok(known.has(id), `${c.id}: ${id} is not a finding id`);
  });

  test('every symptom runs existing families, and every cause can be seen by a symptom it is weighted for', () => {
    for (const s of SYMPTOMS) for (const fam of SYMPTOM_DEFS[s].families) assert.ok(families.has(fam), `${s}: ${fam}`);
    for (const c of CAUSES) {
      const symptoms = SYMPTOMS.filter((s) => causesFor(s).includes(c));
      assert.ok(symptoms.length, `${c.id} has no weight`);
      for (const s of symptoms) {
        const seen = c.ids.some((id) => /^(logs|doctor)\./.test(id) || SYMPTOM_DEFS[s].families.includes(id.split('.')[0]!));
        assert.ok(seen, `${c.id} is weighted for ${s}, which runs none of ${c.ids.join(', ')}`);
        assert.ok(!c.roles || c.roles.some((r) => SYMPTOM_DEFS[s].roles.includes(r)), `${c.id}: roles ${c.roles} never kept for ${s}`);
        assert.ok(whyFor(c, s).length > 20 && c.fix.length > 20, c.id);
      }
    }
  });

  test('docs/doctor.md lists every cause with its weights', () => {
    const doc = readFileSync(new URL('../docs/doctor.md', import.meta.url), 'utf8');
    for (const c of CAUSES) assert.match(doc, new RegExp(`\\| \`${c.id}\` \\|`), c.id);
  });
});
