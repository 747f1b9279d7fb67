// `mxdoctor demo`: a lab of DNS, HTTPS and mail servers on loopback with planted defects,
// checked exactly as a real domain would be, so a new user sees a real report without internet.
import { startLab } from '../../lab/lab.js';
import { DnsClient } from '../../io/dns-client.js';
import { formatServer } from '../../io/resolver.js';
import { createNetClient } from '../../io/net.js';
import type { NetClient } from '../../io/net.js';
import { probeTls } from '../../probes/tls-probe.js';
import { smtpStartTlsOpener } from '../../probes/smtp/opener.js';
import { runMany } from '../../core/runner.js';
import { deadline } from '../../io/deadline.js';
import type { Report } from '../../core/report.js';
import { contextFactory } from '../../context.js';
import { selectChecks } from '../../index.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { renderDemoTable } from '../../report/demo-table.js';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.js';
import { MAIL_PROFILES } from '../../lab/mail-plan.js';
import type { Lab } from '../../lab/lab.js';
import type { OutputOptions } from '../output.js';
import { useColor, write, writeErr } from '../output.js';

// The lab's CA, for --ca in the --serve line: next to the zones in src/ or dist/.
const CA_PATH = fileURLToPath(new URL('../../lab/certs/ca.pem', import.meta.url));

export interface DemoOptions extends OutputOptions {
  domains?: string[];
  serve?: boolean;
  /** --deadline, ms: the checks of every lab domain end by then (the lab of --serve stays up). */
  deadlineMs?: number;
}

export async function demoCommand(o: DemoOptions): Promise<number> {
  const lab = await startLab();
  // The lab's servers share this process's event loop with the checks: a few domains at
  // a time and a generous timeout keep a slow CI machine from turning into timeouts.
  const resolver = new DnsClient({ servers: [lab.resolver], timeoutMs: 2000, retries: 1 });
  const d = deadline(o.deadlineMs, 'demo');
  try {
    const known = lab.data.demo.map((d) => d.domain);
    const unknown = (o.domains ?? []).filter((d) => !known.includes(d));
    if (unknown.length) throw new UsageError(`--domain ${unknown.join(',')}: not a lab domain; the lab has ${known.join(', ')}`);
    const picked = lab.data.demo
      .filter((d) => !o.domains?.length || o.domains.includes(d.domain))
      .sort((a, b) => Number(b.domain === 'healthy.test') - Number(a.domain === 'healthy.test'));
    // --serve: how to reach the lab comes first, not after the reports.
    // The Ctrl-C handler goes in before any line mentions Ctrl-C (a signal sent on reading it
    // must find it); `on`, not `once`: a second Ctrl-C while the lab closes must not kill us mid-way.
    const stopped = o.serve ? new Promise<void>((resolve) => process.on('SIGINT', () => resolve())) : undefined;
    if (o.serve) writeErr(`${serveLine(lab)}\n`);
    if (!o.json) {
      write(`mxdoctor demo: a lab on loopback with planted defects: a DNS resolver on ${formatServer(lab.resolver)} (authoritative servers on 127.0.0.2-4, same port),\n`);
      write(`an HTTPS server on 127.0.0.1:${lab.httpsPort} for MTA-STS policies, and mail servers:\n`);
      write(mailIntro(lab));
      write(`checking ${picked.length} domain${picked.length > 1 ? 's' : ''} as \`mxdoctor check\` checks yours...\n\n`);
    }
    // healthy.test signs with selector "mx2026", which no list of common selectors can guess:
    // the demo names it, as a user would with --dkim-selector.
    // The mail servers listen on random ports (the same on every address), never on 25/587/...
    const ca = [...new Set([...lab.ca, ...lab.mailCa])];
    // Several demo domains share mx1.healthy.test, each probing its every service: the
    // per-host cap that spares real servers (4) would queue them, and these are our own.
    const net = createNetClient({ ca, loopbackOnly: true, maxPerHost: 16 });
    // slowMs: the lab's servers share this process's event loop with the checks, so an ordinary
    // reply can take several hundred ms on a busy machine; the planted slow greeting (1800 ms) still stands out.
    const options = { authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca, dkimSelectors: ['mx2026'], loopbackOnly: true, probeServers: true, ports: lab.mailPorts, slowMs: 1500, signal: d.signal };
    const context = contextFactory(resolver, { ...options, net });
    // healthy.test alone, at the usual per-host cap: few sessions in flight, prompt replies.
    const calmNet = createNetClient({ ca, loopbackOnly: true });
    const calm = contextFactory(resolver, { ...options, net: calmNet });
    const byDomain = new Map<string, Report>();
    // The lab's servers and the checks share one event loop: every reply time includes the
    // work of the other sessions in flight. healthy.test (the report shown in full) runs on
    // its own first, so a busy machine does not turn that into slow-reply warnings; then the
    // rest, the slow greeting first since it mostly waits.
    const checks = selectChecks();
    for (const n of [calmNet, net]) await warmUp(lab, n);
    const first = picked.filter((d) => d.domain === 'healthy.test');
    const rest = picked.filter((d) => d.domain !== 'healthy.test').sort((a, b) => Number(b.domain === 'smtp-slow.test') - Number(a.domain === 'smtp-slow.test'));
    for (const [batch, ctx] of [[first, calm], [rest, context]] as const) {
      const targets = batch.map((d) => ({ kind: 'domain' as const, domain: d.domain }));
      for await (const r of runMany(targets, { checks, context: ctx, checkTimeoutMs: 15_000, signal: d.signal }, 4)) byDomain.set(r.target, r);
    }
    d.dispose();
    const cut = d.signal.aborted;
    const reports = picked.map((d) => byDomain.get(d.domain)!);
    if (o.json) write(renderJson(reports));
    else {
      const color = useColor(o);
      write(renderDemoTable(picked.map((d) => ({ planted: d.description, report: byDomain.get(d.domain)! })), { color, width: tableWidth() }));
      // The details on request: --domain (those domains) or --verbose (every domain, every check).
      if (o.verbose || o.domains?.length) for (const r of reports) write(`\n${renderText([r], { color, verbose: o.verbose })}`);
      write('\nEach domain was checked over real UDP/TCP DNS, HTTPS, SMTP, IMAP and POP3 on loopback.\n');
      if (!o.verbose && !o.domains?.length) write('The full report of one domain: mxdoctor demo --domain smtp-expired.test   (all of them: --verbose, machine-readable: --json)\n');
      write('Check your own domain with: mxdoctor check example.com\n');
    }
    if (o.serve) {
      writeErr('lab still running: Ctrl-C to stop\n');
      await stopped;
    }
    if (cut) writeErr('mxdoctor demo: the --deadline passed before every check finished: the reports say which were cut (run.deadline) or not run\n');
    // The demo ran as intended even though its domains have defects: that is its point. Cut
    // short by the deadline, it could not show what it is for: unknown.
    return cut ? 3 : 0;
  } finally {
    d.dispose();
    resolver.close();
    await lab.close();
  }
}

