// The real-server suite: mxdoctor against real DNS servers from Debian's packages (Knot
// serving the lab's zones as master files, Unbound validating in front of it), started by
// test/lab/start-dns.sh. Run it with `npm run test:real`, which starts and stops them.
// It proves the checks work against real server behaviour, not only against our own
// in-process lab: same zone data, real wire format, real DNSSEC signatures and AD bit.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DnsClient } from '../../src/io/dns-client.js';
import { loadLabData, startLab, ZONES_DIR } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/lab.js';

const BIN = new URL('../../bin/mxdoctor.js', import.meta.url).pathname;
const ENV_FILE = new URL('../lab/run/dns.env', import.meta.url).pathname;

/** Addresses written by start-dns.sh (defaults are its own). */
const env: Record<string, string> = {
  REAL_DNS_PORT: '53', REAL_DNS_PRIMARY: '127.0.1.1', REAL_DNS_SECONDARY: '127.0.1.2',
  REAL_DNS_LAME: '127.0.1.3', REAL_DNS_RESOLVER: '127.0.1.4',
  ...(existsSync(ENV_FILE) ? Object.fromEntries(readFileSync(ENV_FILE, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=') as [string, string])) : {}),
};
const PORT = Number(env.REAL_DNS_PORT);
const RESOLVER = `${env.REAL_DNS_RESOLVER}:${PORT}`;
const PRIMARY = `${env.REAL_DNS_PRIMARY}:${PORT}`;
/** Nothing listens here (start-dns.sh uses .1-.4). */
const DEAD = `127.0.1.99:${PORT}`;
// --no-servers: the lab's MX addresses (127.0.0.20/21...) have no real servers behind them;
// server probes against real Postfix/Dovecot are test/real/mail.test.ts's.
const COMMON = ['--json', '--timeout', '1000', '--retries', '1', '--no-servers'];
/** Set in before(): the in-process lab, to compare with and for its HTTPS server. */
let lab: Lab | undefined;
let httpsArgs: string[] = [];

interface Finding { id: string; severity: string; detail?: string }
interface Report { target: string; status: string; exitCode: number; findings: Finding[] }
interface Doc { schema: string; exitCode: number; reports: Report[] }

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }));
  });
}

