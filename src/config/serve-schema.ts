// The one schema of `mxdoctor serve`'s config file (zod): targets, modules, schedule,
// store, listen address, probe allow-list, alert rules and channels. Secrets are only ever
// references (`*_env`, `*_file`); serve-load.ts resolves them and maps issues to lines.
import { z } from 'zod';
import { DOMAIN_CHECKS } from '../checks/index.js';
import { duration } from './serve-duration.js';
import { localModuleSchema } from './serve-local.js';

export { duration };

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable (letters, digits, _)' });
const path = z.string().min(1, { error: 'must not be empty' });
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: 'expected a name of letters, digits, _ . - (up to 63 characters)' });
const glob = z.string().regex(/^[A-Za-z0-9*?_.:\-[\]]+$/, { error: 'expected a name or glob such as *.example.com (letters, digits, . - _ : and * ?)' });
const domain = z.string().regex(/^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/, { error: 'expected a domain name such as example.com' });
/** host:port with a required port (IPv6 in brackets). */
export const hostPort = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([1-9][0-9]{0,4})$/, { error: 'expected host:port, e.g. 127.0.0.1:9723 or [::1]:9723' })
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, { error: 'the port must be 1-65535' });

/** The listen address may use port 0 (any free port: tests, one-off runs). */
const listenAddress = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(0|[1-9][0-9]{0,4})$/, { error: 'expected host:port, e.g. 127.0.0.1:9723 or [::1]:9723' })
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, { error: 'the port must be 1-65535' });

/** log_format values: auto, or the form every line must have (syslog covers RFC 3164, RFC 3339 and RFC 5424 stamps). */
export const LOG_FORMATS = ['auto', 'syslog', 'journald-json', 'exim', 'dovecot'] as const;

export const FAMILIES = DOMAIN_CHECKS.map((c) => c.family);

/** A password given inline: refused with the fix, never echoed. */
const inlineSecret = z.never({ error: 'secrets are not written into the config file: use the *_env (an environment variable) or *_file (its first line) key instead' }).optional();

const moduleSchema = z.strictObject({
  families: z.array(z.enum(FAMILIES, { error: `expected check families among ${FAMILIES.join(', ')}` })).min(1).optional(),
  timeout: duration.optional(),
  probe_servers: z.boolean().default(true),
  dkim_selectors: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a DKIM selector (letters, digits, _ . -)' })).default([]),
  cert_warn_days: z.int().min(1).max(365).default(30),
  cert_crit_days: z.int().min(0).max(365).default(7),
  dnsbl_zones: z.array(domain).default([]),
  resolver: hostPort.optional(),
  dns_timeout: duration.optional(),
  /** A server reply slower than this is a warning (default 500ms). */
  slow: duration.optional(),
  /** Extra CA certificates (PEM files) trusted for the servers and HTTPS policy fetches. */
  ca: z.array(path).optional(),
  /** How a `local: true` target checks this machine (serve-local.ts). */
  local: localModuleSchema.optional(),
  /** The login test of IMAP and POP3 host targets (RFC 9051 §6.2.3, RFC 1939 §7): the account, its password by reference. */
  user: z.string().min(1, { error: 'must not be empty' }).optional(),
  password: inlineSecret,
  password_env: envName.optional(),
  password_file: path.optional(),
}).refine((m) => m.cert_crit_days < m.cert_warn_days, { error: 'cert_crit_days must be below cert_warn_days', path: ['cert_crit_days'] })
  .refine((m) => !(m.password_env && m.password_file), { error: 'give either password_env or password_file, not both', path: ['password_file'] })
  .refine((m) => !m.user || m.password_env || m.password_file, { error: 'user: needs password_env or password_file (the login test\'s password)', path: ['user'] })
  .refine((m) => m.user || !(m.password_env || m.password_file), { error: 'a password needs user: (the account the login test logs in as)', path: ['password_env'] });

