// `mxdoctor blacklist <ip|host|domain>`: an IP address on the IP lists; a name's mail
// servers (its MX hosts, else its own A/AAAA) on the IP lists and the name on the domain lists.
import net from 'node:net';
import type { AddressTarget } from '../../core/check.js';
import { normalizeDomain } from '../../core/domain-name.js';
import { UsageError } from '../../core/errors.js';
import { runTarget } from '../../core/runner.js';
import { dnsblAddressCheck } from '../../checks/reputation/dnsbl.js';
import { contextFactory, createResolver } from '../../context.js';
import { DnsClient } from '../../io/dns-client.js';
import { systemResolvers } from '../../io/resolv-conf.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { useColor, write } from '../output.js';
import type { CheckCommandOptions } from './check.js';

export function blacklistTarget(input: string): AddressTarget {
  const raw = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(raw)) return { kind: 'address', address: raw.toLowerCase(), input };
  try {
    return { kind: 'address', address: normalizeDomain(raw), input };
  } catch (e) {
    throw new UsageError(`${input}: give an IPv4/IPv6 address, a host name or a domain (${(e as Error).message})`);
  }
}

export async function blacklistCommand(inputs: string[], o: CheckCommandOptions): Promise<number> {
  if (!inputs.length) throw new UsageError('give an address or name, e.g. `mxdoctor blacklist 192.0.2.1` or `mxdoctor blacklist example.com`');
  const targets = inputs.map(blacklistTarget);
  const resolver = createResolver(o, systemResolvers);
  try {
    const runner = { checks: [dnsblAddressCheck], context: contextFactory(resolver, o), checkTimeoutMs: o.checkTimeoutMs ?? 20_000, ignore: o.ignore };
    const reports = await Promise.all(targets.map((t) => runTarget(t, runner)));
    write(o.json ? renderJson(reports) : renderText(reports, { color: useColor(o), verbose: o.verbose }));
    return worstExit(reports);
  } finally {
    if (resolver instanceof DnsClient) resolver.close();
  }
}
