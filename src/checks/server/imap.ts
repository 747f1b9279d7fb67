// IMAP on every mailbox endpoint of a domain (SRV _imap/_imaps, --imap-host, else the
// MX hosts) and on one host for `mxdoctor imap`: greeting, capabilities, STARTTLS,
// LOGINDISABLED before TLS, AUTH mechanisms, and a login test when credentials are given.
import type { Check, CheckContext, HostTarget } from '../../core/check.js';
import { skipUnlessProbing } from '../../core/check.js';
import type { Finding, FindingDef } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { probeImap } from '../../probes/imap.js';
import type { Credentials, MailboxFacts } from '../../probes/mailbox-facts.js';
import { endpointLabel, getEndpoints, unresolvedFindings } from './endpoints.js';
import { hostAddresses, hostLookupFinding } from './host-addresses.js';
import { IMAP_PROTOCOL, mailboxDefs } from './mailbox-defs.js';
import type { EndpointLike } from './mailbox-judge.js';
import { judgeMailbox } from './mailbox-judge.js';

const F = {
  ...mailboxDefs(IMAP_PROTOCOL),
  preauth: {
    id: 'imap.preauth', severity: 'critical', title: 'IMAP server pre-authenticates anonymous connections',
    meaning: 'The greeting is "* PREAUTH": the connection is logged in without credentials, and STARTTLS is no longer possible (it is only valid before authentication; RFC 9051 §6.2.1, the STARTTLS-stripping attack of RFC 9051 §11.1).',
    remediation: 'Never expose a pre-authenticating IMAP service on the network; PREAUTH is for local tunnels (ssh, stdin) only.',
    refs: ['RFC 9051 §7.1.4', 'RFC 9051 §11.1'],
  },
  loginDisabled: {
    id: 'imap.logindisabled', severity: 'ok', title: 'LOGINDISABLED announced before STARTTLS',
    meaning: 'Before TLS the server refuses plaintext LOGIN (RFC 9051 §6.2.3), so passwords only travel encrypted.',
    refs: ['RFC 9051 §6.2.3'],
  },
} satisfies Record<string, FindingDef>;

/** Probe and judge one IMAP endpoint (also used by `mxdoctor imap`). */
export async function checkImapEndpoint(ctx: CheckContext, e: EndpointLike, credentials?: Credentials, insecure?: boolean): Promise<Finding[]> {
  const facts = await probeImap(ctx.net, { host: e.host, address: e.address, port: e.port, implicitTls: e.implicitTls, timeoutMs: ctx.options.stepTimeoutMs, credentials, ...(insecure ? { insecure } : {}) });
  return judgeMailbox(ctx, e, facts, F, IMAP_PROTOCOL, imapExtras(e, facts));
}

function imapExtras(e: EndpointLike, f: MailboxFacts): Finding[] {
  const subject = endpointLabel(e);
  const out: Finding[] = [];
  if (f.greeting?.status === 'PREAUTH') out.push(finding(F.preauth, { subject, detail: f.greeting.text }));
  if (!e.implicitTls && f.capsPlain?.includes('LOGINDISABLED')) out.push(finding(F.loginDisabled, { subject }));
  return out;
}

export const imapCheck: Check = {
  family: 'imap',
  area: 'IMAP',
  connects: true,
  skip: skipUnlessProbing,
  description: 'IMAP on the mailbox hosts (SRV, --imap-host, else the MX hosts): greeting, capabilities, STARTTLS, LOGINDISABLED before TLS, AUTH mechanisms, optional login test.',
  findings: Object.values(F),
  async run(target, ctx) {
    if (!ctx.options.probeServers) return [];
    const { endpoints, unresolved } = await getEndpoints(ctx, target.domain);
    const mine = endpoints.filter((e) => e.service === 'imap' || e.service === 'imaps');
    const probed = (await Promise.all(mine.map((e) => checkImapEndpoint(ctx, e)))).flat();
    return [...unresolvedFindings(unresolved, ['imap', 'imaps'], F), ...probed];
  },
};

/** `mxdoctor imap host[:port]`: port 143 by default; 993 (or `implicitTls`) means TLS from the first byte. */
export function imapHostCheck(o: { credentials?: Credentials; implicitTls?: boolean; insecure?: boolean } = {}): Check<HostTarget> {
  return {
    ...imapCheck,
    async run(target, ctx) {
      const port = target.port ?? ctx.options.ports.imap;
      const implicitTls = o.implicitTls ?? (port === ctx.options.ports.imaps || port === 993);
      const addrs = await hostAddresses(ctx, target.host);
      if (!addrs.ok) return [hostLookupFinding(F, addrs, target.host)];
      return (await Promise.all(addrs.addresses.map((address) => checkImapEndpoint(ctx, { host: target.host, address, port, implicitTls }, o.credentials, o.insecure)))).flat();
    },
  };
}
