// Runs a round-trip target once: the destination's message through its submission server,
// found over IMAP, through the same service as `mxdoctor roundtrip` (services/roundtrip.ts),
// with the run's signal; the module's resolver (if any) for the DKIM/SPF/DMARC verdicts.
// facts.roundtrip.deliverySeconds becomes the delivery_seconds series.
import type { Report } from '../core/report.js';
import { roundtrips } from '../services/roundtrip.js';
import type { MonitorTarget } from '../config/serve-resolve.js';
import { splitHostPort } from '../config/serve-resolve.js';
import type { ModuleConfig } from '../config/serve-schema.js';

export async function executeRoundtrip(t: MonitorTarget, m: ModuleConfig, signal: AbortSignal): Promise<Report> {
  const [r] = await roundtrips([t.roundtrip!], {
    concurrency: 1, signal,
    ...(m.resolver ? { servers: [splitHostPort(m.resolver)] } : {}),
    ...(m.dns_timeout !== undefined ? { dnsTimeoutMs: m.dns_timeout } : {}),
  });
  r!.target = t.name;
  return r!;
}
