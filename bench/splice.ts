// Replacing one section of docs/performance.md (a `## ` heading up to the next) when a bench
// part runs alone (BENCH_ONLY=…), so the other sections and their figures stay as they were.

/** `section` in place of the one under `heading`, or before "## Observations" when there is none. */
export function spliceSection(existing: string, heading: string, section: string): string {
  const start = existing.indexOf(`\n${heading}`);
  if (start >= 0) {
    const next = existing.indexOf('\n## ', start + 1);
    return existing.slice(0, start + 1) + section + (next < 0 ? '' : `\n${existing.slice(next + 1)}`);
  }
  const obs = existing.indexOf('\n## Observations');
  return obs < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, obs + 1)}${section}\n${existing.slice(obs + 1)}`;
}
