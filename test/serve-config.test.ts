// The serve config: the complete example loads with defaults and resolved secrets; each
// validation rule has an invalid fixture whose error names the file, the line and the fix,
// and never echoes a secret; a file with several problems reports all of them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateServeConfig, loadServeConfig } from '../src/config/serve-load.js';
import type { ConfigIo } from '../src/config/secret.js';
import { ConfigError } from '../src/core/errors.js';

const DIR = fileURLToPath(new URL('./fixtures/serve-config/', import.meta.url));
const ENV = { TEST_API_TOKEN: 'a-long-api-token-0123456789', TEST_SLACK_URL: 'https://hooks.slack.example/T000/B000/XXXX', TEST_SHORT_TOKEN: 'short' };

function io(env: Record<string, string> = ENV): ConfigIo {
  return {
    env,
    readText(path) {
      if (path === `${DIR}secrets/smtp.pass`) return 'smtp-file-secret\n';
      if (path === `${DIR}imap.pass`) return 'imap-file-secret\n';
      if (path.startsWith(DIR) && path.endsWith('.yaml')) return readFileSync(path, 'utf8');
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    },
  };
}

describe('serve config: the complete example', () => {
  test('loads: defaults, module references, secrets from env and file, relative store path', () => {
    const c = loadServeConfig(`${DIR}valid-full.yaml`, io());
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 9723, token: ENV.TEST_API_TOKEN, hosts: ['mxdoctor.internal'] });
    assert.equal(c.store.path, `${DIR}state/mxdoctor.db`);
    assert.deepEqual(c.store.retention, { minute: 86_400_000, hour: 30 * 86_400_000, day: 365 * 86_400_000, reports: 7 * 86_400_000 });
    assert.deepEqual(c.schedule, { interval: 300_000, jitter: 20_000, timeout: 90_000, concurrency: 8, max_backoff: 1_800_000 });
    assert.equal(c.objective, 0.999);
    assert.deepEqual(Object.keys(c.modules).sort(), ['default', 'dns_only', 'smtp']);
    assert.equal(c.modules.dns_only!.probe_servers, false);
    assert.equal(c.modules.smtp!.cert_warn_days, 21);
    assert.deepEqual(c.targets.map((t) => [t.name, t.kind, t.address, t.port, t.module, t.intervalMs]), [
      ['example.com', 'domain', 'example.com', undefined, 'default', 300_000],
      ['example.org', 'domain', 'example.org', undefined, 'dns_only', 900_000],
      ['mx1', 'host', 'mx1.example.com', 25, 'smtp', 300_000],
      ['logs:mail.log', 'logs', 'localhost', undefined, 'default', 60_000],
      ['exim', 'logs', 'localhost', undefined, 'default', 300_000],
    ]);
    // Log files relative to the config file, the watch settings defaulted or as given.
    assert.deepEqual(c.targets[3]!.logFiles, [`${DIR}logs/mail.log`, '/var/log/mail.err']);
    assert.deepEqual(c.targets[3]!.logs, { format: 'syslog', start: 'end', windowMs: 3_600_000 });
    assert.deepEqual(c.targets[4]!.logs, { format: 'auto', start: 'beginning', windowMs: 900_000 });
    assert.equal(c.rules.length, 3);
    assert.equal(c.rules[0]!.for, 2);
    assert.equal(c.rules[1]!.repeat, 86_400_000);
    assert.equal(c.rules[0]!.repeat, 4 * 3_600_000, 'repeat defaults to 4h');
    assert.equal(c.channels.slack!.secret, ENV.TEST_SLACK_URL);
    assert.equal(c.channels['ops-mail']!.secret, 'smtp-file-secret');
    assert.equal(c.maintenance.length, 1);
  });

  test('a minimal file: one domain, everything else defaulted; loopback without a token is fine', () => {
    const v = validateServeConfig('targets:\n  - domain: Example.COM.\n', '/etc/mx/serve.yaml', io({}));
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.config!.listen, { host: '127.0.0.1', port: 9723, hosts: [] });
    assert.equal(v.config!.targets[0]!.name, 'example.com');
    assert.equal(v.config!.store.path, '/etc/mx/mxdoctor.db');
  });
});

