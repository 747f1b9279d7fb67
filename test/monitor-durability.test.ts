// kill -9 in the middle of writes loses no committed run: every id the writer printed after
// its commit is in the store when it is opened again, the database is intact, and the
// monitor resumes from the stored state (targets are not "pending" after a restart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openStoreDb } from '../src/monitor/store/open.js';
import { targetStates } from '../src/monitor/store/queries.js';

test('kill -9 while storing runs loses no committed run; the store reopens intact', async () => {
  const file = `${mkdtempSync('/tmp/mxdoctor-durable-')}/store.db`;
  const writer = fileURLToPath(new URL('./helpers/store-writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const committed: number[] = [];
  let buf = '';
  await new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) committed.push(Number(l));
      // Kill in the middle of the stream of writes, not at a quiet moment.
      if (committed.length >= 300 && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
  assert.ok(committed.length >= 300);
  const store = await openStoreDb({ path: file });
  try {
    const rows = await store.db.selectFrom('runs').select('id').execute();
    const have = new Set(rows.map((r) => Number(r.id)));
    const lost = committed.filter((id) => !have.has(id));
    assert.deepEqual(lost, [], 'runs reported committed are all there');
    const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db);
    assert.equal(check.rows[0]!.integrity_check, 'ok');
    // Everything a run writes is in one transaction: the state points at a stored run.
    const states = await targetStates(store.db);
    assert.equal(states.length, 5);
    for (const s of states) assert.ok(have.has(Number(s.last_run_id)), `state of ${s.target} points at a stored run`);
  } finally {
    await store.close();
  }
});
