// Which known issues a server's software version has: the matching over the sourced table in
// data/vulnerable-versions.ts (data holds the facts, this the rule: a version is affected from
// `introduced` up to the fix of its own branch).
import { compareVersions } from '../../parsers/smtp-software.js';
import { VULNERABLE_VERSIONS } from '../../data/vulnerable-versions.js';
import type { VulnerableRange } from '../../data/vulnerable-versions.js';

function branch(v: string): string {
  return v.split('.').slice(0, 2).join('.');
}

export function isAffected(r: VulnerableRange, version: string): boolean {
  if (r.introduced && compareVersions(version, r.introduced) < 0) return false;
  const highest = [...r.fixed].sort(compareVersions).at(-1)!;
  if (compareVersions(version, highest) >= 0) return false;
  return !r.fixed.some((f) => branch(f) === branch(version) && compareVersions(version, f) >= 0);
}

/** Known issues of this software at this version. */
export function vulnerabilitiesOf(software: string, version: string): VulnerableRange[] {
  return VULNERABLE_VERSIONS.filter((r) => r.software.toLowerCase() === software.toLowerCase() && isAffected(r, version));
}
