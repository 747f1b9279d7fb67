// The one place that maps results and errors to exit codes (DESIGN.md §3, §10).
// Start-up counts (monitoring runs the CLI every minute per target): this file loads only
// what every run needs; the command-line surface (commander, program.ts) is loaded after the
// `--version` shortcut, and each command's code by its action (program.ts).
import { ConfigError, EXIT_USAGE, UsageError } from '../core/errors.js';
import { hoistGlobalOptions, legacySpellings, wantsJson } from './global-args.js';
import { usageErrorJson, write, writeErr } from './output.js';
import { VERSION } from '../version.js';

let exitCode = 0;
const args = legacySpellings(hoistGlobalOptions(process.argv.slice(2)));
const json = wantsJson(args);

// A closed pipe (`mxdoctor check … | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(exitCode); });

// `mxdoctor --version` alone answers without building the command line: what commander
// would print for it (program.ts declares the same .version(VERSION)).
const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
const { CommanderError } = versionOnly ? { CommanderError: undefined } : await import('commander');
try {
  if (versionOnly) write(`${VERSION}\n`);
  else {
    const { buildProgram } = await import('./program.js');
    await buildProgram((code) => { exitCode = code; }).parseAsync(args, { from: 'user' });
  }
} catch (err) {
  if (CommanderError && err instanceof CommanderError) {
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
