// The `roundtrip:` section: one submission account (`send:`) and several destinations,
// each with the mailbox to look in; settings at the section level are defaults that a
// destination may override. See docs/config.md.
import { parseServer } from '../io/resolver.js';
import { DEFAULTS, defaultPortFor, imapSecurityFor, sendSecurityFor } from '../roundtrip/defaults.js';
import type { RoundtripRequest } from '../roundtrip/types.js';
import { MapReader } from './reader.js';
import { configRelative, INLINE_PASSWORD, readSecret, SECRET_KEYS } from './secret.js';
import type { ConfigIo } from './secret.js';

export interface RoundtripConfig {
  /** Destinations run at once. */
  concurrency: number;
  destinations: RoundtripRequest[];
}

const TUNING = ['deadline', 'poll', 'slow', 'delete', 'insecure'] as const;
const SEND_KEYS = ['server', 'tls', 'from', 'user', ...SECRET_KEYS, 'ehlo', 'subject', 'step_timeout'] as const;
const IMAP_KEYS = ['server', 'tls', 'user', ...SECRET_KEYS, 'timeout'] as const;
const NO_PASSWORD = { password: INLINE_PASSWORD, pass: INLINE_PASSWORD };
// The envelope rules of src/send/limits.ts: one path argument, nothing that breaks out of a command.
const ADDRESS = /^[^\s<>"@\x00-\x1f\x7f]+@[^\s<>"@\x00-\x1f\x7f]+$/;
const HELO = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f.:IPv]+\])$/;

export function readRoundtripSection(m: MapReader, io: ConfigIo): RoundtripConfig {
  m.onlyKeys(['concurrency', 'ca', 'send', 'destinations', ...TUNING]);
  const sendDefaults = m.map('send');
  sendDefaults?.onlyKeys(SEND_KEYS, NO_PASSWORD);
  const ca = m.list('ca').map(({ node, path }) => readCa(m, node, path, io));
  const dests = m.list('destinations');
  if (!dests.length) throw m.src.error(m.lineNode('destinations'), m.sub('destinations'), 'list at least one destination (to: and imap:)');
  const names = new Map<string, number | undefined>();
  const destinations = dests.map(({ node, path }) => {
    const d = MapReader.of(m.src, node, path, 'a destination mapping (name, to, imap, ...)');
    d.onlyKeys(['name', 'to', 'imap', 'send', ...TUNING], NO_PASSWORD);
    const req = readDestination(m, d, sendDefaults, io, ca);
    if (names.has(req.name)) throw m.src.error(d.lineNode('name'), d.sub('name'), `"${req.name}" names two destinations (the other at line ${names.get(req.name)}); give each a different name`);
    names.set(req.name, m.src.lineOf(d.node));
    return req;
  });
  return { concurrency: m.int('concurrency', 1, 64) ?? DEFAULTS.concurrency, destinations };
}

