// Round-trip targets of serve: `roundtrip: <name>` names a destination of the same file's
// `roundtrip:` section (read by config/roundtrip.ts, as `mxdoctor roundtrip --config` does),
// and its wait for delivery must end before the scheduler's run deadline cuts it short.
import type { RoundtripConfig } from './roundtrip.js';
import type { RoundtripRequest } from '../roundtrip/types.js';
import type { Problems } from './serve-load.js';

/** How long a round trip may take beyond its wait for delivery (submission, IMAP login, search). */
export const ROUNDTRIP_MARGIN_MS = 30_000;

/** `section`: whether the file has a roundtrip: section (one that failed to load was reported already). */
export function roundtripDestination(name: string, rt: RoundtripConfig | undefined, section: boolean, runTimeoutMs: number, path: PropertyKey[], problems: Problems): RoundtripRequest | undefined {
  if (!rt) {
    if (!section) problems.add(path, `no roundtrip: section in this file; add one with a destination named "${name}" (docs/config.md)`);
    return undefined;
  }
  const d = rt.destinations.find((x) => x.name === name);
  if (!d) {
    problems.add(path, `no destination named "${name}" under roundtrip.destinations; use one of ${rt.destinations.map((x) => x.name).join(', ')}`);
    return undefined;
  }
  if (d.deadlineSeconds * 1000 + ROUNDTRIP_MARGIN_MS > runTimeoutMs) {
    problems.add(path, `the destination "${name}" waits up to ${d.deadlineSeconds} s for delivery: raise schedule.timeout to at least ${d.deadlineSeconds + ROUNDTRIP_MARGIN_MS / 1000}s (or lower its deadline)`);
  }
  return d;
}
