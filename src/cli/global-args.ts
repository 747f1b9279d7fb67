// Global options before the command (`mxdoctor --json check example.com`): moved behind the
// command name, where each command declares the ones it uses, so there is one declaration
// per flag and a command that has no use for one still says "unknown option".
// Old spellings kept for one release are rewritten here too (hidden in --help).

/** Flags that may come before the command; the value says whether one argument follows. */
export const GLOBAL_FLAGS: Record<string, boolean> = { '--json': false, '-v': false, '--verbose': false, '--no-color': false, '-q': false, '--quiet': false, '--resolver': true };

export function hoistGlobalOptions(args: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!(name in GLOBAL_FLAGS)) break;
    const takesValue = GLOBAL_FLAGS[name] && !a.includes('=');
    moved.push(...args.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  if (!moved.length || i >= args.length || args[i]!.startsWith('-')) return args; // --help, --version, or nothing after
  return [args[i]!, ...moved, ...args.slice(i + 1)];
}

/**
 * `imap|pop3 --tls` was a switch (implicit TLS); it is now `--tls <mode>`. The switch form
 * (not followed by a mode) still means implicit, for one release.
 */
export function legacySpellings(args: string[]): string[] {
  const cmd = args[0];
  if (cmd !== 'imap' && cmd !== 'pop3') return args;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { out.push(...args.slice(i)); break; }
    if (a === '--tls' && !['implicit', 'starttls'].includes(args[i + 1] ?? '')) out.push('--tls=implicit');
    else out.push(a);
  }
  return out;
}

/** `--json` anywhere before `--`: the caller wants machine-readable output, errors included. */
export function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}
