// A hermetic round-trip lab: smtp-server on 127.0.0.1 plays the submission server and
// the recipient's MX at once. onData DKIM-signs (as the sender's server would), adds the
// trace fields a real MX and LMTP delivery add, and files the message into the in-memory
// store served by the scripted IMAP server, in the folder a routing rule picks.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { Clock } from '../../src/io/clock.js';
import type { DnsResponse, Resolver, RRType } from '../../src/io/resolver.js';
import { MailStore, startImapServer } from './scripted-imap-store.js';
import type { ImapServerOptions, ScriptedImap } from './scripted-imap-store.js';

const CERTS = new URL('../fixtures/certs/', import.meta.url);
export const LAB_CA = readFileSync(new URL('ca.pem', CERTS), 'utf8');
export const LAB_KEY = readFileSync(new URL('valid-key.pem', CERTS));
export const LAB_CERT = readFileSync(new URL('valid.pem', CERTS));

export const SENDER = 'alice@sender.test';
export const RCPT = 'bob@rcpt.test';
export const SMTP_PASSWORD = 'smtp secret 42';
export const IMAP_PASSWORD = 'imap "secret" {7}';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const PUBLIC_B64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** What happens to one message: the folder (or never delivered), a delay, trace fields. */
export interface Route {
  folder?: string;
  delayMs?: number;
  /** Client of the MX hop (SPF judges it). */
  clientIp?: string;
  dkim?: boolean;
  /** Extra header lines the "receiving server" adds, e.g. X-Spam-Status. */
  headers?: string[];
  /** Replace the receiving server's trace fields entirely. */
  trace?: string[];
}

export interface RoundtripLab {
  store: MailStore;
  imap: ScriptedImap;
  smtpPort: number;
  imapLog: string[];
  /** Messages the SMTP side accepted. */
  accepted: Buffer[];
  resolver: Resolver;
  close(): Promise<void>;
}

export async function roundtripLab(o: { clock: Clock; route?: (raw: Buffer) => Route; rejectRcpt?: boolean; imap?: Partial<ImapServerOptions> }): Promise<RoundtripLab> {
  const store = new MailStore(o.clock);
  const imapLog: string[] = [];
  const imap = await startImapServer(store, { user: RCPT, password: IMAP_PASSWORD, log: imapLog, ...o.imap });
  const accepted: Buffer[] = [];
  const smtp = new SMTPServer({
    secure: false, key: LAB_KEY, cert: LAB_CERT, logger: false, disableReverseLookup: true, name: 'mx.rcpt.test',
    authMethods: ['PLAIN'], onAuth(a, _s, cb) {
      if (a.username === SENDER && a.password === SMTP_PASSWORD) return cb(null, { user: a.username });
      cb(Object.assign(new Error('5.7.8 Error: authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(addr, _s, cb) {
      if (o.rejectRcpt) return cb(Object.assign(new Error('5.1.1 <' + addr.address + '>: Recipient address rejected: User unknown in virtual mailbox table'), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        accepted.push(raw);
        const r: Route = (o.route ?? (() => ({ folder: 'INBOX' })))(raw);
        if (r.folder) store.deliver(r.folder, await delivered(raw, r, o.clock.now()), r.delayMs ?? 0);
        cb(null, '2.0.0 Ok: queued as 4QtRcPt123');
      });
    },
  });
  await new Promise<void>((res) => smtp.listen(0, '127.0.0.1', res));
  return {
    store, imap, imapLog, accepted, resolver: zoneResolver(),
    smtpPort: (smtp.server.address() as AddressInfo).port,
    async close() {
      await imap.close();
      await new Promise<void>((res) => smtp.close(() => res()));
    },
  };
}

/** The copy as the mailbox stores it: signed by the sender, with the receiving side's trace fields. */
async function delivered(raw: Buffer, r: Route, now: number): Promise<Buffer> {
  let msg = raw;
  if (r.dkim !== false) {
    const signed = await dkimSign(raw, { signatureData: [{ signingDomain: 'sender.test', selector: 'sel1', privateKey: PRIVATE_PEM }] } as any);
    msg = Buffer.concat([Buffer.from(signed.signatures), raw]);
  }
  const date = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');
  const ip = r.clientIp ?? '192.0.2.10';
  const trace = r.trace ?? [
    `Received: from mx.rcpt.test by mx.rcpt.test with LMTP id kB3xQ9 (envelope-from <${SENDER}>) for <${RCPT}>; ${date(now + (r.delayMs ?? 0))}`,
    `Authentication-Results: mx.rcpt.test; dkim=${r.dkim === false ? 'none' : 'pass'} header.d=sender.test header.s=sel1; spf=pass smtp.mailfrom=${SENDER}; dmarc=${r.dkim === false ? 'fail' : 'pass'} header.from=sender.test`,
    `Received: from mail.sender.test (mail.sender.test [${ip}])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n\t key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256)\r\n\t(No client certificate requested)\r\n\tby mx.rcpt.test (Postfix) with ESMTPS id 4QtRcPt123\r\n\tfor <${RCPT}>; ${date(now)}`,
    `Received: from [198.51.100.7] (client.example [198.51.100.7])\r\n\tby mail.sender.test (Postfix) with ESMTPSA id 4SeNdEr1\r\n\tfor <${RCPT}>; ${date(now - 1000)}`,
  ];
  return Buffer.concat([Buffer.from(`Return-Path: <${SENDER}>\r\n${[...trace, ...(r.headers ?? [])].join('\r\n')}\r\n`), msg]);
}

/** The sender's DNS: DKIM key, SPF for 192.0.2.0/24, DMARC p=reject. */
export function zoneResolver(extra: Record<string, unknown[]> = {}): Resolver {
  const zone: Record<string, unknown[]> = {
    'sender.test|TXT': [['v=spf1 ip4:192.0.2.0/24 -all']],
    'sel1._domainkey.sender.test|TXT': [['v=DKIM1; k=rsa; p=', PUBLIC_B64]],
    '_dmarc.sender.test|TXT': [['v=DMARC1; p=reject; adkim=r; aspf=r']],
    'sender.test|MX': [{ preference: 10, exchange: 'mail.sender.test' }],
    ...extra,
  };
  const names = new Set(Object.keys(zone).map((k) => k.split('|')[0]));
  return {
    async query(name: string, type: RRType): Promise<DnsResponse> {
      const n = name.toLowerCase().replace(/\.$/, '');
      const data = zone[`${n}|${type}`];
      const status = data ? 'answer' : names.has(n) || n === 'sender.test' ? 'nodata' : 'nxdomain';
      return {
        name: n, type, status, records: (data ?? []).map((d) => ({ name: n, type, ttl: 300, data: d })), cnames: [], authority: [],
        ad: false, aa: false, rcode: status === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', server: 'stub', elapsedMs: 0,
      };
    },
  };
}
