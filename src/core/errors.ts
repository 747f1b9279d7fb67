// Bugs and misuse are exceptions; domain problems are Findings (DESIGN.md §3).
// The CLI catches these in one place and prints a single line naming the fix.

export class UsageError extends Error {
  override name = 'UsageError';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, readonly file?: string, readonly line?: number) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message);
  }
}

/** Exit code for a run that could not happen at all (bad flag, unreadable file). */
export const EXIT_USAGE = 3;
