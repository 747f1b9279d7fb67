// The one place that maps results and errors to exit codes (DESIGN.md §3, §10).
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { ConfigError, EXIT_USAGE, UsageError } from '../core/errors.js';
import { hoistGlobalOptions, legacySpellings, wantsJson } from './global-args.js';
import { usageErrorJson, write, writeErr } from './output.js';

let exitCode = 0;
const program = buildProgram((code) => { exitCode = code; });
const args = legacySpellings(hoistGlobalOptions(process.argv.slice(2)));
const json = wantsJson(args);

// A closed pipe (`mxdoctor check … | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(exitCode); });

try {
  await program.parseAsync(args, { from: 'user' });
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; parse errors were already printed on stderr.
    exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (exitCode && json) write(usageErrorJson(err.message.replace(/^error: /, ''), 'usage'));
  } else if (err instanceof UsageError || err instanceof ConfigError) {
    writeErr(`mxdoctor: ${err.message}\n`);
    if (json) write(usageErrorJson(err.message, err instanceof ConfigError ? 'config' : 'usage'));
    exitCode = EXIT_USAGE;
  } else {
    const e = err as Error;
    writeErr(`mxdoctor: internal error: ${e?.message ?? String(err)}\n${process.env.MXDOCTOR_DEBUG ? `${e?.stack}\n` : 'set MXDOCTOR_DEBUG=1 for the stack trace, and please report it\n'}`);
    if (json) write(usageErrorJson(`internal error: ${e?.message ?? String(err)}`, 'internal'));
    exitCode = EXIT_USAGE;
  }
}
process.exitCode = exitCode;
