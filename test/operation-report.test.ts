import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operationReport } from '../src/core/report.js';

test('operationReport: worst severity decides status and exit code; ignored ids are counted, not shown', () => {
  const r = operationReport({
    target: 'smtp.example.test:587', kind: 'send', startedAt: new Date(0), durationMs: 12.4,
    parts: [
      { check: 'send', area: 'Send', findings: [
        { id: 'send.accepted', severity: 'ok', title: 'accepted' },
        { id: 'send.slow', severity: 'warning', title: 'slow' },
        { id: 'send.noise', severity: 'critical', title: 'ignored one' },
      ] },
    ],
    facts: { send: { queueId: 'ABC' } },
    ignore: (id) => id === 'send.noise',
  });
  assert.equal(r.status, 'warning');
  assert.equal(r.exitCode, 1);
  assert.deepEqual(r.ignored, { 'send.noise': 1 });
  assert.deepEqual(r.findings.map((f) => f.id), ['send.slow', 'send.accepted']);
  assert.equal(r.findings[0]!.area, 'Send');
  assert.deepEqual(r.facts, { send: { queueId: 'ABC' } });
  assert.equal(r.durationMs, 12);
  assert.equal(r.checks[0]!.status, 'critical', 'the part status is what it found, before --ignore');
});
