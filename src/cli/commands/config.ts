// `mxdoctor config check <file>`: validate a serve config and report every problem with
// the file, the line and the fix (exit 3), or summarise what it describes (exit 0).
import { validateServeConfig } from '../../config/serve-load.js';
import { readUpTo } from '../../io/files.js';
import { ConfigError, EXIT_USAGE } from '../../core/errors.js';
import { write, writeErr } from '../output.js';

export function configCheckCommand(file: string, o: { json?: boolean }): number {
  let text: string;
  try {
    text = readUpTo(file, 2 * 1024 * 1024).data.toString('utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`, file);
  }
  const io = { readText: (p: string) => readUpTo(p, 2 * 1024 * 1024).data.toString('utf8'), env: process.env };
  const v = validateServeConfig(text, file, io);
  if (o.json) {
    write(`${JSON.stringify({ file, ok: !!v.config, errors: v.errors.map((e) => ({ file: e.file, line: e.line ?? null, message: e.message })) })}\n`);
    return v.config ? 0 : EXIT_USAGE;
  }
  if (!v.config) {
    for (const e of v.errors) writeErr(`mxdoctor: ${e.message}\n`);
    writeErr(`mxdoctor: ${v.errors.length} problem${v.errors.length === 1 ? '' : 's'} in ${file}\n`);
    return EXIT_USAGE;
  }
  const c = v.config;
  write(`${file}: ok: ${c.targets.length} targets, ${Object.keys(c.modules).length} modules, ${c.rules.length} alert rules, ${Object.keys(c.channels).length} channels; listen ${c.listen.host}:${c.listen.port}; store ${c.store.url ? 'postgres' : c.store.path}\n`);
  return 0;
}
