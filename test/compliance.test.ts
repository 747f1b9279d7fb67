import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateProfile, withCompliance } from '../src/compliance/evaluate.js';
import { BASELINE } from '../src/compliance/baseline.js';
import { parseProfile } from '../src/compliance/load.js';
import { knownFindingMatchers as knownMatchers } from '../src/catalogue.js';
import { ConfigError } from '../src/core/errors.js';
import { broken, healthy, undecided } from './helpers/sample-reports.js';

const status = (r: ReturnType<typeof evaluateProfile>) => Object.fromEntries(r.controls.map((c) => [c.id, c.status]));

test('baseline: a healthy domain passes every control, each with its evidence', () => {
  const c = evaluateProfile(healthy(), BASELINE);
  assert.deepEqual(c.counts, { pass: 8, fail: 0, 'not-evaluated': 0 });
  assert.equal(c.exitCode, 0);
  const sts = c.controls.find((x) => x.id === 'mta-sts-or-dane')!;
  assert.match(sts.reason, /^DANE/, 'MTA-STS is not deployed, DANE carries the control');
  assert.deepEqual(sts.evidence.map((e) => e.id), ['dane.present']);
  for (const ctl of c.controls) assert.ok(ctl.evidence.length > 0, `${ctl.id} has evidence`);
});

test('baseline: failures name the failing findings; controls without evidence are not evaluated, never pass', () => {
  const c = evaluateProfile(broken(), BASELINE);
  assert.deepEqual(status(c), {
    'tls-modern': 'fail', 'no-auth-before-tls': 'not-evaluated', 'valid-certificates': 'not-evaluated', spf: 'fail',
    'dmarc-enforcing': 'fail', 'mta-sts-or-dane': 'not-evaluated', dnssec: 'fail', 'no-open-relay': 'fail',
  });
  assert.equal(c.exitCode, 2);
  assert.deepEqual(c.controls.find((x) => x.id === 'spf')!.evidence.map((e) => e.id), ['spf.all-pass']);
  assert.match(c.controls.find((x) => x.id === 'valid-certificates')!.reason, /no evidence/);
});

test('baseline: unknown findings (could not tell) leave controls not evaluated, exit 3', () => {
  const c = evaluateProfile(undecided(), BASELINE);
  assert.equal(c.counts.pass, 0);
  assert.equal(c.counts.fail, 0);
  assert.equal(c.controls.find((x) => x.id === 'spf')!.status, 'not-evaluated');
  assert.match(c.controls.find((x) => x.id === 'spf')!.reason, /could not tell/);
  assert.equal(c.exitCode, 3);
});

test('baseline: every matcher names a finding id or family of the catalogue', () => {
  const known = knownMatchers();
  const walk = (cs: typeof BASELINE.controls): void => {
    for (const c of cs) {
      for (const m of [...Object.keys(c.fail), ...(c.pass ?? [])]) assert.ok(known.has(m), `${c.id}: ${m}`);
      walk(c.anyOf ?? []);
    }
  };
  walk(BASELINE.controls);
});

test('custom YAML profile: families with the severity that fails them, warning-only controls', () => {
  const p = parseProfile([
    'name: strict-dmarc',
    'controls:',
    '  - id: dmarc',
    '    title: DMARC without any warning',
    '    fail:',
    '      dmarc: warning',
    '    severity: warning',
    '  - id: tls',
    '    fail: { tls.*: warning }',
    '    pass: [tls.versions-ok]',
  ].join('\n'), 'strict.yaml', knownMatchers());
  const [good, bad] = withCompliance([healthy(), broken()], p);
  const g = good!.facts!.compliance as ReturnType<typeof evaluateProfile>;
  const b = bad!.facts!.compliance as ReturnType<typeof evaluateProfile>;
  assert.deepEqual(status(g), { dmarc: 'pass', tls: 'pass' });
  assert.deepEqual(status(b), { dmarc: 'fail', tls: 'fail' });
  assert.equal(b.exitCode, 2, 'the tls control is critical by default');
  const onlyDmarc = parseProfile('name: x\ncontrols:\n  - id: d\n    fail: {dmarc: warning}\n    severity: warning\n', 'x.yaml', knownMatchers());
  assert.equal(evaluateProfile(broken(), onlyDmarc).exitCode, 1);
});

test('custom YAML profile: clear errors with file and line', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseProfile(text, 'p.yaml', knownMatchers()), (e: unknown) => e instanceof ConfigError && re.test(e.message), text);
  bad('name: x\ncontrols:\n  - id: a\n    fail:\n      dmarc.polcy-none: warning\n', /p\.yaml:5: controls\[0\]\.fail\.dmarc\.polcy-none: "dmarc\.polcy-none" is no finding id or family/);
  bad('name: x\ncontrols:\n  - id: a\n    fail: { dmarc: severe }\n', /expected one of info, warning, critical/);
  bad('name: x\ncontrols:\n  - id: a\n    title: nothing to judge\n', /needs "fail:"/);
  bad('name: x\ncontrols:\n  - id: a\n    fial: {dmarc: warning}\n', /unknown key; did you mean "fail"/);
  bad('name: x\ncontrols: []\n', /at least one control/);
  bad('controls:\n  - id: a\n    fail: {dmarc: warning}\n', /"name" is required/);
  bad('name: x\ncontrols:\n  - id: a\n    fail: {dmarc: warning}\n  - id: a\n    fail: {spf: warning}\n', /used twice/);
  bad('name: [x\n', /not valid YAML/);
});
