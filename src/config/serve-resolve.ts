// The checked schema output → the running config: module and channel references checked,
// target names made unique, secrets read from the environment or files (never inline),
// a non-loopback listen address refused without a token. Problems are collected.
import net from 'node:net';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { configRelative } from './secret.js';
import type { ConfigIo } from './secret.js';
import { localPaths } from './serve-local.js';
import { roundtripDestination } from './serve-roundtrip.js';
import type { RoundtripConfig } from './roundtrip.js';
import type { RoundtripRequest } from '../roundtrip/types.js';
import type { LOG_FORMATS } from './serve-schema.js';
import type { ChannelConfig, ModuleConfig, RemediationConfig, RuleConfig, ServeFile } from './serve-schema.js';
import type { Problems } from './serve-load.js';

export interface MonitorTarget {
  name: string;
  kind: 'domain' | 'host' | 'local' | 'logs' | 'roundtrip';
  /** A round-trip target's destination (its passwords read from their references). */
  roundtrip?: RoundtripRequest;
  /** The domain, or the host of a host target. */
  address: string;
  port?: number;
  module: string;
  intervalMs: number;
  logFiles: string[];
  /** A log target's watch settings (logs kind only). */
  logs?: LogWatchConfig;
}

export interface LogWatchConfig {
  format: (typeof LOG_FORMATS)[number];
  start: 'end' | 'beginning';
  windowMs: number;
}

/** The detectors judge the last hour by default: long enough for "20 failed logins from one address". */
export const DEFAULT_LOG_WINDOW_MS = 3_600_000;

export type ResolvedChannel = ChannelConfig & { name: string; secret?: string };

export interface ServeConfig {
  file: string;
  listen: { host: string; port: number; token?: string; hosts: string[] };
  store: { path?: string; url?: string; password?: string; retention: ServeFile['store']['retention']; queue?: { pollMs: number; maintenanceMs: number } };
  schedule: ServeFile['schedule'];
  objective: number;
  modules: Record<string, ModuleConfig>;
  targets: MonitorTarget[];
  probeAllow: string[];
  rules: RuleConfig[];
  maintenance: ServeFile['alerts']['maintenance'];
  channels: Record<string, ResolvedChannel>;
  remediation: RemediationConfig[];
}

export const DEFAULT_MODULE: ModuleConfig = { probe_servers: true, dkim_selectors: [], cert_warn_days: 30, cert_crit_days: 7, dnsbl_zones: [] };

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

export function splitHostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
}

