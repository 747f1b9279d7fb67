// `mxdoctor check --file domains.txt --queue <postgres url>` on a real PostgreSQL: the CLI
// enqueues the file's domains, two serve instances of a fleet (store.queue: true) audit them
// with their module (the lab's DNS), and the reports stream back as NDJSON, each domain once,
// a line that is not a domain answered by the CLI itself; the exit code is the worst status.
// Without a fleet the CLI stops at its deadline with exit 3 and says why, never hangs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from '../src/lab/lab.js';
import type { Lab } from '../src/lab/lab.js';
import { startServe } from '../src/monitor/serve.js';
import type { ServeHandle } from '../src/monitor/serve.js';
import { openStoreDb } from '../src/monitor/store/open.js';
import { runCli } from './helpers/cli.js';
import { startPostgres } from './helpers/postgres.js';

const pg = await startPostgres();
const skip = pg ? false : 'PostgreSQL is not installed (test/lab/install-postgres.sh installs it; CI runs it)';
const DOMAINS = ['healthy.test', 'spf-plusall.test', 'dmarc-none.test', 'no-ptr.test', 'null-mx.test', 'spf-missing.test'];

describe('check --file --queue: a bulk audit through the fleet\'s queue', { skip, timeout: 240_000 }, () => {
  let lab: Lab;
  let dir: string;
  const fleet: ServeHandle[] = [];
  before(async () => {
    lab = await startLab();
    dir = mkdtempSync('/tmp/mxdoctor-bulkq-');
    const config = `listen: { address: "127.0.0.1:0" }
store: { url: "${pg!.url}", queue: true, queue_poll: 500ms, queue_maintenance: 1s }
schedule: { interval: 1h, concurrency: 3 }
modules:
  default: { families: [mx, spf, dmarc], resolver: "${lab.resolver.host}:${lab.resolver.port}", dns_timeout: 1s }
targets:
  - domain: healthy.test
`;
    writeFileSync(join(dir, 'serve.yaml'), config);
    for (let i = 0; i < 2; i++) {
      fleet.push(await startServe({ configFile: join(dir, 'serve.yaml'), schedule: false, log: () => {}, io: { readText: (p) => readFileSync(p, 'utf8'), env: {} } }));
    }
  });
  after(async () => {
    for (const h of fleet) await h.close().catch(() => undefined);
    await lab?.close();
    pg?.stop();
  });

  test('every domain comes back once as NDJSON, audited with the fleet\'s module', async () => {
    const file = join(dir, 'domains.txt');
    writeFileSync(file, `# a bulk list\n${DOMAINS.join('\n')}\nnot a domain!\n`);
    const r = await runCli(['check', '--file', file, '--queue', pg!.url], { env: { MXDOCTOR_LOOPBACK_ONLY: '1' }, timeoutMs: 120_000 });
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const byTarget = new Map<string, any[]>();
    for (const rep of reports) byTarget.set(rep.target, [...(byTarget.get(rep.target) ?? []), rep]);
    assert.deepEqual([...byTarget.keys()].sort(), [...DOMAINS, 'not a domain!'].sort(), r.stderr);
    assert.ok([...byTarget.values()].every((l) => l.length === 1), 'each once');
    assert.equal(byTarget.get('not a domain!')![0].findings[0].id, 'run.invalid-target');
    assert.equal(byTarget.get('spf-plusall.test')![0].status, 'critical');
    assert.ok(byTarget.get('spf-plusall.test')![0].findings.some((f: { id: string }) => f.id === 'spf.all-pass'));
    for (const d of DOMAINS) {
      const families = new Set(byTarget.get(d)![0].checks.map((c: { check: string }) => c.check));
      assert.deepEqual([...families].sort(), ['dmarc', 'mx', 'spf'], `${d}: the fleet's module decided the checks`);
    }
    assert.equal(r.code, 2, 'the worst, as check --file counts it: critical (spf-plusall) outranks unknown');
    assert.match(r.stderr, /6 domains queued as batch/);
    const store = await openStoreDb({ url: pg!.url });
    try {
      assert.equal((await store.db.selectFrom('bulk_results').selectAll().execute()).length, 0, 'the batch\'s rows were removed once read');
    } finally {
      await store.close();
    }
  });

  test('a module the fleet does not have: each domain comes back unknown with why, none is lost', async () => {
    const file = join(dir, 'two.txt');
    writeFileSync(file, 'healthy.test\nno-ptr.test\n');
    const r = await runCli(['check', '--file', file, '--queue', pg!.url, '--module', 'nosuch'], { env: { MXDOCTOR_LOOPBACK_ONLY: '1' }, timeoutMs: 120_000 });
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(reports.map((x) => x.target).sort(), ['healthy.test', 'no-ptr.test'], r.stderr);
    for (const x of reports) {
      assert.equal(x.findings[0].id, 'monitor.bulk-failed');
      assert.match(x.findings[0].detail, /no module named "nosuch"/);
    }
    assert.equal(r.code, 3);
  });

  test('without a fleet at work: exit 3 at the deadline, with what came back and why', async () => {
    for (const h of fleet.splice(0)) await h.close();
    const file = join(dir, 'one.txt');
    writeFileSync(file, 'healthy.test\n');
    const r = await runCli(['check', '--file', file, '--queue', pg!.url, '--deadline', '3s'], { env: { MXDOCTOR_LOOPBACK_ONLY: '1' }, timeoutMs: 60_000 });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /check --queue: the deadline passed: 0 of 1 reports came back/);
  });

  test('a URL with a password, or --queue without --file, is a usage error', async () => {
    const withPw = await runCli(['check', '--file', '/dev/null', '--queue', 'postgres://u:secret@127.0.0.1/db']);
    assert.equal(withPw.code, 3);
    assert.match(withPw.stderr, /PGPASSWORD/);
    assert.ok(!withPw.stderr.includes('secret@'), 'the password is not echoed');
    const noFile = await runCli(['check', 'example.com', '--queue', pg!.url]);
    assert.equal(noFile.code, 3);
    assert.match(noFile.stderr, /go with --file/);
  });
});
