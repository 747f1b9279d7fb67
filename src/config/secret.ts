// Secrets in a config file are references, never values: `password_env: NAME` (an
// environment variable) or `password_file: path` (its first line). An inline `password:`
// is refused at load time with the fix; the value itself is never echoed.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { MapReader } from './reader.js';

export interface ConfigIo {
  /** Read a file (secrets, CA certificates), path already resolved; throws ENOENT etc. */
  readText(path: string): string;
  env: Record<string, string | undefined>;
}

/** C0 (tab included), DEL and C1: no password holds them. */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

export const SECRET_KEYS = ['password_env', 'password_file'] as const;

/** The message for `password:` written inline, shared by every section that takes a secret. */
export const INLINE_PASSWORD = 'passwords are not written into the config file: use "password_env: VARIABLE" (read from the environment) or "password_file: /path/to/file" (its first line) instead';

/** Resolve a password reference under `m`; undefined when neither key is present. */
export function readSecret(m: MapReader, io: ConfigIo): string | undefined {
  const envName = m.str('password_env');
  const file = m.str('password_file');
  if (envName && file) throw m.src.error(m.lineNode('password_file'), m.sub('password_file'), 'give either password_env or password_file, not both');
  if (envName) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw m.src.error(m.lineNode('password_env'), m.sub('password_env'), 'expected the name of an environment variable (letters, digits, _)');
    const v = io.env[envName];
    if (!v) throw m.src.error(m.lineNode('password_env'), m.sub('password_env'), `the environment variable ${envName} is not set (or empty); export it before running mxdoctor`);
    if (CONTROL.test(v)) throw m.src.error(m.lineNode('password_env'), m.sub('password_env'), `${envName} holds control characters (NUL, ESC, tab...), so it is not a password; check the variable`);
    return v;
  }
  if (file) {
    const path = configRelative(m.src.file, file);
    let text: string;
    try {
      text = io.readText(path);
    } catch (e) {
      throw m.src.error(m.lineNode('password_file'), m.sub('password_file'), `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a readable file holding the password on its first line`);
    }
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw m.src.error(m.lineNode('password_file'), m.sub('password_file'), `${path}: the first line is empty; put the password on it`);
    // /dev/zero, a binary or the wrong file: refused without echoing a byte of it.
    if (CONTROL.test(line)) throw m.src.error(m.lineNode('password_file'), m.sub('password_file'), `${path}: the first line holds control characters (NUL, ESC, tab...), so it is not a password; give a regular file with the password alone on its first line`);
    return line;
  }
  return undefined;
}

/** Relative paths in a config file are relative to the file's own directory. */
export function configRelative(configFile: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(configFile), p);
}
