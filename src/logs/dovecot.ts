// Dovecot (imap, pop3, lmtp, auth, quota) through syslog ("dovecot: imap-login: …") or its
// own log_path ("imap-login: Info: …"). Both the 2.2/2.3 and the 2.3.late/2.4 "(auth_failed)"
// forms of failed logins are recognised: older fail2ban filters miss the latter.
import type { LogEvent } from './types.js';

const OTHER: LogEvent = { k: 'other' };
const LEVEL = /^(Info|Warning|Error|Fatal|Panic|Debug): /;

function kv(s: string, name: string): string {
  const i = s.indexOf(name);
  if (i < 0) return '';
  const start = i + name.length;
  const end = s.indexOf(name.endsWith('<') ? '>' : ',', start);
  return s.slice(start, end < 0 ? s.length : end);
}

export function parseDovecot(msg: string): LogEvent | null {
  const colon = msg.indexOf(': ');
  if (colon < 0) return null;
  const who = msg.slice(0, colon);
  let rest = msg.slice(colon + 2);
  let level = 'Info';
  const lv = LEVEL.exec(rest);
  if (lv) { level = lv[1]!; rest = rest.slice(lv[0].length); }
  const paren = who.search(/[(<]/);
  const service = paren < 0 ? who : who.slice(0, paren);
  const inner = paren >= 0 && who.charCodeAt(paren) === 40 ? who.slice(paren + 1, who.indexOf(')', paren) >>> 0) : '';

  if (/quota exceeded|mailbox (?:for user )?is full|over quota/i.test(rest)) {
    return { k: 'quota', user: inner || kv(rest, 'user=<'), text: rest };
  }
  if (service.endsWith('-login')) {
    const proto = service.slice(0, -6);
    if (rest.startsWith('Login: ')) return { k: 'login', service: proto, user: kv(rest, 'user=<'), ip: kv(rest, 'rip=') };
    if (rest.includes('auth failed') || rest.includes('(auth_failed)')) {
      return { k: 'auth-fail', service: proto, user: kv(rest, 'user=<'), ip: kv(rest, 'rip='), text: rest };
    }
    if (rest.startsWith('Disconnected') || rest.startsWith('Aborted login') || rest.startsWith('Login aborted')) {
      return { k: 'disconnect', ip: kv(rest, 'rip=') };
    }
    return level === 'Info' ? OTHER : { k: 'problem', level: levelOf(level), text: `${who}: ${rest}` };
  }
  if (service === 'auth' || service === 'auth-worker') {
    // "pam(user,192.0.2.4): pam_authenticate() failed", "passwd-file(user,ip,<session>): Password mismatch"
    const m = /^[\w-]+\(([^,)]*),([^,)]*)[^)]*\): (.*)$/.exec(rest);
    if (m && /password mismatch|unknown user|authenticate\(\) failed|Authentication failure/i.test(m[3]!)) {
      return { k: 'auth-fail', service: 'auth', user: m[1]!, ip: m[2]!, text: m[3]! };
    }
  }
  if (level === 'Error' || level === 'Fatal' || level === 'Panic' || level === 'Warning') {
    return { k: 'problem', level: levelOf(level), text: `${who}: ${rest}` };
  }
  if (service === 'imap' || service === 'pop3' || service === 'lmtp' || service === 'auth' || service === 'auth-worker'
    || service === 'master' || service === 'lda' || service === 'managesieve-login' || service === 'managesieve'
    || service === 'submission' || service === 'submission-login' || service === 'stats' || service === 'anvil' || service === 'doveadm') return OTHER;
  return null;
}

function levelOf(l: string): 'warning' | 'error' | 'fatal' | 'panic' {
  return l === 'Warning' ? 'warning' : l === 'Fatal' ? 'fatal' : l === 'Panic' ? 'panic' : 'error';
}
