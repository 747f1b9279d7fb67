// Scripted IMAP and POP3 servers for the probe tests, on the SMTP helper's line server:
// a Dovecot-like default with knobs for each failure. Loopback only.
import type { Script, ScriptedConn } from './scripted-smtp.js';

/** Dovecot 2.3's real pre-TLS greeting (disable_plaintext_auth = yes). */
export const DOVECOT_GREETING = '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED AUTH=PLAIN] Dovecot (Debian) ready.';
const TLS_CAPS = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN';

export interface ImapOptions {
  /** The greeting line (default: Dovecot's, capabilities in the response code). */
  greeting?: string;
  /** Raw bytes instead of a greeting line (garbage, tarpits). */
  rawGreeting?: string | Buffer;
  /** Answer to CAPABILITY before TLS (untagged lines, default from the greeting). */
  capabilityPlain?: string[];
  /** Capabilities after STARTTLS / on implicit TLS. */
  capsTls?: string;
  starttls?: 'ok' | 'refuse' | 'inject';
  /** Tagged reply text to LOGIN/AUTHENTICATE (after the tag), e.g. "NO [AUTHENTICATIONFAILED] ...". */
  login?: (user: string, password: string) => string | null;
  /** Pause before answering LOGIN/AUTHENTICATE (a brute-force delay). */
  loginDelayMs?: number;
  /** Started with implicit TLS (993). */
  tls?: boolean;
  /** Every line the client sent. */
  log?: string[];
}

/** "LOGIN "a" "b"" → ["a", "b"] (quoted strings as we send them). */
function quotedArgs(s: string): string[] {
  return [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

export function imapServer(o: ImapOptions = {}): Script {
  return async (c: ScriptedConn) => {
    if (o.rawGreeting !== undefined) {
      c.sendRaw(o.rawGreeting);
      await c.readLine();
      return;
    }
    c.send(o.greeting ?? DOVECOT_GREETING);
    let secure = !!o.tls;
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      o.log?.push(line);
      const [tag, verb = '', ...rest] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'CAPABILITY':
          if (secure) c.send(`* CAPABILITY ${o.capsTls ?? TLS_CAPS}`);
          else for (const l of o.capabilityPlain ?? [`* CAPABILITY ${/\[CAPABILITY ([^\]]*)\]/.exec(o.greeting ?? DOVECOT_GREETING)?.[1] ?? 'IMAP4rev1'}`]) c.send(l);
          c.send(`${tag} OK Pre-login capabilities listed, post-login capabilities have more.`);
          break;
        case 'STARTTLS':
          if (o.starttls === 'refuse') { c.send(`${tag} NO [UNAVAILABLE] TLS support isn't enabled.`); break; }
          if (o.starttls === 'inject') c.sendRaw(`${tag} OK Begin TLS negotiation now.\r\n* OK injected\r\n`);
          else c.send(`${tag} OK Begin TLS negotiation now.`);
          await c.startTls();
          secure = true;
          break;
        case 'LOGIN': {
          const [user = '', password = ''] = quotedArgs(rest.join(' '));
          const r = o.login?.(user, password);
          if (r === null) break; // never answer
          if (o.loginDelayMs) await c.sleep(o.loginDelayMs);
          c.send(`${tag} ${r ?? 'NO [AUTHENTICATIONFAILED] Authentication failed.'}`);
          break;
        }
        case 'AUTHENTICATE': {
          let b64 = rest[1];
          if (!b64) { c.send('+ '); b64 = (await c.readLine()) ?? ''; o.log?.push(b64); }
          const [, user = '', password = ''] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
          const r = o.login?.(user, password);
          if (r === null) break;
          c.send(`${tag} ${r ?? 'NO [AUTHENTICATIONFAILED] Authentication failed.'}`);
          break;
        }
        case 'LOGOUT':
          c.send('* BYE Logging out');
          c.send(`${tag} OK Logout completed.`);
          c.close();
          return;
        default:
          c.send(`${tag} BAD Error in IMAP command: Unknown command.`);
      }
    }
  };
}

export interface Pop3Options {
  greeting?: string;
  rawGreeting?: string | Buffer;
  /** CAPA lines before TLS; null answers CAPA with -ERR. */
  capaPlain?: string[] | null;
  capaTls?: string[];
  /** broken: +OK, then plaintext instead of a TLS handshake. */
  stls?: 'ok' | 'refuse' | 'broken';
  /** Reply to PASS (or AUTH PLAIN), e.g. "-ERR [AUTH] Authentication failed."; null never answers. */
  login?: (user: string, password: string) => string | null;
  tls?: boolean;
  log?: string[];
}

export function pop3Server(o: Pop3Options = {}): Script {
  const pre = o.capaPlain === undefined ? ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'STLS', 'SASL'] : o.capaPlain;
  const post = o.capaTls ?? ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'USER', 'SASL PLAIN LOGIN'];
  return async (c: ScriptedConn) => {
    if (o.rawGreeting !== undefined) {
      c.sendRaw(o.rawGreeting);
      await c.readLine();
      return;
    }
    c.send(o.greeting ?? '+OK Dovecot (Debian) ready.');
    if (o.greeting?.startsWith('-ERR')) { c.close(); return; }
    let secure = !!o.tls;
    let user = '';
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      o.log?.push(line);
      const [verb = '', ...args] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'CAPA': {
          const caps = secure ? post : pre;
          if (!caps) { c.send('-ERR Unknown command: CAPA'); break; }
          c.send(['+OK', ...caps, '.'].join('\r\n'));
          break;
        }
        case 'STLS':
          if (o.stls === 'refuse') { c.send('-ERR TLS support isn\'t enabled.'); break; }
          if (o.stls === 'broken') { c.send('+OK Begin TLS negotiation now.'); await c.sleep(50); c.send('-ERR this is not TLS'); c.close(); return; }
          c.send('+OK Begin TLS negotiation now.');
          await c.startTls();
          secure = true;
          break;
        case 'USER':
          user = args.join(' ');
          c.send('+OK');
          break;
        case 'PASS': {
          const r = o.login?.(user, args.join(' '));
          if (r === null) break;
          c.send(r ?? '-ERR [AUTH] Authentication failed.');
          break;
        }
        case 'AUTH': {
          const [, u = '', p = ''] = Buffer.from(args[1] ?? '', 'base64').toString('utf8').split('\0');
          const r = o.login?.(u, p);
          if (r === null) break;
          c.send(r ?? '-ERR [AUTH] Authentication failed.');
          break;
        }
        case 'QUIT':
          c.send('+OK Logging out.');
          c.close();
          return;
        default:
          c.send('-ERR Unknown command.');
      }
    }
  };
}
