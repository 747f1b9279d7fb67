// Service: look addresses and names up on DNS blacklists (`mxdoctor blacklist`): an IP on
// the IP lists; a name's mail servers on the IP lists and the name on the domain lists.
import net from 'node:net';
import type { AddressTarget } from '../core/check.js';
import { normalizeDomain } from '../core/domain-name.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { dnsblAddressCheck } from '../checks/reputation/dnsbl.js';
import { runTargets } from './probe-host.js';
import type { ProbeHostOptions } from './probe-host.js';

export function blacklistTarget(input: string): AddressTarget {
  const raw = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(raw)) return { kind: 'address', address: raw.toLowerCase(), input };
  try {
    return { kind: 'address', address: normalizeDomain(raw), input };
  } catch (e) {
    throw new UsageError(`${input}: give an IPv4/IPv6 address, a host name or a domain (${(e as Error).message})`);
  }
}

export function checkBlacklists(targets: AddressTarget[], o: ProbeHostOptions = {}): Promise<Report[]> {
  return runTargets('blacklist', targets, [dnsblAddressCheck], o);
}