const targetSchema = z.strictObject({
  name: name.optional(),
  domain: domain.optional(),
  host: hostPort.optional(),
  local: z.literal(true, { error: 'expected true (checks the machine mxdoctor runs on)' }).optional(),
  module: name.optional(),
  interval: duration.optional(),
  /** A log target: the mail logs serve follows (logwatch/), read as `mxdoctor logs --follow` does. */
  log_files: z.array(path).min(1, { error: 'name at least one file, e.g. [/var/log/mail.log]' }).max(16, { error: 'at most 16 files per log target; split them over several targets' }).optional(),
  /** auto (default): each line's own form; otherwise lines in another form are counted and reported. */
  log_format: z.enum(LOG_FORMATS, { error: `expected one of ${LOG_FORMATS.join(', ')}` }).optional(),
  /** Where a file seen for the first time is read from (later: the saved read position). */
  log_start: z.enum(['end', 'beginning'], { error: 'expected end (only new lines, as tail -F) or beginning (the whole file first)' }).optional(),
  /** The span of lines the detectors judge at each run (sliding, in half-window steps). */
  log_window: duration.optional(),
  /** A round-trip target: the name of a destination of the file's roundtrip: section (docs/config.md). */
  roundtrip: name.optional(),
}).refine((t) => [t.domain, t.host, t.local, t.log_files, t.roundtrip].filter((x) => x !== undefined).length === 1, {
  error: 'give exactly one of domain: (a mail domain), host: (host:port of one server), local: true, log_files: (mail logs to follow) or roundtrip: (a destination of the roundtrip: section)',
}).refine((t) => t.log_files !== undefined || (t.log_format ?? t.log_start ?? t.log_window) === undefined, {
  error: 'log_format, log_start and log_window belong to a log target: add log_files: [...] or remove them',
}).refine((t) => t.log_window === undefined || (t.log_window >= 60_000 && t.log_window <= 7 * 86_400_000), {
  error: 'log_window must be between 1m and 7d', path: ['log_window'],
});

const ruleSchema = z.strictObject({
  name,
  targets: z.array(glob).default(['*']),
  severity: z.enum(['warning', 'critical', 'unknown'], { error: 'expected warning, critical or unknown (fires at that status or worse)' }).optional(),
  cert_days_below: z.int().min(1).max(365).optional(),
  queue_size_above: z.int().min(0).optional(),
  delivery_seconds_above: z.number().positive().optional(),
  status_change: z.literal(true).optional(),
  for: z.int().min(1).max(100).default(1),
  repeat: duration.prefault('4h'),
  channels: z.array(name).min(1, { error: 'name at least one channel of channels:' }),
}).refine((r) => [r.severity, r.cert_days_below, r.queue_size_above, r.delivery_seconds_above, r.status_change].filter((x) => x !== undefined).length === 1, {
  error: 'give exactly one condition: severity, cert_days_below, queue_size_above, delivery_seconds_above or status_change',
});

const maintenanceSchema = z.strictObject({
  targets: z.array(glob).default(['*']),
  from: z.iso.datetime({ offset: true, error: 'expected an ISO time such as 2026-12-24T22:00:00Z' }),
  until: z.iso.datetime({ offset: true, error: 'expected an ISO time such as 2026-12-25T02:00:00Z' }),
  comment: z.string().optional(),
}).refine((w) => Date.parse(w.from) < Date.parse(w.until), { error: 'until must be after from', path: ['until'] });

const remediationSchema = z.strictObject({
  name,
  /** Runs when this alert rule fires for a target. */
  rule: name,
  argv: z.array(z.string().min(1)).min(1, { error: 'expected the program and its arguments as a list, e.g. [/usr/sbin/postqueue, -f]' }),
  /** Off by default: the action is only logged and audited as what it would run. */
  execute: z.boolean().default(false),
  cooldown: duration.prefault('1h'),
  timeout: duration.prefault('60s'),
});

