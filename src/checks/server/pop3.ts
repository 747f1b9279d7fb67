// POP3 on every mailbox endpoint of a domain (SRV _pop3/_pop3s, --pop3-host, else the
// MX hosts) and on one host for `mxdoctor pop3`: greeting, CAPA, STLS, plaintext USER/PASS
// before TLS, SASL mechanisms, and a login test when credentials are given.
import type { Check, CheckContext, HostTarget } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { probePop3 } from '../../probes/pop3.js';
import type { Credentials, MailboxFacts } from '../../probes/mailbox-facts.js';
import { endpointLabel, getEndpoints, unresolvedFindings } from './endpoints.js';
import { hostAddresses, hostLookupFinding } from './host-addresses.js';
import { POP3_PROTOCOL, mailboxDefs } from './mailbox-defs.js';
import type { EndpointLike } from './mailbox-judge.js';
import { judgeMailbox } from './mailbox-judge.js';

const F = {
  ...mailboxDefs(POP3_PROTOCOL),
  capaUnsupported: {
    id: 'pop3.capa-unsupported', severity: 'info', title: 'POP3 server does not support CAPA',
    meaning: 'The server answered CAPA with -ERR (an RFC 1939-only server), so it announces neither STLS nor its login methods; clients must guess.',
    refs: ['RFC 2449 §5'],
  },
} satisfies Record<string, FindingDef>;

/** Probe and judge one POP3 endpoint (also used by `mxdoctor pop3`). */
export async function checkPop3Endpoint(ctx: CheckContext, e: EndpointLike, credentials?: Credentials, insecure?: boolean): Promise<Finding[]> {
  const facts = await probePop3(ctx.net, { host: e.host, address: e.address, port: e.port, implicitTls: e.implicitTls, timeoutMs: ctx.options.stepTimeoutMs, credentials, ...(insecure ? { insecure } : {}) });
  return judgeMailbox(ctx, e, facts, F, POP3_PROTOCOL, pop3Extras(e, facts));
}

function pop3Extras(e: EndpointLike, f: MailboxFacts): Finding[] {
  return f.capaUnsupported ? [finding(F.capaUnsupported, { subject: endpointLabel(e) })] : [];
}

export const pop3Check: Check = {
  family: 'pop3',
  area: 'POP3',
  connects: true,
  skip: skipUnlessProbing,
  description: 'POP3 on the mailbox hosts (SRV, --pop3-host, else the MX hosts): greeting, CAPA, STLS, plaintext login before TLS, SASL mechanisms, optional login test.',
  findings: Object.values(F),
  async run(target, ctx) {
    if (!ctx.options.probeServers) return [];
    const { endpoints, unresolved } = await getEndpoints(ctx, target.domain);
    const mine = endpoints.filter((e) => e.service === 'pop3' || e.service === 'pop3s');
    const probed = (await Promise.all(mine.map((e) => checkPop3Endpoint(ctx, e)))).flat();
    return [...unresolvedFindings(unresolved, ['pop3', 'pop3s'], F), ...probed];
  },
};

/** `mxdoctor pop3 host[:port]`: port 110 by default; 995 (or `implicitTls`) means TLS from the first byte. */
export function pop3HostCheck(o: { credentials?: Credentials; implicitTls?: boolean; insecure?: boolean } = {}): Check<HostTarget> {
  return {
    ...pop3Check,
    async run(target, ctx) {
      const port = target.port ?? ctx.options.ports.pop3;
      const implicitTls = o.implicitTls ?? (port === ctx.options.ports.pop3s || port === 995);
      const addrs = await hostAddresses(ctx, target.host);
      if (!addrs.ok) return [hostLookupFinding(F, addrs, target.host)];
      return (await Promise.all(addrs.addresses.map((address) => checkPop3Endpoint(ctx, { host: target.host, address, port, implicitTls }, o.credentials, o.insecure)))).flat();
    },
  };
}