async function check(domains: string[], server = RESOLVER, extra: string[] = [], authPort = PORT): Promise<{ code: number; doc: Doc }> {
  const r = await run(['check', ...domains, '--resolver', server, '--auth-port', String(authPort), ...COMMON, ...httpsArgs, ...extra]);
  let doc: Doc;
  try {
    doc = JSON.parse(r.stdout) as Doc;
  } catch {
    throw new Error(`mxdoctor printed no valid JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
  }
  assert.equal(doc.schema, 'mxdoctor.report/v1');
  return { code: r.code, doc };
}

const family = (id: string) => id.split('.')[0]!;
const problems = (rep: Report, families?: string[]) =>
  rep.findings.filter((f) => (f.severity === 'warning' || f.severity === 'critical') && (!families || families.includes(family(f.id))));
/** Multiset difference: the same id may occur once per MX host. */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((x) => { const i = left.indexOf(x); if (i < 0) return true; left.splice(i, 1); return false; });
}
/** "id severity" for every finding, sorted: what must agree between the two labs. */
const signature = (rep: Report) => rep.findings.map((f) => `${f.id} ${f.severity}`).sort();

describe('real DNS servers (Knot + Unbound)', () => {
  before(async () => {
    const c = new DnsClient({ servers: [{ host: env.REAL_DNS_RESOLVER!, port: PORT }], timeoutMs: 1000, retries: 1 });
    const r = await c.query('healthy.test', 'SOA');
    c.close();
    if (r.status !== 'answer') throw new Error(`no real DNS server at ${RESOLVER} (${r.status}): run \`npm run test:real\`, which starts them`);
    // The real servers serve what start-dns.sh exported: zone files edited since are not there.
    const exported = statSync(new URL('../lab/run/zones/zones.list', import.meta.url)).mtimeMs;
    const edited = readdirSync(ZONES_DIR).filter((f) => statSync(join(ZONES_DIR, f)).mtimeMs > exported);
    if (edited.length) throw new Error(`${edited.join(', ')} changed after start-dns.sh exported the zones: run it again (npm run test:real does)`);
    // The in-process lab (127.0.0.1-.4, random port) runs beside the real servers: the
    // comparison below checks both. MTA-STS policies are fetched over HTTPS from
    // mta-sts.<domain> = 127.0.0.1, the lab's HTTPS server (its CA trusted), in both runs;
    // the names still resolve through the real servers in the real run.
    lab = await startLab();
    const caFile = join(mkdtempSync(join(tmpdir(), 'mxdoctor-real-')), 'lab-ca.pem');
    writeFileSync(caFile, lab.ca.join('\n'));
    httpsArgs = lab.ca.length ? ['--https-port', String(lab.httpsPort), '--ca', caFile] : [];
  });
  after(() => lab?.close());

  test('healthy.test: no warning or critical finding of any family', async () => {
    const { doc } = await check(['healthy.test']);
    const rep = doc.reports[0]!;
    assert.equal(rep.target, 'healthy.test');
    assert.ok(rep.findings.some((f) => f.id === 'mx.present' && f.severity === 'ok'), 'the MX check ran and found the MX records');
    assert.deepEqual(problems(rep), []);
  });

  test('healthy.test straight from the authoritative primary (no recursion, AA answers)', async () => {
    const { doc } = await check(['healthy.test'], PRIMARY, ['--only', 'mx']);
    const rep = doc.reports[0]!;
    assert.ok(rep.findings.some((f) => f.id === 'mx.present'), JSON.stringify(rep.findings));
    assert.deepEqual(problems(rep), []);
  });

  test('every demo domain gets the same findings from the real servers as from the in-process lab', async (t) => {
    const data = lab!.data;
    // Names the in-process lab makes misbehave (timeouts, garbage) have no real counterpart.
    const misbehaving = Object.keys(data.misbehave);
    const domains = data.demo.map((d) => d.domain).filter((d) => !misbehaving.some((m) => m === d || m.endsWith(`.${d}`)));
    assert.ok(domains.includes('healthy.test'));
    // One after the other, same client settings: the same data must give the same findings.
    const both = async (ds: string[], extra: string[] = []) => ({
      real: (await check(ds, RESOLVER, extra)).doc.reports,
      inproc: (await check(ds, `${lab!.resolver.host}:${lab!.resolver.port}`, extra, lab!.dnsPort)).doc.reports,
    });
    const compare = (runs: { real: Report[]; inproc: Report[] }, d: string) => {
      const a = runs.real.find((r) => r.target === d);
      const b = runs.inproc.find((r) => r.target === d);
      assert.ok(a && b, `both labs report on ${d}`);
      const onlyReal = minus(signature(a), signature(b));
      const onlyLab = minus(signature(b), signature(a));
      const timedOut = [...a.findings, ...b.findings].some((f) => f.severity === 'unknown');
      return onlyReal.length || onlyLab.length ? { d, timedOut, text: `${d}: real only [${onlyReal.join(', ')}], in-process only [${onlyLab.join(', ')}]` } : undefined;
    };
    const runs = await both(domains);
    let diffs = domains.map((d) => compare(runs, d)).filter((x) => x !== undefined);
    // An `unknown` on one side only is a timeout on a loaded machine, not different data:
    // those domains get one more try, a few at a time with patient timeouts.
    const retry = diffs.filter((x) => x.timedOut).map((x) => x.d);
    if (retry.length) {
      t.diagnostic(`timeouts on a loaded machine, checking again: ${retry.join(', ')}`);
      const again: typeof diffs = [];
      for (let i = 0; i < retry.length; i += 4) {
        const chunk = retry.slice(i, i + 4);
        const r = await both(chunk, ['--timeout', '3000', '--retries', '2']);
        again.push(...chunk.map((d) => compare(r, d)).filter((x) => x !== undefined));
      }
      diffs = [...diffs.filter((x) => !x.timedOut), ...again];
    }
    assert.deepEqual(diffs.map((x) => x.text), [], 'the real servers serve the same data, so every check must agree');
    // Each comparison must compare something (the MX check at least runs on every domain).
    for (const d of domains) assert.ok(signature(runs.real.find((r) => r.target === d)!).length > 0, `${d}: no finding to compare`);
    const defects = runs.real.flatMap((r) => signature(r).filter((s) => !/ (ok|info)$/.test(s)).map((s) => `${r.target} ${s}`));
    t.diagnostic(`${domains.length} domains compared, ${defects.length} defect findings agree: ${defects.join('; ')}`);
  });

  // Defect domains with known finding ids, checked explicitly on top of the comparison
  // (each only while its zone is in the lab). The DNSSEC ones need Unbound's validation.
  const EXPECTED: Record<string, string[]> = {
    'healthy.test': ['mx.present', 'spf.valid', 'dnssec.signed', 'ns.consistent'],
    'out-of-sync.test': ['ns.serial-mismatch', 'ns.spf-mismatch'],
    'lame-ns.test': ['ns.lame'],
    'bogus-dnssec.test': ['dnssec.bogus'],
    'no-ptr.test': ['ptr.missing'],
    'fcrdns-fail.test': ['ptr.not-confirmed'],
    'dane-pkix.test': ['dane.pkix-usage', 'dnssec.signed'],
    // An unsigned domain: its MX RRset is insecure, so DANE does not apply (RFC 7672 §2.2.1).
    'dane-insecure.test': ['dane.not-applicable', 'dnssec.unsigned'],
    'sts-mxmiss.test': ['mta-sts.mx-not-covered'],
    'sts-404.test': ['mta-sts.policy-http-status'],
  };
  // One mxdoctor run for all of them (each run costs a process start).
  let expectedRun: Promise<{ code: number; doc: Doc }> | undefined;
  for (const [domain, ids] of Object.entries(EXPECTED)) {
    test(`${domain}: ${ids.join(', ')}`, async (t) => {
      const present = Object.keys(EXPECTED).filter((d) => lab!.data.demo.some((x) => x.domain === d));
      if (!present.includes(domain)) return t.skip(`${domain} is not in the lab`);
      const { doc } = await (expectedRun ??= check(present, RESOLVER, ['--timeout', '3000', '--retries', '2']));
      const got = doc.reports.find((r) => r.target === domain)!.findings.map((f) => f.id);
      for (const id of ids) assert.ok(got.includes(id), `${domain}: expected ${id}, got ${got.join(', ')}`);
    });
  }

  test('the validating resolver sets AD for the signed healthy.test (real DNSSEC, RFC 4035 §3.2.3)', async () => {
    const c = new DnsClient({ servers: [{ host: env.REAL_DNS_RESOLVER!, port: PORT }], timeoutMs: 1000, retries: 1 });
    try {
      const signed = await c.query('healthy.test', 'MX', { dnssec: true });
      assert.equal(signed.status, 'answer');
      assert.equal(signed.ad, true, 'Unbound validated the Knot-signed zone');
      const unsigned = await c.query('test', 'SOA', { dnssec: true });
      assert.equal(unsigned.status, 'answer');
      assert.equal(unsigned.ad, false, 'an unsigned zone is insecure, not validated');
      for (const zone of loadLabData().bogusZones) {
        // A broken chain: SERVFAIL while validating, data again with CD (RFC 4035 §3.2.2).
        assert.equal((await c.query(zone, 'SOA', { dnssec: true })).status, 'servfail', `${zone} is bogus`);
        assert.equal((await c.query(zone, 'SOA', { dnssec: true, cd: true })).status, 'answer', `${zone} with CD`);
      }
    } finally {
      c.close();
    }
  });

  test('the out-of-sync and lame servers behave as the lab says', async () => {
    const c = new DnsClient({ servers: [{ host: env.REAL_DNS_PRIMARY!, port: PORT }], timeoutMs: 1000, retries: 1 });
    try {
      const lame = await c.query('healthy.test', 'SOA', { server: { host: env.REAL_DNS_LAME!, port: PORT }, recursion: false });
      assert.equal(lame.status, 'refused');
      // Every name the secondary overlay changes answers differently on the two servers.
      for (const r of loadLabData().secondaryRecords) {
        const type = r.type as 'SOA';
        const [p, s] = await Promise.all([
          c.query(r.name, type, { recursion: false }),
          c.query(r.name, type, { server: { host: env.REAL_DNS_SECONDARY!, port: PORT }, recursion: false }),
        ]);
        assert.equal(s.status === 'answer' ? s.records.length : 0, loadLabData().secondaryRecords.filter((x) => x.name === r.name && x.type === r.type).length, `${r.name} ${r.type} on the secondary`);
        assert.notDeepEqual(p.records.map((x) => x.data), s.records.map((x) => x.data), `${r.name} ${r.type} differs between primary and secondary`);
      }
    } finally {
      c.close();
    }
  });

  test('a resolver that never answers: unknown findings, exit 3, valid JSON', async () => {
    const t0 = Date.now();
    const { code, doc } = await check(['healthy.test'], DEAD, ['--timeout', '300', '--retries', '0']);
    assert.equal(code, 3);
    assert.equal(doc.exitCode, 3);
    const rep = doc.reports[0]!;
    assert.equal(rep.status, 'unknown');
    assert.ok(rep.findings.some((f) => f.id.startsWith('mx.') && f.severity === 'unknown'), JSON.stringify(rep.findings));
    assert.deepEqual(problems(rep), [], 'could not tell is never reported as missing');
    assert.ok(Date.now() - t0 < 30_000, 'bounded by the timeouts');
  });
});