/** The command that checks a lab domain from another terminal, with every flag it needs. */
export function serveLine(lab: Lab): string {
  const ports = Object.entries(lab.mailPorts).map(([k, v]) => `${k}=${v}`).join(',');
  return `lab running until Ctrl-C; from another terminal: mxdoctor check healthy.test --resolver ${formatServer(lab.resolver)} --auth-port ${lab.dnsPort} --https-port ${lab.httpsPort} --ports ${ports} --ca ${CA_PATH}`;
}

function tableWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.max(80, process.stdout.columns) : 120;
}

/** "  SMTP 41234  submission 41235 ..." and one line per group of addresses with the same profile. */
function mailIntro(lab: Lab): string {
  if (!lab.mail) return '  (none)\n';
  const p = lab.mailPorts;
  const lines = [`  ports (every address): SMTP ${p.smtp}, submission ${p.submission}, submissions ${p.submissions}, IMAP ${p.imap}, IMAPS ${p.imaps}, POP3 ${p.pop3}, POP3S ${p.pop3s}`];
  const byProfile = new Map<string, string[]>();
  for (const h of lab.mail.hosts) byProfile.set(h.profile, [...(byProfile.get(h.profile) ?? []), h.address.includes(':') ? `[${h.address}]` : h.address]);
  for (const [profile, addrs] of byProfile) {
    const named = lab.mail.hosts.filter((h) => h.profile === profile).map((h) => h.host);
    const where = profile === 'mx' ? `the ${addrs.length} other demo MX addresses` : `${[...new Set(named)].join(', ')} (${addrs.join(', ')})`;
    lines.push(`  ${where}: ${MAIL_PROFILES[profile as keyof typeof MAIL_PROFILES].description}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One TLS probe before the timed runs: the first handshakes build the client's TLS contexts
 * (one per pinned version, each parsing the trust store), which blocks the event loop the
 * lab servers share for a few hundred ms; inside a check that would read as slow replies.
 */
async function warmUp(lab: Lab, net: NetClient): Promise<void> {
  const h = lab.mail?.hosts.find((x) => x.profile === 'full');
  if (!h) return;
  await probeTls(net, { host: h.address, port: lab.mailPorts.smtp, servername: h.host, timeoutMs: 5000, heloName: 'mxdoctor.invalid', opener: smtpStartTlsOpener });
}
