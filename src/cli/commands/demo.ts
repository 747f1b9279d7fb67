// `mxdoctor demo`: a lab of DNS and HTTPS servers on loopback with planted defects,
// checked exactly as a real domain would be, so a new user sees a real report without internet.
import { startLab } from '../../lab/lab.js';
import { DnsClient } from '../../io/dns-client.js';
import { formatServer } from '../../io/resolver.js';
import { runMany } from '../../core/runner.js';
import type { Report } from '../../core/report.js';
import { contextFactory } from '../../context.js';
import { selectChecks } from '../../index.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { UsageError } from '../../core/errors.js';
import type { OutputOptions } from '../output.js';
import { useColor, write, writeErr } from '../output.js';

export interface DemoOptions extends OutputOptions {
  domains?: string[];
  serve?: boolean;
}

export async function demoCommand(o: DemoOptions): Promise<number> {
  const lab = await startLab();
  // The lab's servers share this process's event loop with the checks: a few domains at
  // a time and a generous timeout keep a slow CI machine from turning into timeouts.
  const resolver = new DnsClient({ servers: [lab.resolver], timeoutMs: 2000, retries: 1 });
  try {
    const known = lab.data.demo.map((d) => d.domain);
    const unknown = (o.domains ?? []).filter((d) => !known.includes(d));
    if (unknown.length) throw new UsageError(`--domain ${unknown.join(',')}: not a lab domain; the lab has ${known.join(', ')}`);
    const picked = lab.data.demo
      .filter((d) => !o.domains?.length || o.domains.includes(d.domain))
      .sort((a, b) => Number(b.domain === 'healthy.test') - Number(a.domain === 'healthy.test'));
    if (!o.json) {
      write(`mxdoctor demo: a lab DNS resolver on ${formatServer(lab.resolver)} (authoritative servers on 127.0.0.2-4, same port)\n`);
      write(`and an HTTPS server on 127.0.0.1:${lab.httpsPort} for MTA-STS policies, serving these domains:\n\n`);
      for (const d of picked) write(`  ${d.domain.padEnd(24)} ${d.description}\n`);
      write('\n');
    }
    // healthy.test signs with selector "mx2026", which no list of common selectors can guess:
    // the demo names it, as a user would with --dkim-selector.
    const context = contextFactory(resolver, { authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca: lab.ca, dkimSelectors: ['mx2026'], loopbackOnly: true,
      // The in-process lab has no mail servers yet: the server probes would only find closed ports.
      probeServers: false });
    const byDomain = new Map<string, Report>();
    const targets = picked.map((d) => ({ kind: 'domain' as const, domain: d.domain }));
    const runner = { checks: selectChecks(), context, checkTimeoutMs: 15_000 };
    for await (const r of runMany(targets, runner, 4)) byDomain.set(r.target, r);
    const reports = picked.map((d) => byDomain.get(d.domain)!);
    if (o.json) write(renderJson(reports));
    else {
      const color = useColor(o);
      // The healthy domain shows everything that was checked; the others only their problems.
      for (const r of reports) {
        const healthy = r.status === 'ok' || r.status === 'info';
        write(renderText([r], { color, verbose: o.verbose, problemsOnly: !healthy && !o.verbose && picked.length > 1 }));
      }
      write('Each domain above was checked over real UDP/TCP DNS and HTTPS on loopback, as `mxdoctor check` checks yours.\n');
      write('Check your own domain with: mxdoctor check example.com   (details: --verbose, machine-readable: --json)\n');
    }
    if (o.serve) {
      writeErr(`lab running; try: mxdoctor check healthy.test --resolver ${formatServer(lab.resolver)} --auth-port ${lab.dnsPort} --https-port ${lab.httpsPort} --ca src/lab/certs/ca.pem\nCtrl-C to stop\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    // The demo ran as intended even though its domains have defects: that is its point.
    return 0;
  } finally {
    resolver.close();
    await lab.close();
  }
}
