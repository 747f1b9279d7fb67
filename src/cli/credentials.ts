// Login-test credentials: never from the command line (it leaks into shell history and
// `ps`), only from a file (`user:password`, first non-comment line) or environment variables.
import { statSync } from 'node:fs';
import { readUpTo } from '../io/files.js';
import { UsageError } from '../core/errors.js';
import { Redactor } from '../core/redact.js';
import type { Credentials } from '../probes/mailbox-facts.js';

/** Where send and roundtrip read their passwords when no file is given. */
export const SMTP_PASSWORD_ENV = 'MXDOCTOR_SMTP_PASSWORD';
export const IMAP_PASSWORD_ENV = 'MXDOCTOR_IMAP_PASSWORD';

/** A password or credentials file is small: more than this is not read. */
const SECRET_FILE_MAX = 64 * 1024;

/** From --credentials <file> if given, else MXDOCTOR_<SERVICE>_USER / _PASSWORD; undefined when neither. */
export function loadCredentials(service: 'imap' | 'pop3', file?: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  if (file) {
    const text = readSecretFile(file, '--credentials');
    const line = text.split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#'));
    const colon = line?.indexOf(':') ?? -1;
    // The content is never echoed: a malformed line may still hold a password.
    if (!line || colon <= 0 || colon === line.length - 1) throw new UsageError(`--credentials ${file}: expected one line "user:password"`);
    const password = line.slice(colon + 1);
    checkSecret(password, `--credentials ${file}`, 'the password after the colon');
    return { user: line.slice(0, colon), password };
  }
  const prefix = `MXDOCTOR_${service.toUpperCase()}_`;
  const user = env[`${prefix}USER`];
  const password = env[`${prefix}PASSWORD`];
  if (!user && !password) return undefined;
  if (!user || !password) throw new UsageError(`set both ${prefix}USER and ${prefix}PASSWORD (or use --credentials <file>)`);
  checkSecret(password, `${prefix}PASSWORD`, 'the password');
  return { user, password };
}

/**
 * A password (send, roundtrip): the first line of `file` when given, else the environment
 * variable `envName`. Never a flag value, and its content is never echoed in an error.
 */
export function passwordFrom(file: string | undefined, flag: string, envName: string, env: NodeJS.ProcessEnv, what: string): string {
  if (file) {
    // The first line, as is (a password may have spaces).
    const line = readSecretFile(file, flag).split(/\r?\n/)[0];
    if (!line) throw new UsageError(`${flag} ${file}: the first line is empty; put the password on it`);
    checkSecret(line, `${flag} ${file}`, 'the first line');
    return line;
  }
  const v = env[envName];
  if (!v) throw new UsageError(`${what}: set the password in ${envName} or give ${flag} <file> (never on the command line)`);
  checkSecret(v, envName, 'the password');
  return v;
}

/**
 * A secret file is a regular file (or a pipe: `--password-file <(pass show mail)`); a device
 * such as /dev/zero or /dev/urandom, a directory or a socket is refused before it is read.
 */
export function readSecretFile(file: string, flag: string): string {
  let kind: string | undefined;
  try {
    const st = statSync(file);
    if (!st.isFile() && !st.isFIFO()) kind = st.isDirectory() ? 'a directory' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (kind) throw new UsageError(`${flag} ${file}: ${kind}, not a file holding a password; give a regular file (chmod 600) with the password on its first line`);
  try {
    return readUpTo(file, SECRET_FILE_MAX).data.toString('utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** C0 (tab included), DEL and C1: no password holds them; a NUL-filled or binary file does. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** Refuse a secret with control characters (the wrong file, a device, a pasted escape). Never echoes it. */
export function checkSecret(secret: string, where: string, what: string): void {
  if (CONTROL.test(secret)) throw new UsageError(`${where}: ${what} holds control characters (NUL, ESC, tab...), so it is not a password; check that this is the right file or variable and that the password is alone on its line`);
}

/** The Redactor for a run's login credentials (imap/pop3 --credentials). */
export function redactorFor(c: Credentials | undefined): Redactor {
  return c ? Redactor.of({ value: c.password, user: c.user }) : Redactor.none;
}