function readDestination(section: MapReader, d: MapReader, sendDefaults: MapReader | undefined, io: ConfigIo, ca: string[]): RoundtripRequest {
  const to = address(d, 'to', true)!;
  const sendOwn = d.map('send');
  const send = [sendOwn, sendDefaults].filter((x): x is MapReader => !!x);
  for (const s of send) s.onlyKeys(SEND_KEYS, NO_PASSWORD);
  const pick = (k: string) => send.find((s) => s.has(k));
  const serverAt = pick('server');
  if (!serverAt) throw d.src.error(d.node, d.path, 'no submission server: give "send: server: host:port" in the roundtrip section or in this destination');
  const sendTls = pick('tls')?.oneOf('tls', ['starttls', 'implicit', 'none'] as const);
  const sendServer = server(serverAt, defaultPortFor(sendTls, 'send'));
  const fromAt = pick('from');
  if (!fromAt) throw d.src.error(d.node, d.path, 'no sender: give "send: from: address" in the roundtrip section or in this destination');
  // The account's user and password go together: take both from the same mapping.
  const authAt = pick('user') ?? send.find((s) => SECRET_KEYS.some((k) => s.has(k)));
  const sendUser = authAt?.str('user');
  const sendPassword = authAt ? readSecret(authAt, io) : undefined;
  if (authAt && !!sendUser !== !!sendPassword) throw authAt.src.error(authAt.node, authAt.path, sendUser ? 'user given without password_env or password_file' : 'a password reference needs "user" beside it');
  const imap = d.map('imap');
  if (!imap) throw d.src.error(d.node, d.path, '"imap" is required: the mailbox (server, user, password_env or password_file) where the message should arrive');
  imap.onlyKeys(IMAP_KEYS, NO_PASSWORD);
  const imapTls = imap.oneOf('tls', ['implicit', 'starttls', 'none'] as const);
  const imapServer = server(imap, defaultPortFor(imapTls, 'imap'));
  const imapPassword = readSecret(imap, io);
  if (!imapPassword) throw imap.src.error(imap.node, imap.path, 'give the mailbox password as password_env: VARIABLE or password_file: path');
  const tune = <T>(read: (r: MapReader) => T | undefined): T | undefined => read(d) ?? read(section);
  const stepTimeout = pick('step_timeout')?.int('step_timeout', 100, 120_000, 'milliseconds');
  const imapTimeout = imap.int('timeout', 100, 120_000, 'milliseconds');
  return {
    name: d.str('name') ?? to, ca,
    send: {
      host: sendServer.host, port: sendServer.port, security: sendTls ?? sendSecurityFor(sendServer.port), from: address(fromAt, 'from', true)!, to,
      ...(sendUser && sendPassword ? { auth: { user: sendUser, password: sendPassword } } : {}),
      ...opt('heloName', ehlo(pick('ehlo'))), ...opt('subject', pick('subject')?.str('subject')), ...opt('stepTimeoutMs', stepTimeout),
    },
    imap: {
      host: imapServer.host, port: imapServer.port, security: imapTls ?? imapSecurityFor(imapServer.port),
      user: imap.str('user') ?? to, password: imapPassword, ...opt('timeoutMs', imapTimeout),
      ...opt('insecure', tune((r) => r.bool('insecure'))),
    },
    deadlineSeconds: tune((r) => r.int('deadline', 1, 86_400, 'seconds')) ?? DEFAULTS.deadlineSeconds,
    pollMs: tune((r) => r.int('poll', 50, 600_000, 'milliseconds')) ?? DEFAULTS.pollMs,
    slowSeconds: tune((r) => r.int('slow', 1, 86_400, 'seconds')) ?? DEFAULTS.slowSeconds,
    delete: tune((r) => r.bool('delete')) ?? false,
  };
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

function address(m: MapReader, key: string, required: boolean): string | undefined {
  const s = m.str(key, required);
  if (s !== undefined && !ADDRESS.test(s)) throw m.src.error(m.lineNode(key), m.sub(key), `"${s}" is not a mail address (local@domain)`);
  return s;
}

function ehlo(m: MapReader | undefined): string | undefined {
  const s = m?.str('ehlo');
  if (s !== undefined && !HELO.test(s)) throw m!.src.error(m!.lineNode('ehlo'), m!.sub('ehlo'), `"${s}" is not a host name like mail.example.com or an address literal like [192.0.2.1]`);
  return s;
}

function server(m: MapReader, defaultPort: number): { host: string; port: number } {
  const s = m.str('server', true)!;
  const addr = parseServer(s, defaultPort);
  if (!addr || !/^[A-Za-z0-9.:_-]+$/.test(addr.host)) throw m.src.error(m.lineNode('server'), m.sub('server'), `"${s}" is not host or host:port (port 1-65535), e.g. mail.example.com:587`);
  return addr;
}

function readCa(m: MapReader, node: unknown, path: string, io: ConfigIo): string {
  const value = (node as { value?: unknown }).value;
  if (typeof value !== 'string' || !value) throw m.src.error(node, path, 'expected the path of a PEM file');
  const file = configRelative(m.src.file, value);
  let text: string;
  try {
    text = io.readText(file);
  } catch (e) {
    throw m.src.error(node, path, `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw m.src.error(node, path, `${file} is not a PEM certificate file (no BEGIN CERTIFICATE line)`);
  return text;
}