// fixture → [line, what the message must say]
const INVALID: [string, number | undefined, string][] = [
  ['yaml-syntax', 3, "not valid YAML"],
  ['empty', undefined, "the file is empty"],
  ['no-targets', 1, "list at least one target"],
  ['unknown-top-key', 1, "did you mean \"targets\""],
  ['unknown-module-key', 5, "did you mean \"families\""],
  ['bad-family', 5, "expected check families among"],
  ['target-two-kinds', 2, "give exactly one of domain:"],
  ['target-no-kind', 2, "give exactly one of domain:"],
  ['host-without-port', 2, "expected host:port"],
  ['port-range', 2, "the port must be 1-65535"],
  ['bad-duration', 4, 'is not a duration: write a number with a unit'],
  ['unknown-module-ref', 5, "no module named \"smtp_tsl\""],
  ['duplicate-target', 3, "used twice"],
  ['inline-password', 10, "secrets are not written into the config file"],
  ['inline-token', 4, "secrets are not written into the config file"],
  ['env-unset', 4, "is not set or empty"],
  ['token-file-unreadable', 4, "cannot read"],
  ['non-loopback-no-token', 4, "is not a loopback address"],
  ['short-token', 4, "shorter than 16 characters"],
  ['store-both', 5, "not both"],
  ['store-url-password', 4, "the password goes in password_env"],
  ['rule-two-conditions', 5, "give exactly one condition"],
  ['rule-no-condition', 5, "give exactly one condition"],
  ['rule-unknown-channel', 7, "no channel named \"nosuch\""],
  ['rule-duplicate-name', 6, "used twice"],
  ['rule-bad-severity', 5, "expected warning, critical or unknown"],
  ['channel-bad-type', 5, "expected type: webhook, email or command"],
  ['webhook-url-and-env', 4, "give either url: or url_env:"],
  ['webhook-not-http', 6, "http:// or https://"],
  ['email-user-no-password', 9, "user: needs password_env or password_file"],
  ['email-bad-address', 7, "expected an address"],
  ['command-empty-argv', 6, "expected the program and its arguments"],
  ['maintenance-order', 6, "until must be after from"],
  ['cert-days-order', 6, "cert_crit_days must be below cert_warn_days"],
  ['module-user-no-password', 3, "user: needs password_env or password_file"],
  ['module-password-no-user', 3, "a password needs user:"],
  ['module-password-both', 5, "give either password_env or password_file, not both"],
  ['module-inline-password', 4, "secrets are not written into the config file"],
  ['roundtrip-no-section', 2, "no roundtrip: section in this file"],
  ['roundtrip-unknown-destination', 2, "no destination named \"carol\""],
  ['roundtrip-timeout', 3, "raise schedule.timeout to at least 150s"],
  ['local-queue-order', 5, "queue_crit must be above queue_warn"],
  ['local-disk-order', 5, "disk_crit must be above disk_warn"],
  ['local-disk-range', 4, "expected a whole percentage (1-100)"],
  ['local-exim-and-postfix', 5, "give either exim: true or postfix_config:"],
  ['local-unknown-key', 4, "did you mean \"mail_store\""],
  ['local-max-age', 4, "expected a duration"],
  ['log-files-on-domain', 2, "log_files: (mail logs to follow)"],
  ['log-files-empty', 3, "name at least one file"],
  ['log-format', 3, "expected one of auto, syslog, journald-json, exim, dovecot"],
  ['log-start', 3, "expected end (only new lines"],
  ['log-window-range', 3, "log_window must be between 1m and 7d"],
  ['log-options-without-files', 2, "belong to a log target"],
  ['log-file-twice', 7, "already watched by another log target"],
  ['log-file-directory', 3, "is a directory"],
  ['log-files-in-fleet', 6, "a shared job queue (store.queue: true) does not"],
  ['bad-domain', 2, "expected a domain name"],
  ['concurrency-range', 4, ">=1"],
  ['duplicate-yaml-key', 3, "not valid YAML"],
  ['module-ca-not-pem', 5, 'holds no PEM certificate'],
  ['top-level-list', 1, "expected object"],
];

describe('serve config: every rule has an invalid fixture', () => {
  for (const [name, line, says] of INVALID) {
    test(name, () => {
      const file = `${DIR}invalid-${name}.yaml`;
      const v = validateServeConfig(readFileSync(file, 'utf8'), file, io());
      assert.equal(v.config, undefined, 'must not load');
      assert.ok(v.errors.length >= 1);
      const hit = v.errors.find((e) => e.message.includes(says));
      assert.ok(hit, `expected "${says}" in: ${v.errors.map((e) => e.message).join(' | ')}`);
      assert.ok(hit instanceof ConfigError);
      assert.equal(hit.file, file);
      assert.equal(hit.line, line, hit.message);
      for (const e of v.errors) assert.ok(!/hunter2/.test(e.message), `a secret was echoed: ${e.message}`);
    });
  }

  test('a file with several problems reports every one, each with its line', () => {
    const text = 'tragets: 1\nschedule:\n  interval: soon\n  concurrency: 0\nprobe:\n  allow: ["bad pattern"]\n';
    const v = validateServeConfig(text, '/x.yaml', io());
    const lines = v.errors.map((e) => e.line).sort();
    assert.ok(v.errors.length >= 4, v.errors.map((e) => e.message).join('\n'));
    assert.deepEqual([...new Set(lines)].sort(), [1, 3, 4, 6]);
  });

  test('loadServeConfig throws one ConfigError listing all problems', () => {
    assert.throws(() => loadServeConfig(`${DIR}invalid-rule-two-conditions.yaml`, io()), (e: Error) => e instanceof ConfigError && /give exactly one condition/.test(e.message));
  });
});
