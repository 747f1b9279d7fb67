// Service: look addresses and names up on DNS blacklists (`mxdoctor blacklist`): an IP on
// the IP lists; a name's mail servers on the IP lists and the name on the domain lists.
import net from 'node:net';
import type { AddressTarget } from '../core/check.js';
import { domainProblem, normalizeDomain } from '../core/domain-name.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { dnsblAddressCheck } from '../checks/reputation/dnsbl.js';
import { runTargets } from './probe-host.js';
import type { ProbeHostOptions } from './probe-host.js';

export function blacklistTarget(input: string): AddressTarget {
  const raw = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(raw)) return { kind: 'address', address: raw.toLowerCase(), input };
  const problem = domainProblem(raw.replace(/\.$/, '').toLowerCase());
  // Non-ASCII (IDN) names go through normalizeDomain's IDNA conversion.
  if (problem && /^[\x00-\x7f]*$/.test(raw)) throw new UsageError(`"${input}" is not an IP address or a name: ${problem}`);
  return { kind: 'address', address: normalizeDomain(raw), input };
}

export function checkBlacklists(targets: AddressTarget[], o: ProbeHostOptions = {}): Promise<Report[]> {
  return runTargets('blacklist', targets, [dnsblAddressCheck], o);
}