const webhook = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  url_env: envName.optional(),
  format: z.enum(['json', 'slack']).default('json'),
  timeout: duration.prefault('10s'),
}).refine((c) => (c.url === undefined) !== (c.url_env === undefined), { error: 'give either url: or url_env: (a URL holding a token belongs in the environment)' });

const email = z.strictObject({
  type: z.literal('email'),
  server: hostPort,
  tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
  from: z.email({ error: 'expected an address such as mxdoctor@example.com' }),
  to: z.array(z.email({ error: 'expected an address such as ops@example.com' })).min(1),
  user: z.string().optional(),
  password: inlineSecret,
  password_env: envName.optional(),
  password_file: path.optional(),
  timeout: duration.prefault('30s'),
}).refine((c) => !(c.password_env && c.password_file), { error: 'give either password_env or password_file, not both', path: ['password_file'] })
  .refine((c) => !c.user || c.password_env || c.password_file, { error: 'user: needs password_env or password_file', path: ['user'] });

const command = z.strictObject({
  type: z.literal('command'),
  argv: z.array(z.string().min(1)).min(1, { error: 'expected the program and its arguments as a list, e.g. [/usr/local/bin/notify, --urgent]' }),
  timeout: duration.prefault('30s'),
});

const channelSchema = z.discriminatedUnion('type', [webhook, email, command], { error: 'expected type: webhook, email or command' });

export const serveSchema = z.strictObject({
  listen: z.strictObject({
    address: listenAddress.default('127.0.0.1:9723'),
    token: inlineSecret,
    token_env: envName.optional(),
    token_file: path.optional(),
    hosts: z.array(domain).default([]),
  }).prefault({}),
  store: z.strictObject({
    path: path.optional(),
    url: z.string().regex(/^postgres(ql)?:\/\/[^:@/]+@/, { error: 'expected postgres://user@host:port/database (the password goes in password_env or password_file)' }).optional(),
    password: inlineSecret,
    password_env: envName.optional(),
    password_file: path.optional(),
    /** Several serve instances on this PostgreSQL store share the runs through a job queue (pg-boss). */
    queue: z.boolean().default(false),
    queue_poll: duration.prefault('2s'),
    queue_maintenance: duration.prefault('60s'),
    retention: z.strictObject({
      minute: duration.prefault('2d'), hour: duration.prefault('90d'), day: duration.prefault('366d'), reports: duration.prefault('30d'),
    }).prefault({}),
  }).prefault({}),
  schedule: z.strictObject({
    interval: duration.prefault('5m'),
    jitter: duration.prefault('10s'),
    timeout: duration.prefault('2m'),
    concurrency: z.int().min(1).max(256).default(4),
    max_backoff: duration.prefault('1h'),
  }).prefault({}),
  sla: z.strictObject({ objective: z.number().gt(0).lt(100).default(99.95) }).prefault({}),
  modules: z.record(name, moduleSchema).default({}),
  targets: z.array(targetSchema).min(1, { error: 'list at least one target, e.g. "- domain: example.com"' }),
  probe: z.strictObject({ allow: z.array(glob).default([]) }).prefault({}),
  alerts: z.strictObject({
    rules: z.array(ruleSchema).default([]),
    maintenance: z.array(maintenanceSchema).default([]),
  }).prefault({}),
  channels: z.record(name, channelSchema).default({}),
  remediation: z.array(remediationSchema).default([]),
  roundtrip: z.unknown().optional(),
});

export type ServeFile = z.output<typeof serveSchema>;
/** A module as configured, plus the PEM text of its `ca` files once read. */
export type ModuleConfig = z.output<typeof moduleSchema> & {
  ca_pem?: string[];
  /** user and the password read from password_env/password_file (never from the file itself). */
  credentials?: { user: string; password: string };
};
export type TargetConfig = z.output<typeof targetSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type RemediationConfig = z.output<typeof remediationSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
