// The parsers never throw on hostile input: 20,000 seeded mutations of real records, replies
// and log lines (bench/fuzz-parsers.ts; `npm run bench` runs a million, BENCH_ONLY=fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzParsers, mutate, prng } from '../bench/fuzz-parsers.js';

test('the generator is seeded: the same seed gives the same inputs', () => {
  const a = prng(42);
  const b = prng(42);
  for (let i = 0; i < 50; i++) assert.equal(mutate('v=spf1 mx -all', a, 'v=DMARC1; p=none'), mutate('v=spf1 mx -all', b, 'v=DMARC1; p=none'));
});

test('20,000 fuzzed inputs over SPF, DMARC, DKIM, MTA-STS, TLSA, SMTP/IMAP/POP3 replies and log lines: no exception', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261207);
  const r = fuzzParsers(20_000, seed);
  assert.equal(r.inputs, 20_000);
  assert.ok(Object.keys(r.perParser).length >= 10, Object.keys(r.perParser).join(' '));
  assert.deepEqual(r.failures.slice(0, 5), [], `seed ${seed}: ${r.failures.length} exceptions`);
});
