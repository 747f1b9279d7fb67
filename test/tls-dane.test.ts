import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { associationData } from '../src/parsers/tlsa-match.js';
import { zoneLab, find, soa } from './helpers/lab.js';
import type { ZoneLab } from './helpers/lab.js';
import { CA_PEM, certFile, startTlsTestServer } from './helpers/tls-servers.js';
import type { TestServer, TestServerOptions } from './helpers/tls-servers.js';
import { labPorts } from './helpers/tls-probe.js';

const x = (name: string) => new X509Certificate(certFile(`${name}.pem`));
const EE_VALID = associationData(x('valid'), 1, 1)!;
const EE_OTHER = associationData(x('valid-rsa'), 1, 1)!;
const TA_INTER = associationData(x('intermediate'), 0, 1)!;

// domain → [server, TLSA records at _<port>._tcp.mail.<domain>]
const CASES: Record<string, [TestServerOptions, string[]]> = {
  'match.test': [{ cert: 'valid', mode: 'smtp' }, [`3 1 1 ${EE_OTHER}`, `3 1 1 ${EE_VALID}`]],
  'ta.test': [{ cert: 'chain-leaf', certChain: 'chain-full.pem', mode: 'smtp' }, [`2 0 1 ${TA_INTER}`]],
  'nomatch.test': [{ cert: 'valid', mode: 'smtp' }, [`3 1 1 ${EE_OTHER}`, `1 1 1 ${EE_VALID}`]],
  'nostarttls.test': [{ mode: 'smtp-no-starttls' }, [`3 1 1 ${EE_VALID}`]],
  'quiet.test': [{ mode: 'silent' }, [`3 1 1 ${EE_VALID}`]],
  'plain.test': [{ cert: 'valid', mode: 'smtp' }, [`3 1 1 ${EE_VALID}`]],
  'none.test': [{ cert: 'valid', mode: 'smtp' }, []],
};
const SECURE = Object.keys(CASES).filter((d) => d !== 'plain.test');

describe('tlsa: DANE records matched against the presented chain', () => {
  let lab: ZoneLab;
  const servers: Record<string, TestServer> = {};
  before(async () => {
    let zone = soa('test');
    for (const [domain, [o, records]] of Object.entries(CASES)) {
      const srv = (servers[domain] = await startTlsTestServer(o));
      zone += `${soa(domain)}@ MX 10 mail.${domain}.\nmail A 127.0.0.1\n${records.map((r) => `_${srv.port}._tcp.mail TLSA ${r}\n`).join('')}`;
    }
    lab = await zoneLab(zone, { secureZones: SECURE });
  });
  after(async () => {
    await lab.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });
  const run = async (domain: string) => lab.check(domain, ['tlsa'], { ports: await labPorts(servers[domain]!.port), stepTimeoutMs: 500, ca: [CA_PEM] });
  const only = async (domain: string) => (await run(domain)).findings.map((f) => `${f.id}:${f.severity}`);

  test('DANE-EE 3 1 1 matching the leaf (one of two records): ok', async () => {
    const r = await run('match.test');
    assert.deepEqual(r.findings.map((f) => `${f.id}:${f.severity}`), ['tlsa.match:ok']);
    assert.match(find(r, 'tlsa.match')!.detail ?? '', /leaf/);
  });

  test('DANE-TA 2 0 1 matching the intermediate the server sends: ok', async () => {
    assert.deepEqual(await only('ta.test'), ['tlsa.match:ok']);
  });

  test('no usable record matches (a PKIX-EE one that would is ignored): critical', async () => {
    assert.deepEqual(await only('nomatch.test'), ['tlsa.no-match:critical']);
  });

  test('TLSA published but no STARTTLS: DANE senders will not deliver', async () => {
    assert.deepEqual(await only('nostarttls.test'), ['tlsa.no-match:critical']);
  });

  test('greeting never comes: unknown, within the step timeout', async () => {
    assert.deepEqual(await only('quiet.test'), ['tlsa.not-tested:unknown']);
  });

  test('not DNSSEC-validated: info, saying whether they would match', async () => {
    const r = await run('plain.test');
    assert.deepEqual(r.findings.map((f) => `${f.id}:${f.severity}`), ['tlsa.unvalidated:info']);
    assert.match(find(r, 'tlsa.unvalidated')!.detail ?? '', /would match/);
  });

  test('no TLSA records: nothing from this family', async () => {
    assert.deepEqual(await only('none.test'), []);
  });
});
