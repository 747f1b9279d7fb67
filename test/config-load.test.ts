// The config file: the valid example loads into round-trip requests with defaults and
// overrides; each validation rule has its own invalid fixture, and its ConfigError names
// the file, the line and the fix, and never echoes a secret.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../src/core/errors.js';
import { loadConfig, parseConfig } from '../src/config/load.js';
import type { ConfigIo } from '../src/config/secret.js';

const DIR = fileURLToPath(new URL('./fixtures/config/', import.meta.url));
const SECRET_FILES: Record<string, string> = { [`${DIR}secrets/bob.pass`]: 'bob file secret\nsecond line ignored\n' };

function io(env: Record<string, string> = { TEST_SMTP_PASSWORD: 'smtp env secret', TEST_IMAP_PASSWORD: 'imap env secret' }): ConfigIo {
  return {
    env,
    readText(path) {
      if (path in SECRET_FILES) return SECRET_FILES[path]!;
      if (path.startsWith(DIR) && path.endsWith('.yaml')) return readFileSync(path, 'utf8');
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
  };
}

describe('config: the valid example', () => {
  test('two destinations: section defaults, destination overrides, secrets resolved, ports from the TLS mode', () => {
    const c = loadConfig(`${DIR}valid-two-destinations.yaml`, io());
    const rt = c.roundtrip!;
    assert.equal(rt.concurrency, 2);
    const [a, b] = rt.destinations;
    assert.equal(a!.name, 'own-domain');
    assert.deepEqual(a!.send, { host: 'smtp.sender.test', port: 587, security: 'starttls', from: 'alice@sender.test', to: 'bob@rcpt.test', auth: { user: 'alice@sender.test', password: 'smtp env secret' } });
    assert.deepEqual(a!.imap, { host: 'imap.rcpt.test', port: 993, security: 'implicit', user: 'bob@rcpt.test', password: 'bob file secret' });
    assert.deepEqual([a!.deadlineSeconds, a!.pollMs, a!.slowSeconds, a!.delete], [60, 500, 60, true]);
    assert.equal(b!.send.from, 'alice+probe@sender.test', 'a destination\'s send: overrides the section\'s');
    assert.equal(b!.send.host, 'smtp.sender.test');
    assert.deepEqual(b!.imap, { host: 'imap.other.test', port: 143, security: 'starttls', user: 'carol', password: 'imap env secret', timeoutMs: 5000 });
    assert.deepEqual([b!.deadlineSeconds, b!.delete], [300, false]);
  });

  test('a destination named by its address when it has no name; 465 means implicit TLS', () => {
    const c = parseConfig('roundtrip:\n  send: {server: "smtp.x.test:465", from: a@x.test}\n  destinations:\n    - to: b@y.test\n      imap: {server: imap.y.test, password_env: P}\n', '/tmp/x.yaml', { env: { P: 'p' }, readText: () => '' });
    assert.equal(c.roundtrip!.destinations[0]!.name, 'b@y.test');
    assert.equal(c.roundtrip!.destinations[0]!.send.security, 'implicit');
    assert.equal(c.roundtrip!.destinations[0]!.send.auth, undefined);
  });
});

// fixture → [line, what the message must say]
const INVALID: Record<string, [number | undefined, RegExp]> = {
  'invalid-yaml-syntax.yaml': [5, /not valid YAML.*fix the syntax/],
  'invalid-top-level-list.yaml': [2, /expected top-level sections such as "roundtrip:"/],
  'invalid-unknown-section.yaml': [2, /roundtrips: unknown key; did you mean "roundtrip"\?/],
  'invalid-empty.yaml': [undefined, /the file is empty/],
  'invalid-duplicate-key.yaml': [4, /not valid YAML.*(unique|DUPLICATE_KEY)/],
  'invalid-inline-password.yaml': [10, /roundtrip\.destinations\[0\]\.imap\.password: passwords are not written into the config file: use "password_env: VARIABLE".*"password_file: /],
  'invalid-both-secrets.yaml': [11, /imap\.password_file: give either password_env or password_file, not both/],
  'invalid-env-unset.yaml': [10, /the environment variable MXDOCTOR_TEST_UNSET_VARIABLE is not set.*export it/],
  'invalid-password-file-unreadable.yaml': [10, /cannot read .*secrets\/missing\.pass \(ENOENT\); give a readable file/],
  'invalid-imap-no-password.yaml': [9, /imap: give the mailbox password as password_env/],
  'invalid-no-destinations.yaml': [6, /destinations: list at least one destination/],
  'invalid-destination-no-to.yaml': [7, /destinations\[0\]: "to" is required/],
  'invalid-bad-address.yaml': [7, /to: "bob at rcpt.test" is not a mail address/],
  'invalid-bad-server.yaml': [9, /imap\.server: "imap\.rcpt\.test:99999" is not host or host:port/],
  'invalid-tls-mode.yaml': [6, /send\.tls: expected one of starttls, implicit, none/],
  'invalid-deadline-range.yaml': [3, /roundtrip\.deadline: expected a whole number from 1 to 86400 \(seconds\)/],
  'invalid-bool.yaml': [8, /destinations\[0\]\.delete: expected true or false/],
  'invalid-unknown-key.yaml': [3, /roundtrip\.dedline: unknown key; did you mean "deadline"\?/],
  'invalid-no-imap.yaml': [7, /"imap" is required/],
  'invalid-no-send-server.yaml': [4, /no submission server: give "send: server: host:port"/],
  'invalid-no-from.yaml': [6, /no sender: give "send: from: address"/],
  'invalid-duplicate-name.yaml': [12, /"same" names two destinations \(the other at line 7\)/],
  'invalid-user-without-password.yaml': [4, /roundtrip\.send: user given without password_env or password_file/],
  'invalid-ca-not-pem.yaml': [3, /ca\[0\]: .*bob\.pass is not a PEM certificate file/],
  'invalid-destination-not-mapping.yaml': [7, /destinations\[0\]: expected a destination mapping/],
};

describe('config: one invalid fixture per validation rule', () => {
  test('every invalid fixture is covered here, and every case has its fixture', () => {
    const files = readdirSync(DIR).filter((f) => f.startsWith('invalid-'));
    assert.deepEqual(files.sort(), Object.keys(INVALID).sort());
  });

  for (const [file, [line, message]] of Object.entries(INVALID)) {
    test(file, () => {
      const path = `${DIR}${file}`;
      let err: unknown;
      try {
        loadConfig(path, io());
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
      assert.equal(err.file, path);
      assert.equal(err.line, line, err.message);
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(`${path}${line ? `:${line}` : ''}: `), err.message);
      for (const secret of ['hunter2-do-not-echo', 'bob file secret', 'imap env secret', 'smtp env secret']) assert.ok(!err.message.includes(secret), `${file}: the message echoes a secret`);
    });
  }

  test('an unreadable config file is a ConfigError naming --config', () => {
    assert.throws(() => loadConfig(`${DIR}nope.yaml`, io()), (e: ConfigError) => e instanceof ConfigError && /ENOENT.*--config/.test(e.message));
  });

  test('a YAML error on a line holding a secret does not quote the line', () => {
    assert.throws(() => parseConfig('roundtrip:\n  send: {password_file: x, "hunter3-secret\n', '/tmp/s.yaml', io()),
      (e: ConfigError) => e instanceof ConfigError && !e.message.includes('hunter3') && /not valid YAML/.test(e.message));
  });
});
