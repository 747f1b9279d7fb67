// The real-server suite, serve's local targets: `mxdoctor serve --once` with a `local: true`
// target pointed at one of the lab's Postfix instances (never.mail-lab.test: deferred and
// held mail), its Dovecot and mail store. Proves the scheduled path reads the real queue and
// daemons like check --local does, leaves the log part to the live watch, and stores the
// per-queue sizes as series.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreDb } from '../../src/monitor/store/open.js';
import { seriesPoints } from '../../src/monitor/store/queries.js';
import { DOVECOT_CONF, MAIL_RUN, mustHave, mxJson, postfixEtc, requireMailLab, show } from '../helpers/real-lab.js';

describe('mxdoctor serve: a local target on the lab machine', () => {
  before(() => requireMailLab(['127.0.2.40:25', '127.0.2.1:993']));

  test('serve --once checks the real queue, daemons and disk; queue sizes stored as series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxdoctor-serve-local-'));
    writeFileSync(join(dir, 'serve.yaml'), [
      'store: { path: state.db }',
      'modules:',
      '  lab:',
      `    local: { postfix_config: ["${postfixEtc('never')}"], dovecot_config: "${DOVECOT_CONF}", mail_store: ["${join(MAIL_RUN, 'dovecot', 'home')}"] }`,
      'targets:',
      '  - local: true',
      '    name: mailhost',
      '    module: lab',
      '',
    ].join('\n'));
    const { rep } = await mxJson(['serve', '--once', '--config', join(dir, 'serve.yaml')], { timeoutMs: 90_000 });
    assert.equal(rep.kind, 'local');
    assert.equal(rep.target, 'mailhost');
    mustHave(rep, 'queue.hold', 'warning');
    const deferred = rep.facts?.queue?.byQueue?.deferred as number;
    assert.ok(deferred >= 20, JSON.stringify(rep.facts?.queue?.byQueue));
    const master = Number(readFileSync(join(MAIL_RUN, 'postfix-never', 'queue', 'pid', 'master.pid'), 'utf8').trim());
    const running = rep.findings.filter((f) => f.id === 'host.daemon-running');
    assert.ok(running.some((f) => ((f.evidence?.pids ?? []) as number[]).includes(master)), show(running));
    assert.deepEqual(rep.findings.filter((f) => f.id.startsWith('logs.')), [], 'no log part: serve follows logs with log_files targets');
    const store = await openStoreDb({ path: join(dir, 'state.db') });
    try {
      const pts = await seriesPoints(store.db, 'mailhost', 'queue_deferred', 'minute', 0, 4e9);
      assert.deepEqual(pts.avg, [deferred]);
    } finally {
      await store.close();
    }
  });
});
