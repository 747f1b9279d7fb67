// Which configuration the running mail daemons use: a Dovecot started with
// `dovecot -c <file>` reads that file, not /etc/dovecot/dovecot.conf, and `postfix -c <dir>
// start` hands its directory to master in MAIL_CONFIG (postfix(1)). Read from
// /proc/<pid>/cmdline and /proc/<pid>/environ (root only) through the injected HostFs, so
// `check --local` looks at what runs before the defaults.
import type { HostFs } from '../io/host-fs.js';
import type { ProcessTable } from './daemons.js';

export interface RunningConfigs {
  /** dovecot.conf of the running Dovecot masters, in pid order (usually one). */
  dovecot: string[];
  /** Postfix configuration directories of running masters, default instance excluded. */
  postfix: string[];
}

/** The default Postfix configuration directory: the instance `postconf` reads without -c. */
const POSTFIX_DEFAULT = '/etc/postfix';

function args(fs: HostFs, proc: string, pid: number, file: 'cmdline' | 'environ'): string[] {
  try { return fs.readFile(`${proc}/${pid}/${file}`, 64 * 1024).split('\0').filter(Boolean); } catch { return []; }
}

/** The value after "-c" (or of "-c<value>") in an argv. */
function dashC(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '-c' && argv[i + 1]) return argv[i + 1];
    if (argv[i]!.startsWith('-c') && argv[i]!.length > 2) return argv[i]!.slice(2);
  }
  return undefined;
}

export function runningConfigs(fs: HostFs, table: ProcessTable, proc = '/proc'): RunningConfigs {
  const out: RunningConfigs = { dovecot: [], postfix: [] };
  for (const pid of [...(table.get('dovecot') ?? [])].sort((a, b) => a - b)) {
    const c = dashC(args(fs, proc, pid, 'cmdline'));
    if (c?.startsWith('/') && !out.dovecot.includes(c)) out.dovecot.push(c);
  }
  for (const pid of [...(table.get('master') ?? [])].sort((a, b) => a - b)) {
    const argv = args(fs, proc, pid, 'cmdline');
    // Only Postfix's master (…/postfix/…/master), not another program's process called master.
    if (!/postfix/.test(argv[0] ?? '')) continue;
    const env = args(fs, proc, pid, 'environ').find((e) => e.startsWith('MAIL_CONFIG='))?.slice(12);
    const dir = (dashC(argv) ?? env)?.replace(/\/+$/, '');
    if (dir?.startsWith('/') && dir !== POSTFIX_DEFAULT && !out.postfix.includes(dir)) out.postfix.push(dir);
  }
  return out;
}
