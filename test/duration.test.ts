// Durations that say their unit: one parser for every flag and config value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../src/core/duration.js';
import { durationOption } from '../src/cli/options.js';
import { UsageError } from '../src/core/errors.js';

test('units ms, s, m, h, d and combinations', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('1.5s'), 1_500);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration(' 2M '), 120_000);
  assert.equal(parseDuration('10 s'), 10_000);
  assert.equal(parseDuration('0s'), 0);
});

test('a bare number is in the default unit (old flags keep their old unit)', () => {
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration('250', 'ms'), 250);
  assert.equal(parseDuration('90', 's'), 90_000);
  assert.equal(parseDuration('0.5', 's'), 500);
});

test('bad input is a one-line UsageError naming the value and the fix', () => {
  for (const bad of ['', 'abc', '5x', '-5s', 's', '5s5', '1m1m', '5 seconds', '1e3', 'NaN', 'Infinity', '10s junk']) {
    assert.throws(() => parseDuration(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${bad}: ${String(e)}`);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    }, bad);
  }
  assert.throws(() => parseDuration('abc'), /"abc" is not a duration: write a number with a unit, e\.g\. 500ms/);
  assert.throws(() => parseDuration('400d'), /at most 366d/);
});

test('formatDuration writes what parseDuration reads back', () => {
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(30_000), '30s');
  assert.equal(formatDuration(1_500), '1.5s');
  assert.equal(formatDuration(120_000), '2m');
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(172_800_000), '2d');
  for (const ms of [0, 1, 999, 1_000, 1_001, 61_250, 3_600_000, 90_061_001]) assert.equal(parseDuration(formatDuration(ms)), ms);
});

test('durationOption names the flag and enforces its range', () => {
  const slow = durationOption('--slow', { defaultUnit: 's', minMs: 1, maxMs: 3_600_000 });
  assert.equal(slow('2'), 2_000);
  assert.equal(slow('500ms'), 500);
  assert.throws(() => slow('fast'), /^UsageError: --slow fast: not a duration: write a number with a unit/);
  assert.throws(() => slow('0'), /--slow 0: at least 1ms/);
  assert.throws(() => slow('2h'), /--slow 2h: at most 1h/);
});
