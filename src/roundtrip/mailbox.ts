// The recipient's mailbox over IMAP (imapflow): open and log in with named timeouts, a TLS
// servername and verified certificates, list the selectable folders, find a message by
// its X-Mxdoctor-Token header, delete it. Failures are classified values, never throws.
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import type { ImapFlowOptions } from 'imapflow';
import { Redactor } from '../core/redact.js';
import { VERSION } from '../version.js';
import { imapLogger } from './imap-log.js';

export interface ImapTarget {
  /** The address to connect to (already resolved through our resolver). */
  address: string;
  port: number;
  /** The host name as given: SNI and the name the certificate must carry. */
  servername?: string;
  security: 'implicit' | 'starttls' | 'none';
  user: string;
  password: string;
  /** Extra trust anchors (PEM) beside the system store. */
  ca?: string[];
  /** Accept an untrusted certificate (the finding still says so). */
  insecure?: boolean;
  /** Connect, greeting and each command. */
  timeoutMs: number;
}

export type OpenFailureKind = 'connect' | 'timeout' | 'tls' | 'untrusted' | 'login' | 'protocol';

export interface OpenFailure { ok: false; kind: OpenFailureKind; error: string; code?: string; serverResponse?: string }

export interface FolderInfo { path: string; delimiter: string; specialUse?: string }

export interface FoundMessage {
  folder: FolderInfo;
  uid: number;
  raw: Buffer;
  internalDate?: string;
  flags: string[];
}

export interface MailboxSession {
  tls?: { protocol?: string; cipher?: string; authorized: boolean };
  capabilities: string[];
  folders(): Promise<FolderInfo[]>;
  find(folder: FolderInfo, token: string): Promise<FoundMessage | undefined>;
  /** \Deleted then UID EXPUNGE (UIDPLUS, RFC 4315) or EXPUNGE. */
  remove(m: FoundMessage): Promise<{ ok: boolean; method: 'UID EXPUNGE' | 'EXPUNGE' }>;
  close(): Promise<void>;
  /** Redacted protocol log (capped). */
  log: string[];
}

/** A delivered test message is small; anything bigger than this is not ours. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export async function openMailbox(t: ImapTarget): Promise<{ ok: true; session: MailboxSession } | OpenFailure> {
  const log: string[] = [];
  const redactor = Redactor.of({ value: t.password, user: t.user });
  const client = new ImapFlow(clientOptions(t, log, redactor));
  client.on('error', () => undefined); // surfaced through the failing call instead
  try {
    await client.connect();
  } catch (e) {
    client.close();
    return classify(e as Error & Record<string, any>, redactor);
  }
  const tlsInfo = client.tls ? { protocol: client.tls.version, cipher: client.tls.name, authorized: !!client.tls.authorized } : undefined;
  const session: MailboxSession = {
    log,
    capabilities: [...client.capabilities.keys()],
    async folders() {
      const list = await client.list();
      return list.filter((f) => !hasFlag(f.flags, '\\Noselect') && !hasFlag(f.flags, '\\NonExistent'))
        .map((f) => ({ path: f.path, delimiter: f.delimiter, ...(f.specialUse ? { specialUse: f.specialUse } : {}) }));
    },
    async find(folder, token) {
      const lock = await client.getMailboxLock(folder.path, { readOnly: true });
      try {
        const uids = await client.search({ header: { 'X-Mxdoctor-Token': token } }, { uid: true });
        if (!uids || !uids.length) return undefined;
        const uid = Math.max(...uids);
        const m = await client.fetchOne(String(uid), { uid: true, source: true, internalDate: true, flags: true }, { uid: true });
        if (!m || !m.source) return undefined;
        const date = m.internalDate ? new Date(m.internalDate) : undefined;
        return {
          folder, uid, raw: m.source, flags: [...(m.flags ?? [])],
          ...(date && !Number.isNaN(date.getTime()) ? { internalDate: date.toISOString() } : {}),
        };
      } finally {
        lock.release();
      }
    },
    async remove(m) {
      const method = client.capabilities.has('UIDPLUS') ? 'UID EXPUNGE' as const : 'EXPUNGE' as const;
      const lock = await client.getMailboxLock(m.folder.path);
      try {
        return { ok: await client.messageDelete(String(m.uid), { uid: true }), method };
      } finally {
        lock.release();
      }
    },
    async close() {
      try {
        await Promise.race([client.logout(), new Promise((r) => setTimeout(r, t.timeoutMs).unref())]);
      } catch { /* already closed */ }
      client.close();
    },
  };
  if (tlsInfo) session.tls = tlsInfo;
  return { ok: true, session };
}

function clientOptions(t: ImapTarget, log: string[], redactor: Redactor): ImapFlowOptions {
  const tlsOptions: tls.ConnectionOptions = { rejectUnauthorized: !t.insecure, minVersion: 'TLSv1.2' };
  if (t.ca?.length) tlsOptions.ca = [...tls.rootCertificates, ...t.ca];
  return {
    host: t.address, port: t.port, secure: t.security === 'implicit',
    // STARTTLS is required, never opportunistic: a stripped capability must not leak the password.
    doSTARTTLS: t.security === 'starttls' ? true : t.security === 'none' ? false : undefined,
    ...(t.servername ? { servername: t.servername } : {}),
    auth: { user: t.user, pass: t.password },
    tls: tlsOptions, logger: imapLogger(log, redactor), disableAutoIdle: true, disableCompression: true,
    clientInfo: { name: 'mxdoctor', version: VERSION },
    connectionTimeout: t.timeoutMs, greetingTimeout: t.timeoutMs, socketTimeout: Math.max(60_000, t.timeoutMs * 3),
    maxLineLength: 1024 * 1024, maxLiteralSize: MAX_MESSAGE_BYTES, maxResponseSize: MAX_MESSAGE_BYTES + 1024 * 1024,
  };
}

function hasFlag(flags: Set<string>, flag: string): boolean {
  for (const f of flags) if (f.toLowerCase() === flag.toLowerCase()) return true;
  return false;
}

const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/** What went wrong, in words a finding can carry: the server's text is redacted before it is cut. */
export function classify(e: Error & Record<string, any>, redactor: Redactor = Redactor.none): OpenFailure {
  const code: string | undefined = e.code;
  const base = { ok: false as const, error: redactor.clip(e.message ?? String(e), 300, () => '…'), ...(code ? { code } : {}) };
  if (e.authenticationFailed) return { ...base, kind: 'login', ...(e.response ? { serverResponse: redactor.clip(String(e.response), 300, () => '…') } : {}) };
  if (code && UNTRUSTED.test(code)) return { ...base, kind: 'untrusted' };
  if (code && /TIMEOUT/i.test(code)) return { ...base, kind: 'timeout' };
  if (code && /^E(CONN|HOST|NET|ADDR|PIPE)/.test(code)) return { ...base, kind: 'connect' };
  if (code === 'STARTTLS_INJECTION' || /TLS|SSL/i.test(code ?? '') || /tls|ssl|handshake/i.test(e.message ?? '')) return { ...base, kind: 'tls' };
  return { ...base, kind: 'protocol' };
}
