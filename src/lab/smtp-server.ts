// One SMTP session of a lab mail server (RFC 5321 ESMTP with STARTTLS, RFC 3207, and AUTH,
// RFC 4954), with the knobs for the demo's planted defects. It never accepts a message:
// DATA and BDAT are refused, so even the open-relay profile relays nothing.
import type tls from 'node:tls';
import type { MailConn } from './mail-conn.js';

export interface SmtpBehaviour {
  /** Advertise and accept STARTTLS. */
  starttls: boolean;
  /** Submission only: advertise AUTH before TLS (the plaintext-password defect). */
  authBeforeTls: boolean;
  /** Accept RCPT for any domain (the open-relay defect). */
  openRelay: boolean;
  /** Wait this long before the 220 greeting. */
  greetingDelayMs: number;
}

export interface SmtpSessionOptions extends SmtpBehaviour {
  /** The name in the greeting and EHLO reply (the address's PTR name). */
  host: string;
  /** mx: port 25 (no AUTH, MAIL without AUTH); submission: 587/465 (AUTH required, RFC 6409 §4.3). */
  role: 'mx' | 'submission';
  /** Domains this server accepts mail for. */
  localDomains: ReadonlySet<string>;
  secureContext: tls.SecureContext;
}

/** Mailboxes every local domain has: the RFC 2142 role accounts plus two users. */
const USERS = new Set(['postmaster', 'abuse', 'hostmaster', 'dmarc-reports', 'tls-reports', 'alice', 'bob']);
const MAX_RCPT = 50;
const MAX_ERRORS = 10;

export async function smtpSession(c: MailConn, o: SmtpSessionOptions): Promise<void> {
  if (o.greetingDelayMs) await c.sleep(o.greetingDelayMs);
  c.send(`220 ${o.host} ESMTP mxdoctor lab server`);
  let helo = false;
  let mail = false;
  let rcpts = 0;
  let errors = 0;
  const reset = () => { mail = false; rcpts = 0; };
  const authOffered = () => o.role === 'submission' && (c.tls || o.authBeforeTls);
  for (;;) {
    const r = await c.readLine();
    if (!r.ok) {
      if (r.why === 'too-long') c.send('500 5.5.2 Line too long, closing');
      else if (r.why !== 'closed') c.send('421 4.4.2 Closing connection');
      return c.close();
    }
    const [word = '', ...rest] = r.line.split(' ');
    const arg = rest.join(' ').trim();
    switch (word.toUpperCase()) {
      case 'EHLO': {
        if (!arg) { c.send('501 5.5.4 Syntax: EHLO hostname'); break; }
        helo = true;
        reset();
        const ext = ['SIZE 10240000', 'PIPELINING', ...(o.starttls && !c.tls ? ['STARTTLS'] : []),
          ...(authOffered() ? ['AUTH PLAIN LOGIN'] : []), '8BITMIME', 'ENHANCEDSTATUSCODES'];
        c.send(`250-${o.host} Hello ${arg.slice(0, 100)}`, ...ext.map((e, i) => `250${i === ext.length - 1 ? ' ' : '-'}${e}`));
        break;
      }
      case 'HELO':
        if (!arg) { c.send('501 5.5.4 Syntax: HELO hostname'); break; }
        helo = true;
        reset();
        c.send(`250 ${o.host}`);
        break;
      case 'STARTTLS':
        if (c.tls) { c.send('503 5.5.1 Error: TLS already active'); break; }
        if (!o.starttls) { c.send('502 5.5.1 Error: command not implemented'); break; }
        c.send('220 2.0.0 Ready to start TLS');
        if (!(await c.startTls(o.secureContext))) return;
        // RFC 3207 §4.2: forget everything learnt before TLS, the client starts with EHLO again.
        helo = false;
        reset();
        break;
      case 'AUTH':
        if (!authOffered()) {
          c.send(o.role === 'submission' ? '538 5.7.11 Encryption required for requested authentication mechanism' : '503 5.5.1 Error: authentication not enabled');
          break;
        }
        if (!(await auth(c, arg))) return c.close();
        break;
      case 'MAIL':
        if (!helo) c.send('503 5.5.1 Error: send HELO/EHLO first');
        else if (mail) c.send('503 5.5.1 Error: nested MAIL command');
        else if (o.role === 'submission') c.send('530 5.7.0 Authentication required');
        else if (!/^FROM:\s*<[^<>]*>/i.test(arg)) c.send('501 5.5.4 Syntax: MAIL FROM:<address>');
        else { mail = true; c.send('250 2.1.0 Ok'); }
        break;
      case 'RCPT': {
        const to = /^TO:\s*<([^<>]*)>/i.exec(arg)?.[1];
        if (!mail) c.send('503 5.5.1 Error: need MAIL command');
        else if (to === undefined) c.send('501 5.5.4 Syntax: RCPT TO:<address>');
        else if (rcpts >= MAX_RCPT) c.send('452 4.5.3 Error: too many recipients');
        else {
          const reply = rcptReply(to, o);
          if (reply.startsWith('250')) rcpts++;
          c.send(reply);
        }
        break;
      }
      case 'DATA':
      case 'BDAT':
        // The lab keeps no mail and relays none, whatever the profile.
        c.send(rcpts ? '554 5.7.1 Error: this lab server accepts no messages' : '503 5.5.1 Error: need RCPT command');
        break;
      case 'RSET':
        reset();
        c.send('250 2.0.0 Ok');
        break;
      case 'NOOP':
        c.send('250 2.0.0 Ok');
        break;
      case 'VRFY':
        c.send('252 2.0.0 Cannot VRFY user');
        break;
      case 'QUIT':
        c.send('221 2.0.0 Bye');
        return c.close();
      default:
        c.send('502 5.5.2 Error: command not recognized');
        if (++errors >= MAX_ERRORS) { c.send('421 4.7.0 Too many errors, closing'); return c.close(); }
    }
  }
}

/** RFC 5321 §4.5.1: postmaster (with or without a domain) is always accepted. */
export function rcptReply(address: string, o: Pick<SmtpSessionOptions, 'localDomains' | 'openRelay'>): string {
  if (/^postmaster$/i.test(address)) return '250 2.1.5 Ok';
  const at = address.lastIndexOf('@');
  if (at < 1) return '501 5.1.3 Bad recipient address syntax';
  const user = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (o.localDomains.has(domain)) return USERS.has(user) ? '250 2.1.5 Ok' : `550 5.1.1 <${address}>: Recipient address rejected: User unknown`;
  if (o.openRelay) return '250 2.1.5 Ok';
  return `554 5.7.1 <${address}>: Relay access denied`;
}

/** AUTH PLAIN / LOGIN (RFC 4616, draft-murchison-sasl-login): the lab has no accounts, so every login fails. */
async function auth(c: MailConn, arg: string): Promise<boolean> {
  const [mech = '', initial] = arg.split(' ');
  const steps = mech.toUpperCase() === 'PLAIN' ? (initial ? [] : ['334 ']) : mech.toUpperCase() === 'LOGIN' ? (initial ? ['334 UGFzc3dvcmQ6'] : ['334 VXNlcm5hbWU6', '334 UGFzc3dvcmQ6']) : undefined;
  if (!steps) { c.send('504 5.5.4 Unrecognized authentication type'); return true; }
  for (const prompt of steps) {
    c.send(prompt);
    const r = await c.readLine();
    if (!r.ok) return false;
    if (r.line === '*') { c.send('501 5.0.0 Authentication aborted'); return true; }
  }
  c.send('535 5.7.8 Error: authentication failed');
  return true;
}
