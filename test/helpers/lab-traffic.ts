// Known traffic for the real-server log tests (test/real/logs, logwatch): a relay attempt over
// STARTTLS that the lab's Postfix rejects with 554, and IMAP logins to the lab's Dovecot. Each
// exchange waits for its reply, so the servers have logged it (asynchronously) soon after.
import { connect as tcp, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';

const CA = readFileSync(new URL('../fixtures/certs/ca.pem', import.meta.url));

/** One request/reply exchange on a line protocol: write, then wait until `done` matches what arrived. */
export function talk(s: Socket | TLSSocket, line: string | undefined, done: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const timer = setTimeout(() => { s.off('data', on); reject(new Error(`no ${done} after ${line}: ${got}`)); }, 10_000);
    const on = (d: Buffer) => { got += d.toString(); if (done.test(got)) { clearTimeout(timer); s.off('data', on); resolve(got); } };
    s.on('data', on);
    if (line !== undefined) s.write(`${line}\r\n`);
  });
}

/** RCPT TO:<tag@example.net> on 127.0.2.1:25 after STARTTLS: refused, "Relay access denied". */
export async function smtpRelayAttemptWithStarttls(tag: string, helo: string): Promise<void> {
  const s = tcp(25, '127.0.2.1');
  await talk(s, undefined, /^220 /m);
  await talk(s, `EHLO ${helo}`, /^250 /m);
  await talk(s, 'STARTTLS', /^220 /m);
  const t = tlsConnect({ socket: s, servername: 'mx1.mail-lab.test', ca: CA });
  await new Promise<void>((resolve, reject) => { t.once('secureConnect', resolve); t.once('error', reject); });
  await talk(t, `EHLO ${helo}`, /^250 /m);
  await talk(t, 'MAIL FROM:<>', /^250 /m);
  await talk(t, `RCPT TO:<${tag}@example.net>`, /^554 /m);
  await talk(t, 'QUIT', /^221 /m);
  t.end();
}

/** IMAP LOGIN as lab@mail-lab.test on 127.0.2.1:993; the tagged reply. */
export async function imapLogin(password: string): Promise<string> {
  const t = tlsConnect({ host: '127.0.2.1', port: 993, servername: 'mx1.mail-lab.test', ca: CA });
  await talk(t, undefined, /^\* OK/m);
  const r = await talk(t, `a1 LOGIN lab@mail-lab.test ${password}`, /^a1 (OK|NO|BAD)/m);
  await talk(t, 'a2 LOGOUT', /^a2 /m).catch(() => '');
  t.end();
  return r;
}
