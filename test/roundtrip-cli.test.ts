// `mxdoctor roundtrip` as a user runs it (a child process): one destination from flags,
// two from a config file (a results table, one JSON report each), and the usage errors.
// The lab's SMTP/IMAP servers run here; DNS for the DKIM/SPF/DMARC verification comes
// from the in-process DNS server through --resolver, so nothing leaves loopback.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/io/clock.js';
import { headerValue } from '../src/send/message-data.js';
import { runCli } from './helpers/cli.js';
import { zoneLab, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { IMAP_PASSWORD, LAB_CA, PUBLIC_B64, RCPT, roundtripLab, SENDER, SMTP_PASSWORD } from './helpers/roundtrip-lab.js';
import type { RoundtripLab } from './helpers/roundtrip-lab.js';

const ZONE = `${soa('sender.test')}@ TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject"
sel1._domainkey TXT "v=DKIM1; k=rsa; p=" ${(PUBLIC_B64.match(/.{1,200}/g) ?? []).map((s) => `"${s}"`).join(' ')}
`;

let lab: RoundtripLab;
let dns: ZoneLab;
let dir: string;
const env = { MXDOCTOR_SMTP_PASSWORD: SMTP_PASSWORD, MXDOCTOR_IMAP_PASSWORD: IMAP_PASSWORD, MXDOCTOR_LOOPBACK_ONLY: '1' };

before(async () => {
  // carol's copies go to Junk: the second destination is "delivered to spam"; so does a message
  // carrying the header a --header test adds (a filter rule on a header, like the real lab's Sieve).
  lab = await roundtripLab({ clock: systemClock, route: (raw) => ({ folder: /carol@/.test(headerValue(raw, 'To') ?? '') || headerValue(raw, 'X-Test-Route') === 'junk' ? 'Junk' : 'INBOX' }) });
  dns = await zoneLab(ZONE);
  dir = mkdtempSync(join(tmpdir(), 'mxdoctor-rt-'));
  writeFileSync(join(dir, 'ca.pem'), LAB_CA);
});
after(async () => {
  await lab.close();
  await dns.close();
  rmSync(dir, { recursive: true, force: true });
});

const common = () => ['--resolver', `127.0.0.1:${dns.server.port}`, '--ca', join(dir, 'ca.pem'), '--poll', '100', '--no-color'];
const flags = () => ['roundtrip', '--server', `localhost:${lab.smtpPort}`, '--from', SENDER, '--to', RCPT, '--auth-user', SENDER,
  '--imap-server', `localhost:${lab.imap.port}`, '--imap-tls', 'none', ...common()];

describe('mxdoctor roundtrip (CLI)', () => {
  test('one destination from flags: the summary, the findings, exit 0; no password in the output', async () => {
    const r = await runCli([...flags(), '--delete', '--deadline', '10'], { env, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Round trip to bob@rcpt\.test/);
    assert.match(r.stdout, /found +INBOX after [\d.]+ s/);
    assert.match(r.stdout, /we verified +dkim=pass spf=pass dmarc=pass/);
    assert.match(r.stdout, /roundtrip\.deleted/);
    assert.ok(!(r.stdout + r.stderr).includes(SMTP_PASSWORD) && !(r.stdout + r.stderr).includes(IMAP_PASSWORD));
  });

  test('--config with two destinations: a table, and one JSON report per destination', async () => {
    const config = join(dir, 'two.yaml');
    writeFileSync(config, [
      'roundtrip:', '  concurrency: 2', '  deadline: 10', '  poll: 100', '  delete: true',
      '  send:', `    server: localhost:${lab.smtpPort}`, '    tls: starttls', `    from: ${SENDER}`, `    user: ${SENDER}`, '    password_env: MXDOCTOR_SMTP_PASSWORD',
      '  destinations:',
      '    - name: bob', `      to: ${RCPT}`, '      imap:', `        server: localhost:${lab.imap.port}`, '        tls: none', '        password_env: MXDOCTOR_IMAP_PASSWORD',
      '    - name: carol', '      to: carol@rcpt.test', '      imap:', `        server: localhost:${lab.imap.port}`, '        tls: none', `        user: ${RCPT}`, '        password_file: imap.pass',
    ].join('\n'));
    writeFileSync(join(dir, 'imap.pass'), `${IMAP_PASSWORD}\n`);
    const text = await runCli(['roundtrip', '--config', config, ...common()], { env, timeoutMs: 30_000 });
    assert.equal(text.code, 1, text.stdout + text.stderr);
    assert.match(text.stdout, /destination +delivered +folder +seconds +dkim +spf +dmarc/);
    assert.match(text.stdout, /\n {2}bob +yes +INBOX +[\d.]+ +pass +pass +pass +ok/);
    assert.match(text.stdout, /\n {2}carol +yes +Junk \(spam\) +[\d.]+ +pass +pass +pass +warning/);

    const json = await runCli(['roundtrip', '--config', config, ...common(), '--json'], { env, timeoutMs: 30_000 });
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.schema, 'mxdoctor.report/v1');
    assert.equal(doc.exitCode, 1);
    assert.deepEqual(doc.reports.map((r: any) => [r.target, r.kind, r.facts.roundtrip.folder, r.facts.roundtrip.delivered]), [['bob', 'roundtrip', 'INBOX', true], ['carol', 'roundtrip', 'Junk', true]]);
    assert.ok(doc.reports[1].findings.some((f: any) => f.id === 'roundtrip.delivered-spam'));
    assert.ok(!json.stdout.includes(IMAP_PASSWORD) && !json.stdout.includes(SMTP_PASSWORD));
  });

  test('--header reaches the delivered copy: a header filter rule files it into Junk', async () => {
    const r = await runCli([...flags(), '--header', 'X-Test-Route: junk', '--deadline', '10', '--json'], { env, timeoutMs: 30_000 });
    const report = JSON.parse(r.stdout).reports[0];
    assert.equal(report.facts.roundtrip.folderRole, 'junk', r.stderr);
    assert.ok(report.findings.some((f: { id: string }) => f.id === 'roundtrip.delivered-spam'));
    assert.equal(r.code, 1);
    const bad = await runCli([...flags(), '--header', 'no colon here'], { env });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /--header "no colon here": expected "Name: value"/);
  });

  test('usage errors: exit 3 with one line naming the fix', async () => {
    const noImap = await runCli(['roundtrip', '--server', 'localhost', '--from', SENDER, '--to', RCPT], { env });
    assert.equal(noImap.code, 3);
    assert.match(noImap.stderr, /--imap-server <host\[:port\]>/);
    const noPassword = await runCli([...flags()], { env: { MXDOCTOR_SMTP_PASSWORD: SMTP_PASSWORD, MXDOCTOR_IMAP_PASSWORD: '' } });
    assert.equal(noPassword.code, 3);
    assert.match(noPassword.stderr, /MXDOCTOR_IMAP_PASSWORD or give --imap-password-file/);
    const both = await runCli(['roundtrip', '--config', join(dir, 'two.yaml'), '--server', 'x'], { env });
    assert.equal(both.code, 3);
    assert.match(both.stderr, /leave out --server/);
    const header = await runCli(['roundtrip', '--config', join(dir, 'two.yaml'), '--header', 'X-A: b'], { env });
    assert.match(header.stderr, /leave out --header/);
    const ehlo = await runCli(['roundtrip', '--config', join(dir, 'two.yaml'), '--ehlo', 'probe.test'], { env });
    assert.match(ehlo.stderr, /leave out --ehlo/);
    // A reserved header is refused before anything connects: with an IMAP server that does not
    // answer, the usage error still comes first (not roundtrip.imap-connect-failed).
    const reserved = await runCli(['roundtrip', '--server', `localhost:${lab.smtpPort}`, '--from', SENDER, '--to', RCPT,
      '--imap-server', '127.0.0.1:9', '--imap-tls', 'none', '--header', 'Message-ID: <x@y>', ...common()], { env });
    assert.equal(reserved.code, 3, reserved.stdout);
    assert.match(reserved.stderr, /mxdoctor sets X-Mxdoctor-Token and Message-ID itself/);
    const inline = join(dir, 'inline.yaml');
    writeFileSync(inline, 'roundtrip:\n  send: {server: x, from: a@b.test, user: a, password: "s3cr3t-inline"}\n  destinations: []\n');
    const bad = await runCli(['roundtrip', '--config', inline], { env });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /inline\.yaml:2: roundtrip\.send\.password: passwords are not written into the config file/);
    assert.ok(!bad.stderr.includes('s3cr3t-inline'));
  });
});
