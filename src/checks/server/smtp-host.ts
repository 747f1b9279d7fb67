// `mxdoctor smtp host[:port]`: the SMTP checks on one endpoint named by the user.
// Port 25 is judged as an MX, 587/465 as submission; --intrusive --rcpt adds the SMTP
// smuggling test against this host only.
import type { Check, CheckContext, HostTarget } from '../../core/check.js';
import type { Finding } from '../../core/finding.js';
import { finding } from '../../core/finding.js';
import { probeSmuggling } from '../../probes/smtp/smuggling.js';
import type { SmtpProbeResult } from '../../probes/smtp/types.js';
import { endpointLabel } from './endpoints.js';
import { hostAddresses, hostLookupFinding } from './host-addresses.js';
import { SMTP as F } from './smtp-findings.js';
import { checkSmtpEndpoint } from './smtp-endpoint.js';
import { smtpCheck, judgeTimeouts } from './smtp.js';
import { softwareFindings } from './smtp-judge.js';
import { judgeSubmission, probeSubmission } from './submission.js';

export interface SmtpHostOptions {
  /** Test postmaster@ this domain (and so whether the host accepts it). */
  domain?: string;
}

export function smtpHostCheck(o: SmtpHostOptions = {}): Check<HostTarget> {
  return {
    ...smtpCheck,
    description: 'SMTP on one host[:port]: connection, greeting, EHLO, STARTTLS or implicit TLS, AUTH, relay and RCPT tests, software version; --intrusive: SMTP smuggling.',
    async run(target, ctx) {
      const { ports } = ctx.options;
      const port = target.port ?? ports.smtp;
      const implicitTls = port === ports.submissions || port === 465;
      const submission = implicitTls || port === ports.submission || port === 587;
      const addrs = await hostAddresses(ctx, target.host);
      if (!addrs.ok) return [hostLookupFinding(F, addrs, target.host)];
      const endpoints = addrs.addresses.map((address) => ({ host: target.host, address, port, implicitTls, source: 'option' as const }));
      let out: Finding[];
      if (submission) {
        out = (await Promise.all(endpoints.map(async (e) => {
          const r = await probeSubmission(ctx, e);
          return withTranscript([...judgeSubmission(e, r, ctx.options.slowMs), ...(r.greeting ? softwareFindings(r, endpointLabel(e)) : [])], r);
        }))).flat();
      } else {
        const reports = await Promise.all(endpoints.map((e) => checkSmtpEndpoint(ctx, e, { domain: o.domain })));
        for (const rep of reports) withTranscript(rep.findings, rep.result);
        out = await judgeTimeouts(ctx, reports);
      }
      if (ctx.options.intrusive && ctx.options.intrusiveRcpt) out.push(await smuggling(ctx, endpoints[0]!, ctx.options.intrusiveRcpt));
      return out;
    },
  };
}

/** The transcript rides on the endpoint's first finding, for --transcript and --json. */
function withTranscript(findings: Finding[], r: SmtpProbeResult): Finding[] {
  const first = findings[0];
  if (first) first.evidence = { ...first.evidence, transcript: r.transcript.render().split('\n') };
  return findings;
}

async function smuggling(ctx: CheckContext, e: { host: string; address: string; port: number }, rcpt: string): Promise<Finding> {
  const subject = endpointLabel(e);
  const r = await probeSmuggling(ctx.net, {
    host: e.host, address: e.address, port: e.port, heloName: ctx.options.heloName, timeoutMs: ctx.options.stepTimeoutMs, rcpt,
    date: new Date(ctx.clock.now()).toUTCString().replace('GMT', '+0000'),
  });
  const evidence = { outcome: r.outcome, ...(r.reply ? { reply: `${r.reply.code} ${r.reply.text}` } : {}), steps: r.steps, rcpt, transcript: r.transcript.render().split('\n') };
  const def = r.outcome === 'ended-at-bare-lf' ? F.smugglingAccepted : r.outcome === 'not-reached' ? F.smugglingInconclusive
    : r.outcome === 'no-answer' ? F.smugglingNoAnswer : F.smugglingRejected;
  return finding(def, { subject, detail: r.detail, evidence });
}
