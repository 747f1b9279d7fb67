// Login-test credentials: never from the command line (it leaks into shell history and
// `ps`), only from a file (`user:password`, first non-comment line) or environment variables.
import { readUpTo } from '../io/files.js';
import { UsageError } from '../core/errors.js';
import type { Credentials } from '../probes/mailbox-facts.js';

/** Where send and roundtrip read their passwords when no file is given. */
export const SMTP_PASSWORD_ENV = 'MXDOCTOR_SMTP_PASSWORD';
export const IMAP_PASSWORD_ENV = 'MXDOCTOR_IMAP_PASSWORD';

/** A password or credentials file is small: more than this is not read. */
const SECRET_FILE_MAX = 64 * 1024;

/** From --credentials <file> if given, else MXDOCTOR_<SERVICE>_USER / _PASSWORD; undefined when neither. */
export function loadCredentials(service: 'imap' | 'pop3', file?: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  if (file) {
    let text: string;
    try {
      text = readUpTo(file, SECRET_FILE_MAX).data.toString('utf8');
    } catch (e) {
      throw new UsageError(`--credentials ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const line = text.split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#'));
    const colon = line?.indexOf(':') ?? -1;
    // The content is never echoed: a malformed line may still hold a password.
    if (!line || colon <= 0 || colon === line.length - 1) throw new UsageError(`--credentials ${file}: expected one line "user:password"`);
    return { user: line.slice(0, colon), password: line.slice(colon + 1) };
  }
  const prefix = `MXDOCTOR_${service.toUpperCase()}_`;
  const user = env[`${prefix}USER`];
  const password = env[`${prefix}PASSWORD`];
  if (!user && !password) return undefined;
  if (!user || !password) throw new UsageError(`set both ${prefix}USER and ${prefix}PASSWORD (or use --credentials <file>)`);
  return { user, password };
}

/**
 * A password (send, roundtrip): the first line of `file` when given, else the environment
 * variable `envName`. Never a flag value, and its content is never echoed in an error.
 */
export function passwordFrom(file: string | undefined, flag: string, envName: string, env: NodeJS.ProcessEnv, what: string): string {
  if (file) {
    let text: string;
    try {
      text = readUpTo(file, SECRET_FILE_MAX).data.toString('utf8');
    } catch (e) {
      throw new UsageError(`${flag} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    // The first line, as is (a password may have spaces).
    const line = text.split(/\r?\n/)[0];
    if (!line) throw new UsageError(`${flag} ${file}: the first line is empty; put the password on it`);
    return line;
  }
  const v = env[envName];
  if (!v) throw new UsageError(`${what}: set the password in ${envName} or give ${flag} <file> (never on the command line)`);
  return v;
}
