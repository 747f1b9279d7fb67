// `mxdoctor demo`: a lab of DNS servers on loopback with planted defects, checked
// exactly as a real domain would be, so a new user sees a real report without internet.
import { startLab } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { runChecks } from '../../index.js';
import { DnsClient } from '../../io/dns-client.js';
import { formatServer } from '../../io/resolver.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { UsageError } from '../../core/errors.js';
import type { OutputOptions } from '../output.js';
import { useColor, write, writeErr } from '../output.js';

export interface DemoOptions extends OutputOptions {
  domains?: string[];
  serve?: boolean;
}

/** What the HTTPS part of the lab adds when present (MTA-STS policies). */
type LabWithHttps = Lab & { httpsPort?: number; ca?: string[] };

export async function demoCommand(o: DemoOptions): Promise<number> {
  const lab: LabWithHttps = await startLab();
  const resolver = new DnsClient({ servers: [lab.resolver], timeoutMs: 500, retries: 1 });
  try {
    const known = lab.data.demo.map((d) => d.domain);
    const unknown = (o.domains ?? []).filter((d) => !known.includes(d));
    if (unknown.length) throw new UsageError(`--domain ${unknown.join(',')}: not a lab domain; the lab has ${known.join(', ')}`);
    const picked = lab.data.demo.filter((d) => !o.domains?.length || o.domains.includes(d.domain));
    if (!o.json) {
      write(`mxdoctor demo: a lab DNS resolver on ${formatServer(lab.resolver)} (authoritative servers on 127.0.0.2-4, same port) serving:\n`);
      for (const d of picked) write(`  ${d.domain.padEnd(28)} ${d.description}\n`);
      write('\n');
    }
    const reports = await runChecks(picked.map((d) => d.domain), {
      resolver, authPort: lab.dnsPort, httpsPort: lab.httpsPort, ca: lab.ca, checkTimeoutMs: 10_000,
    });
    if (o.json) write(renderJson(reports));
    else {
      write(renderText(reports, { color: useColor(o), verbose: o.verbose }));
      write('Each domain above was checked over real UDP/TCP DNS on loopback, as `mxdoctor check` checks yours (`mxdoctor demo --serve` keeps the lab up to query it yourself).\n');
      write('Check your own domain with: mxdoctor check example.com   (details: --verbose, machine-readable: --json)\n');
    }
    if (o.serve) {
      writeErr(`lab running; try: mxdoctor check healthy.test --resolver ${formatServer(lab.resolver)} --auth-port ${lab.dnsPort}${lab.httpsPort ? ` --https-port ${lab.httpsPort}` : ''}\nCtrl-C to stop\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    // The demo ran as intended even though its domains have defects: that is its point.
    return 0;
  } finally {
    resolver.close();
    await lab.close();
  }
}
