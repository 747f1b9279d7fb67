// Command-line flags of `mxdoctor roundtrip` → one RoundtripRequest. Passwords only from
// MXDOCTOR_SMTP_PASSWORD / MXDOCTOR_IMAP_PASSWORD or a file, never a flag value.
import { UsageError } from '../../core/errors.js';
import { defaultPortFor, DEFAULTS, imapSecurityFor, sendSecurityFor } from '../../roundtrip/defaults.js';
import type { RoundtripRequest } from '../../roundtrip/types.js';
import { checkEnvelope } from '../../send/limits.js';
import { parseHostTarget } from '../host-target.js';
import { readCaFiles } from '../options.js';
import { IMAP_PASSWORD_ENV, passwordFrom, SMTP_PASSWORD_ENV } from '../credentials.js';
import { parseHeader } from './send.js';
import { checkHeaders } from '../../send/compose.js';

export interface RoundtripFlags {
  server?: string; from?: string; to?: string; tls?: string; authUser?: string; passwordFile?: string; ehlo?: string; subject?: string; header?: string[];
  stepTimeout?: number;
  imapServer?: string; imapTls?: string; imapUser?: string; imapPasswordFile?: string; imapTimeout?: number; insecure?: boolean;
  deadline?: number; poll?: number; slow?: number; delete?: boolean; ca?: string[];
}


export function requestFromFlags(o: RoundtripFlags, env: NodeJS.ProcessEnv): RoundtripRequest {
  if (!o.server) throw new UsageError('roundtrip: give the submission server with --server <host[:port]> (or several destinations with --config <file.yaml>)');
  if (!o.from) throw new UsageError('roundtrip: give the sender with --from <address>');
  if (!o.to) throw new UsageError('roundtrip: give the recipient with --to <address> (its mailbox is searched over IMAP)');
  if (!o.imapServer) throw new UsageError('roundtrip: give the recipient\'s IMAP server with --imap-server <host[:port]>');
  checkEnvelope(o.from, [o.to], o.ehlo);
  const sendTls = mode(o.tls, '--tls', ['starttls', 'implicit', 'none'] as const);
  const send = hostPort(o.server, defaultPortFor(sendTls, 'send'));
  const imapTls = mode(o.imapTls, '--imap-tls', ['implicit', 'starttls', 'none'] as const);
  const imap = hostPort(o.imapServer, defaultPortFor(imapTls, 'imap'));
  if (o.passwordFile && !o.authUser) throw new UsageError('--password-file needs --auth-user <user>');
  const smtpPassword = o.authUser ? passwordFrom(o.passwordFile, '--password-file', SMTP_PASSWORD_ENV, env, `--auth-user ${o.authUser}`) : undefined;
  const imapPassword = passwordFrom(o.imapPasswordFile, '--imap-password-file', IMAP_PASSWORD_ENV, env, 'the mailbox login');
  const ca = readCaFiles(o.ca);
  return {
    name: o.to,
    send: {
      host: send.host, port: send.port, security: sendTls ?? sendSecurityFor(send.port), from: o.from, to: o.to,
      ...(o.authUser && smtpPassword ? { auth: { user: o.authUser, password: smtpPassword } } : {}),
      ...(o.ehlo ? { heloName: o.ehlo } : {}), ...(o.subject ? { subject: o.subject } : {}), ...(o.header?.length ? { headers: checkedHeaders(o.header) } : {}),
      ...(o.stepTimeout ? { stepTimeoutMs: o.stepTimeout } : {}),
    },
    imap: {
      host: imap.host, port: imap.port, security: imapTls ?? imapSecurityFor(imap.port), user: o.imapUser ?? o.to, password: imapPassword,
      ...(o.insecure ? { insecure: true } : {}), ...(o.imapTimeout ? { timeoutMs: o.imapTimeout } : {}),
    },
    deadlineSeconds: o.deadline ?? DEFAULTS.deadlineSeconds,
    pollMs: o.poll ?? DEFAULTS.pollMs,
    slowSeconds: o.slow ?? DEFAULTS.slowSeconds,
    delete: !!o.delete,
    ...(ca ? { ca } : {}),
  };
}

function mode<T extends string>(v: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new UsageError(`${flag} ${v}: expected ${allowed.join(', ')}`);
  return v as T;
}

function hostPort(input: string, defaultPort: number): { host: string; port: number } {
  // "localhost" is one label, which parseHostTarget refuses for a domain; it is the usual test host.
  const local = /^localhost(?::(\d{1,5}))?$/i.exec(input.trim());
  const t = local ? { host: 'localhost', port: local[1] ? Number(local[1]) : undefined } : parseHostTarget(input);
  const port = t.port ?? defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${input}: port must be 1-65535`);
  return { host: t.host, port };
}

/** Parsed and checked here, so that a reserved header is refused before the IMAP login. */
function checkedHeaders(raw: string[]): [string, string][] {
  const headers = raw.map(parseHeader);
  checkHeaders(headers);
  return headers;
}
