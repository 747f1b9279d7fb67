// Login-test credentials: never from the command line (it leaks into shell history and
// `ps`), only from a file (`user:password`, first non-comment line) or environment variables.
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Credentials } from '../probes/mailbox-facts.js';

/** From --credentials <file> if given, else MXDOCTOR_<SERVICE>_USER / _PASSWORD; undefined when neither. */
export function loadCredentials(service: 'imap' | 'pop3', file?: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
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
