// check --profile: the compliance table after the report, and the exit code from the profile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { soa, zoneLab, type ZoneLab } from './helpers/lab.js';

const ZONE = `${soa('prof.test')}
@ MX 10 mx.prof.test.
@ TXT "v=spf1 +all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@prof.test"
mx A 127.0.0.30
`;

let lab: ZoneLab;
let resolver: string;
before(async () => {
  lab = await zoneLab(ZONE);
  resolver = `${lab.server.host}:${lab.server.port}`;
});
after(() => lab.close());

test('check --profile baseline: failed SPF control, other families not run are not evaluated; JSON carries facts.compliance', async () => {
  const r = await runCli(['check', 'prof.test', '--only', 'spf,dmarc', '--no-servers', '--resolver', resolver, '--profile', 'baseline', '--json']);
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stdout);
  const c = doc.reports[0].facts.compliance;
  const byId = Object.fromEntries(c.controls.map((x: { id: string; status: string }) => [x.id, x.status]));
  assert.equal(byId.spf, 'fail');
  assert.equal(byId['dmarc-enforcing'], 'pass');
  assert.equal(byId['no-open-relay'], 'not-evaluated', 'servers were not probed: never a pass');
  assert.equal(byId.dnssec, 'not-evaluated');
});

test('check --profile <file>: the exit code follows the profile, not the worst finding', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxd-prof-'));
  writeFileSync(join(dir, 'dmarc.yaml'), 'name: dmarc-only\ncontrols:\n  - id: dmarc\n    title: DMARC enforcing\n    fail: { dmarc.policy-none: warning, dmarc.missing: warning }\n    pass: [dmarc.policy-enforced]\n');
  const r = await runCli(['check', 'prof.test', '--only', 'spf,dmarc', '--no-servers', '--resolver', resolver, '--profile', join(dir, 'dmarc.yaml')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /SPF authorizes every address/, 'the report is still printed');
  assert.match(r.stdout, /Compliance: prof\.test {2}profile dmarc-only: 1 pass, 0 fail, 0 not evaluated/);
  const bulk = await runCli(['check', '--file', '-', '--profile', 'baseline', '--resolver', resolver], { stdin: 'prof.test\n' });
  assert.equal(bulk.code, 3);
  assert.match(bulk.stderr, /--profile with --file: .*mxdoctor report all\.ndjson --profile baseline/);
});
