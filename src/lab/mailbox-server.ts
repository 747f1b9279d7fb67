// Minimal IMAP (RFC 9051) and POP3 (RFC 1939, CAPA RFC 2449) sessions for the lab mail
// servers: greeting, capabilities, STARTTLS/STLS, login refused before TLS (LOGINDISABLED,
// RFC 9051 §6.2.3; RFC 2595 §4) and failing after it (the lab has no mailboxes), LOGOUT/QUIT.
import type tls from 'node:tls';
import type { MailConn } from './mail-conn.js';

export interface MailboxSessionOptions {
  host: string;
  secureContext: tls.SecureContext;
}

const MAX_ERRORS = 10;

function imapCaps(secure: boolean): string {
  return ['IMAP4rev1', 'SASL-IR', 'LITERAL+', 'ID', 'ENABLE', 'IDLE', ...(secure ? ['AUTH=PLAIN', 'AUTH=LOGIN'] : ['STARTTLS', 'LOGINDISABLED'])].join(' ');
}

export async function imapSession(c: MailConn, o: MailboxSessionOptions): Promise<void> {
  c.send(`* OK [CAPABILITY ${imapCaps(c.tls)}] ${o.host} mxdoctor lab IMAP ready.`);
  let errors = 0;
  for (;;) {
    const r = await c.readLine();
    if (!r.ok) {
      if (r.why !== 'closed') c.send(`* BYE ${r.why === 'too-long' ? 'Line too long' : 'Disconnected for inactivity'}.`);
      return c.close();
    }
    const [tag = '', word = '', ...rest] = r.line.split(' ');
    if (!/^[A-Za-z0-9.]+$/.test(tag)) { c.send('* BAD Error in IMAP command: invalid tag.'); if (++errors >= MAX_ERRORS) return c.close(); continue; }
    // The lab does not read literals: answer and hang up rather than misread the octets as commands.
    if (/\{\d+\+?\}$/.test(r.line)) { c.send(`${tag} BAD Literals are not supported by this lab server.`, '* BYE Closing.'); return c.close(); }
    switch (word.toUpperCase()) {
      case 'CAPABILITY':
        c.send(`* CAPABILITY ${imapCaps(c.tls)}`, `${tag} OK Capability completed.`);
        break;
      case 'NOOP':
        c.send(`${tag} OK NOOP completed.`);
        break;
      case 'ID':
        c.send('* ID ("name" "mxdoctor-lab")', `${tag} OK ID completed.`);
        break;
      case 'STARTTLS':
        if (c.tls) { c.send(`${tag} BAD TLS is already active.`); break; }
        c.send(`${tag} OK Begin TLS negotiation now.`);
        if (!(await c.startTls(o.secureContext))) return;
        break;
      case 'LOGIN':
        c.send(c.tls ? `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.` : `${tag} NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections.`);
        break;
      case 'AUTHENTICATE': {
        if (!c.tls) { c.send(`${tag} NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections.`); break; }
        const mech = (rest[0] ?? '').toUpperCase();
        const prompts = mech === 'PLAIN' ? (rest[1] ? [] : ['+ ']) : mech === 'LOGIN' ? ['+ VXNlcm5hbWU6', '+ UGFzc3dvcmQ6'] : undefined;
        if (!prompts) { c.send(`${tag} NO Unsupported authentication mechanism.`); break; }
        let aborted = false;
        for (const p of prompts) {
          c.send(p);
          const a = await c.readLine();
          if (!a.ok) return c.close();
          if (a.line === '*') { aborted = true; break; }
        }
        c.send(aborted ? `${tag} BAD Authentication aborted.` : `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`);
        break;
      }
      case 'LOGOUT':
        c.send('* BYE Logging out.', `${tag} OK Logout completed.`);
        return c.close();
      default:
        c.send(`${tag} BAD Error in IMAP command: unknown command.`);
        if (++errors >= MAX_ERRORS) return c.close();
    }
  }
}

function pop3Capa(secure: boolean): string[] {
  return ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', ...(secure ? ['USER', 'SASL PLAIN LOGIN'] : ['STLS'])];
}

export async function pop3Session(c: MailConn, o: MailboxSessionOptions): Promise<void> {
  c.send(`+OK ${o.host} mxdoctor lab POP3 ready.`);
  const insecure = '-ERR [AUTH] Plaintext authentication disallowed on non-secure connections.';
  let errors = 0;
  for (;;) {
    const r = await c.readLine();
    if (!r.ok) {
      if (r.why !== 'closed') c.send(`-ERR ${r.why === 'too-long' ? 'Line too long' : 'Disconnected for inactivity'}.`);
      return c.close();
    }
    const [word = '', ...rest] = r.line.split(' ');
    switch (word.toUpperCase()) {
      case 'CAPA':
        c.send('+OK Capability list follows', ...pop3Capa(c.tls), '.');
        break;
      case 'STLS':
        if (c.tls) { c.send('-ERR TLS is already active.'); break; }
        c.send('+OK Begin TLS negotiation now.');
        if (!(await c.startTls(o.secureContext))) return;
        break;
      case 'USER':
        c.send(c.tls ? '+OK' : insecure);
        break;
      case 'PASS':
        c.send(c.tls ? '-ERR [AUTH] Authentication failed.' : insecure);
        break;
      case 'AUTH': {
        if (!rest.length) { c.send('+OK', 'PLAIN', 'LOGIN', '.'); break; }
        if (!c.tls) { c.send(insecure); break; }
        const mech = rest[0]!.toUpperCase();
        const prompts = mech === 'PLAIN' ? (rest[1] ? [] : ['+ ']) : mech === 'LOGIN' ? ['+ VXNlcm5hbWU6', '+ UGFzc3dvcmQ6'] : undefined;
        if (!prompts) { c.send('-ERR Unsupported authentication mechanism.'); break; }
        for (const p of prompts) {
          c.send(p);
          const a = await c.readLine();
          if (!a.ok) return c.close();
        }
        c.send('-ERR [AUTH] Authentication failed.');
        break;
      }
      case 'NOOP':
        c.send('+OK');
        break;
      case 'QUIT':
        c.send('+OK Logging out.');
        return c.close();
      default:
        c.send('-ERR Unknown AUTHORIZATION state command.');
        if (++errors >= MAX_ERRORS) return c.close();
    }
  }
}
