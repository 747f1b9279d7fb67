// Why a mail tool's run failed, in one line with the likely fix: not installed, no
// permission (postqueue needs the setgid postdrop binary or root; Exim lists its queue
// only to admin users), the mail system down, a missing configuration, a timeout.
import type { RunResult } from '../io/exec.js';

export interface CommandFailure {
  kind: 'not-found' | 'permission' | 'down' | 'config' | 'timeout' | 'failed';
  text: string;
}

/** The last line that says what went wrong: a "fatal:"/"Fatal:" line first, else the last non-empty one. */
export function errorLine(stderr: string, stdout = ''): string {
  const lines = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.filter((l) => /\bfatal:|permission denied|not allowed/i.test(l)).at(-1);
  return (fatal ?? lines.at(-1) ?? '').slice(0, 300);
}

export function commandFailure(r: RunResult, argv: string[], timeoutMs: number): CommandFailure | undefined {
  const cmd = argv.join(' ');
  if (r.notFound) return { kind: 'not-found', text: `${argv[0]} is not installed here` };
  if (r.error) {
    return r.error === 'EACCES'
      ? { kind: 'permission', text: `permission denied running ${argv[0]}` }
      : { kind: 'failed', text: `could not run ${argv[0]}: ${r.error}` };
  }
  if (r.timedOut) return { kind: 'timeout', text: `\`${cmd}\` did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped` };
  if (r.code === 0) return undefined;
  const why = errorLine(r.stderr, r.stdout) || `exit status ${r.code ?? r.signal}`;
  const text = `\`${cmd}\` failed: ${why}`;
  if (/not allowed to view the mail queue|permission denied|Operation not permitted/i.test(why)) {
    return { kind: 'permission', text: `${text} (run as root, or allow this user: Postfix authorized_mailq_users, Exim queue_list_requires_admin = false or an admin user)` };
  }
  if (/Mail system is down|showq|Connection refused/i.test(`${why}\n${r.stderr}`)) {
    return { kind: 'down', text: `${text} (the mail system is not running: postqueue asks Postfix's showq service; start Postfix with \`postfix start\` or \`systemctl start postfix\`)` };
  }
  if (/main\.cf|configuration file|No such file or directory|open\(/i.test(why)) {
    return { kind: 'config', text: `${text} (check the configuration directory: --postfix-config must name the directory holding main.cf)` };
  }
  return { kind: 'failed', text };
}
