// What the local mail software's configuration says about paths: Postfix via `postconf -x`
// (`-c` aware), Exim via `exim -bP`, Dovecot via `doveconf -h` (2.3 names, then 2.4 names).
import type { CommandRunner } from '../io/exec.js';
import { commandFailure } from './command-failure.js';
import type { Locator } from './locate.js';

const TIMEOUT = 15_000;

export interface ConfigRead {
  values: Record<string, string>;
  /** Why the tool could not be asked, when it could not. */
  error?: string;
  command: string;
}

const POSTFIX_KEYS = ['queue_directory', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file', 'smtpd_tls_chain_files', 'maillog_file', 'multi_instance_directories'];

/** "name = value" lines (postconf -x, exim -bP) → a map; unknown parameters only warn on stderr. */
export function nameValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z0-9_]+)\s*=\s?(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

export async function postfixConfig(run: CommandRunner, locate: Locator, dir?: string): Promise<ConfigRead> {
  const argv = [locate('postconf') ?? 'postconf', ...(dir ? ['-c', dir] : []), '-x', ...POSTFIX_KEYS];
  const r = await run(argv, { timeoutMs: TIMEOUT, maxBytes: 256 * 1024 });
  const f = commandFailure(r, argv, TIMEOUT);
  return { values: f ? {} : nameValues(r.stdout), error: f?.text, command: argv.join(' ') };
}

export async function eximConfig(run: CommandRunner, locate: Locator): Promise<ConfigRead> {
  const argv = [locate('exim4') ?? locate('exim') ?? 'exim', '-bP', 'spool_directory', 'tls_certificate', 'log_file_path'];
  const r = await run(argv, { timeoutMs: TIMEOUT, maxBytes: 64 * 1024 });
  const f = commandFailure(r, argv, TIMEOUT);
  return { values: f ? {} : nameValues(r.stdout), error: f?.text, command: argv.join(' ') };
}

/** doveconf -h for each setting; the 2.4 name is asked when the 2.3 one is unknown or empty. */
export async function dovecotConfig(run: CommandRunner, locate: Locator, file?: string): Promise<ConfigRead> {
  const bin = locate('doveconf') ?? 'doveconf';
  const values: Record<string, string> = {};
  let error: string | undefined;
  const ask = async (key: string): Promise<string | undefined> => {
    const argv = [bin, ...(file ? ['-c', file] : []), '-h', key];
    const r = await run(argv, { timeoutMs: TIMEOUT, maxBytes: 64 * 1024 });
    const f = commandFailure(r, argv, TIMEOUT);
    if (f) {
      // An unknown setting (2.4 renamed it) is not an error of the configuration as a whole.
      if (!/Unknown setting|unknown setting/.test(r.stderr)) error ??= f.text;
      return undefined;
    }
    return r.stdout.trim() || undefined;
  };
  for (const [k, alt] of [['mail_location', 'mail_path'], ['ssl_cert', 'ssl_server_cert_file']] as const) {
    const v = (await ask(k)) ?? (error ? undefined : await ask(alt));
    if (v) values[k] = v;
    if (error) break;
  }
  return { values, error, command: `${bin}${file ? ` -c ${file}` : ''} -h mail_location ssl_cert` };
}

/** postconf's list syntax: separated by commas and/or whitespace. */
export function splitList(v: string | undefined): string[] {
  return (v ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * Dovecot mail_location ("maildir:~/Maildir", "mbox:~/mail:INBOX=/var/mail/%u",
 * "mdbox:/var/vmail/%d/%n") → the fixed directories that hold mail: each path cut before
 * its first %variable. `home` is true when mail lives under users' home directories (~).
 */
export function mailStoreDirs(location: string): { dirs: string[]; home: boolean } {
  const body = location.replace(/^[a-z0-9]+:/i, '');
  const parts = body.split(':');
  const paths = [parts[0] ?? '', ...parts.slice(1).filter((p) => /^(INBOX|INDEX|CONTROL)=/i.test(p)).map((p) => p.slice(p.indexOf('=') + 1))];
  const dirs: string[] = [];
  let home = false;
  for (const p of paths) {
    if (p.startsWith('~') || /^%\{?h(ome)?\}?/.test(p)) { home = true; continue; }
    if (!p.startsWith('/')) continue;
    const fixed: string[] = [];
    for (const seg of p.split('/').slice(1)) { if (seg.includes('%') || seg.includes('$')) break; fixed.push(seg); }
    const dir = `/${fixed.filter(Boolean).join('/')}`;
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return { dirs, home };
}
