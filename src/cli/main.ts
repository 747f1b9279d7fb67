// The one place that maps results and errors to exit codes (DESIGN.md §3, §10).
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { ConfigError, EXIT_USAGE, UsageError } from '../core/errors.js';
import { writeErr } from './output.js';

let exitCode = 0;
const program = buildProgram((code) => { exitCode = code; });

// A closed pipe (`mxdoctor check … | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(exitCode); });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; parse errors were already printed.
    exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (err instanceof UsageError || err instanceof ConfigError) {
    writeErr(`mxdoctor: ${err.message}\n`);
    exitCode = EXIT_USAGE;
  } else {
    const e = err as Error;
    writeErr(`mxdoctor: internal error: ${e?.message ?? String(err)}\n${process.env.MXDOCTOR_DEBUG ? `${e?.stack}\n` : 'set MXDOCTOR_DEBUG=1 for the stack trace, and please report it\n'}`);
    exitCode = EXIT_USAGE;
  }
}
process.exitCode = exitCode;