/** `roundtrip`: the file's roundtrip: section as `mxdoctor roundtrip --config` reads it, when it has one. */
export function resolveServeConfig(f: ServeFile, file: string, io: ConfigIo, problems: Problems, roundtrip?: RoundtripConfig): ServeConfig {
  const secret = (path: PropertyKey[], env?: string, fileRef?: string, what = 'the secret'): string | undefined => {
    if (env !== undefined) {
      const v = io.env[env];
      if (!v) problems.add(path, `the environment variable ${env} (${what}) is not set or empty; export it before starting mxdoctor`);
      return v || undefined;
    }
    if (fileRef !== undefined) {
      const p = configRelative(file, fileRef);
      try {
        const line = io.readText(p).split(/\r?\n/)[0] ?? '';
        if (!line) problems.add(path, `${p}: the first line is empty; put ${what} on it`);
        return line || undefined;
      } catch (e) {
        problems.add(path, `cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a readable file holding ${what} on its first line`);
      }
    }
    return undefined;
  };

  const modules: Record<string, ModuleConfig> = { default: DEFAULT_MODULE, ...f.modules };
  for (const [mname, m] of Object.entries(modules)) {
    if (m === DEFAULT_MODULE) continue;
    if (m.local) m.local = localPaths(m.local, file);
    const password = m.password_env !== undefined ? secret(['modules', mname, 'password_env'], m.password_env, undefined, 'the login test\'s password')
      : secret(['modules', mname, 'password_file'], undefined, m.password_file, 'the login test\'s password');
    if (m.user && password) m.credentials = { user: m.user, password };
    m.ca_pem = [];
    (m.ca ?? []).forEach((ref, i) => {
      const p = configRelative(file, ref);
      try {
        const pem = io.readText(p);
        if (/-----BEGIN CERTIFICATE-----/.test(pem)) m.ca_pem!.push(pem);
        else problems.add(['modules', mname, 'ca', i], `${p} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
      } catch (e) {
        problems.add(['modules', mname, 'ca', i], `cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a PEM file with the CA certificate`);
      }
    });
  }
  const listenAddr = splitHostPort(f.listen.address);
  if (f.listen.token_env && f.listen.token_file) problems.add(['listen', 'token_file'], 'give either token_env or token_file, not both');
  const token = f.listen.token_env !== undefined ? secret(['listen', 'token_env'], f.listen.token_env, undefined, 'the API token')
    : secret(['listen', 'token_file'], undefined, f.listen.token_file, 'the API token');
  if (token !== undefined && token.length < 16) problems.add(['listen', f.listen.token_env ? 'token_env' : 'token_file'], 'the API token is shorter than 16 characters; use a long random one (openssl rand -hex 32)');
  if (!isLoopback(listenAddr.host) && !token) problems.add(['listen', 'address'], `${f.listen.address} is not a loopback address: set token_env or token_file so that only holders of the token can use the API`);

  if (f.store.path && f.store.url) problems.add(['store', 'url'], 'give either path: (SQLite) or url: (PostgreSQL), not both');
  // A log target reads this machine's files and keeps its read position under its name: in a
  // fleet the queue would run it on any instance, and the instances would share one position.
  f.targets.forEach((t, i) => {
    if (f.store.queue && t.log_files) problems.add(['targets', i, 'log_files'], 'log targets watch the files of the machine serve runs on, which a shared job queue (store.queue: true) does not: run them in a serve of that machine without store.queue (its own store)');
  });
  if (f.store.queue && !f.store.url) problems.add(['store', 'queue'], 'the shared job queue needs a PostgreSQL store: set store.url (every instance of the fleet uses the same one)');
  if (f.store.password_env && f.store.password_file) problems.add(['store', 'password_file'], 'give either password_env or password_file, not both');
  const storePassword = f.store.password_env !== undefined ? secret(['store', 'password_env'], f.store.password_env, undefined, 'the database password')
    : secret(['store', 'password_file'], undefined, f.store.password_file, 'the database password');

  const names = new Set<string>();
  const targets: MonitorTarget[] = [];
  const watched = new Set<string>();
  f.targets.forEach((t, i) => {
    const module = t.module ?? 'default';
    if (!modules[module]) problems.add(['targets', i, 'module'], `no module named "${module}"; define it under modules: or use one of ${Object.keys(modules).join(', ')}`);
    const hp = t.host ? splitHostPort(t.host) : undefined;
    const kind = t.domain ? 'domain' : t.host ? 'host' : t.log_files ? 'logs' : t.roundtrip ? 'roundtrip' : 'local';
    const dest = t.roundtrip !== undefined ? roundtripDestination(t.roundtrip, roundtrip, f.roundtrip !== undefined, f.schedule.timeout, ['targets', i, 'roundtrip'], problems) : undefined;
    const address = (t.domain ?? hp?.host ?? 'localhost').toLowerCase().replace(/\.$/, '');
    const logFiles = (t.log_files ?? []).map((p) => configRelative(file, p));
    const name = t.name ?? (kind === 'host' ? t.host! : kind === 'local' ? 'local' : kind === 'logs' ? `logs:${basename(logFiles[0]!)}` : kind === 'roundtrip' ? `roundtrip:${t.roundtrip}` : address);
    if (names.has(name)) problems.add(['targets', i, t.name ? 'name' : kind], `the target name "${name}" is used twice; give one of them name: (names must be unique)`);
    names.add(name);
    if (kind === 'logs') checkLogFiles(logFiles, ['targets', i, 'log_files'], watched, problems);
    targets.push({
      name, kind, address, ...(hp ? { port: hp.port } : {}), module, intervalMs: t.interval ?? f.schedule.interval, logFiles,
      ...(dest ? { roundtrip: dest } : {}),
      ...(kind === 'logs' ? { logs: { format: t.log_format ?? 'auto', start: t.log_start ?? 'end', windowMs: t.log_window ?? DEFAULT_LOG_WINDOW_MS } } : {}),
    });
  });

  const channels: Record<string, ResolvedChannel> = {};
  for (const [cname, c] of Object.entries(f.channels)) {
    let s: string | undefined;
    if (c.type === 'webhook') s = c.url_env !== undefined ? secret(['channels', cname, 'url_env'], c.url_env, undefined, 'the webhook URL') : undefined;
    if (c.type === 'email') s = c.password_env !== undefined ? secret(['channels', cname, 'password_env'], c.password_env, undefined, 'the SMTP password') : secret(['channels', cname, 'password_file'], undefined, c.password_file, 'the SMTP password');
    if (c.type === 'webhook' && c.url_env !== undefined && s && !/^https?:\/\//.test(s)) problems.add(['channels', cname, 'url_env'], `the environment variable ${c.url_env} does not hold an http:// or https:// URL`);
    channels[cname] = { ...c, name: cname, ...(s !== undefined ? { secret: s } : {}) };
  }
  const ruleNames = new Set<string>();
  f.alerts.rules.forEach((r, i) => {
    if (ruleNames.has(r.name)) problems.add(['alerts', 'rules', i, 'name'], `the rule name "${r.name}" is used twice; rule names must be unique`);
    ruleNames.add(r.name);
    r.channels.forEach((c, j) => {
      if (!channels[c]) problems.add(['alerts', 'rules', i, 'channels', j], `no channel named "${c}"; define it under channels:${Object.keys(channels).length ? ` or use one of ${Object.keys(channels).join(', ')}` : ''}`);
    });
  });
  const remNames = new Set<string>();
  f.remediation.forEach((r, i) => {
    if (remNames.has(r.name)) problems.add(['remediation', i, 'name'], `the remediation name "${r.name}" is used twice; names must be unique`);
    remNames.add(r.name);
    if (!ruleNames.has(r.rule)) problems.add(['remediation', i, 'rule'], `no alert rule named "${r.rule}"; a remediation runs when that rule fires (define it under alerts.rules)`);
  });
  return {
    file,
    listen: { ...listenAddr, ...(token ? { token } : {}), hosts: f.listen.hosts },
    store: { ...(f.store.url ? {} : { path: configRelative(file, f.store.path ?? 'mxdoctor.db') }), ...(f.store.url ? { url: f.store.url } : {}), ...(storePassword ? { password: storePassword } : {}), retention: f.store.retention,
      ...(f.store.queue ? { queue: { pollMs: f.store.queue_poll, maintenanceMs: f.store.queue_maintenance } } : {}) },
    schedule: f.schedule,
    objective: Math.round(f.sla.objective * 1e4) / 1e6,
    modules,
    targets,
    probeAllow: f.probe.allow,
    rules: f.alerts.rules,
    maintenance: f.alerts.maintenance,
    channels,
    remediation: f.remediation,
  };
}

/**
 * A log file may not exist yet (it is waited for), but a directory is a mistake, and one
 * file in two targets would be read and counted twice.
 */
function checkLogFiles(files: string[], at: PropertyKey[], watched: Set<string>, problems: Problems): void {
  files.forEach((p, j) => {
    if (watched.has(p)) problems.add([...at, j], `${p} is already watched by another log target (its lines would be counted twice); list it once`);
    watched.add(p);
    let dir = false;
    try { dir = statSync(p).isDirectory(); } catch { /* not there yet: followed once it appears */ }
    if (dir) problems.add([...at, j], `${p} is a directory; name the log file in it, e.g. ${p.replace(/\/$/, '')}/mail.log`);
  });
}
