// What a new user meets first: messages, help, global options, usage errors (issue 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli.js';

test('blacklist names the space in "not a host" instead of "single label"', async () => {
  const r = await runCli(['blacklist', 'not a host']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mxdoctor: "not a host" is not an IP address or a name: it contains a space/);
  assert.doesNotMatch(r.stderr, /single label/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
