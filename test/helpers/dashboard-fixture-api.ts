// A canned JSON API (docs/api.md shapes) with the dashboard's real assets, for browser tests
// of the front end's own logic (filters, token form, job progress) without a monitor behind it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardAsset } from '../../src/dashboard/assets.js';

export interface FixtureApi {
  url: string;
  server: Server;
  posts: string[];
  close(): Promise<void>;
}

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();

function target(name: string, status: string, worst: unknown, extra: Record<string, unknown> = {}) {
  return {
    name, kind: 'domain', module: 'default', intervalSeconds: 60, status, statusSince: iso(3600_000), checking: false,
    lastRun: { id: 10, startedAt: iso(30_000), durationMs: 812, status, trigger: 'schedule' }, nextRunAt: iso(-30_000),
    worstFinding: worst, counts: { critical: status === 'critical' ? 1 : 0, warning: 0, unknown: 0, info: 1, ok: 20 },
    certificate: { daysLeft: 40, notAfter: iso(-40 * 86400_000), subject: 'mx1.' + name }, dnsbl: { state: 'clean', listedOn: [] },
    availability: { day: 1, month: 0.9999 }, openIncident: null, silenced: false, ...extra,
  };
}

export async function startFixtureApi(opts: { tokenRequired?: boolean; token?: string } = {}): Promise<FixtureApi> {
  const token = opts.token ?? 'fixture-token';
  const finding = { id: 'cert.expired', severity: 'critical', title: 'Certificate of mx1.expired.test expired 3 days ago', check: 'cert', subject: 'mx1.expired.test' };
  const targets = [target('healthy.test', 'ok', null), target('expired.test', 'critical', finding)];
  const posts: string[] = [];
  let jobPolls = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const authed = req.headers.authorization === `Bearer ${token}`;
    if (req.method === 'POST') {
      posts.push(url.pathname);
      if (!authed) return send(401, { error: { code: 'unauthorized', message: 'token missing or wrong' } });
      jobPolls = 0;
      return send(202, { job: { id: 7, target: 'expired.test', state: 'queued', createdAt: iso(0) } });
    }
    if (opts.tokenRequired && url.pathname.startsWith('/api/') && url.pathname !== '/api/v1/session' && !authed) {
      return send(401, { error: { code: 'unauthorized', message: 'token missing or wrong' } });
    }
    switch (url.pathname) {
      case '/api/v1/session': return send(200, opts.tokenRequired ? { tokenRequired: true, version: '0.0.0' } : { tokenRequired: false, token, version: '0.0.0' });
      case '/api/v1/targets': return send(200, { targets });
      case '/api/v1/targets/expired.test': return send(200, {
        target: targets[1], runId: 10,
        families: [{ family: 'cert', area: 'server', status: 'critical', durationMs: 20, findings: [{ ...finding, area: 'server', detail: 'notAfter was 3 days ago', remediation: 'Renew the certificate and reload the server.', evidence: { notAfter: iso(3 * 86400_000) } }] }],
      });
      case '/api/v1/jobs/7': {
        jobPolls += 1;
        const state = jobPolls < 2 ? 'running' : 'done';
        return send(200, { job: { id: 7, target: 'expired.test', state, createdAt: iso(2000), startedAt: iso(1000), finishedAt: state === 'done' ? iso(0) : null, progress: { done: state === 'done' ? 14 : 5, total: 14, running: ['tls'] }, runId: state === 'done' ? 11 : null, error: null } });
      }
      case '/api/v1/incidents': return send(200, { incidents: [] });
      // The shape of docs/api.md's GET /api/v1/logs: one file followed, one not there yet.
      case '/api/v1/logs': return send(200, { targets: [{
        target: 'maillog', status: 'unknown', settings: { format: 'auto', start: 'end', windowMs: 3_600_000 }, lastRun: { id: 9, at: iso(60_000), status: 'unknown' },
        files: [{ path: '/var/log/mail.log', exists: true, size: 3 << 20, offset: (3 << 20) - 2048, rotations: 1, cutLines: 0 }, { path: '/var/log/mail.err', exists: false, size: 0, offset: null, rotations: 0, cutLines: 0 }],
        window: { from: iso(1_800_000), to: iso(0), lines: 5120, parsed: 5101, unparsed: 3, foreign: 16 },
        totals: { received: 410, delivered: 398, deferred: 7, bounced: 2, rejected: 55, expired: 0, bounceNotices: 2 },
        findings: [
          { id: 'logwatch.file-missing', severity: 'unknown', title: 'A watched log file does not exist', subject: '/var/log/mail.err', detail: '/var/log/mail.err does not exist (yet).', remediation: 'Check the path in log_files.' },
          { id: 'logs.auth-brute-force', severity: 'warning', title: 'Password guessing from one address', subject: '203.0.113.9', detail: '<img src=x onerror=alert(1)> 41 failures', remediation: 'Block the address.' },
        ],
        counters: [{ name: 'postfix_smtpd_messages_rejected_total', labels: { code: '554' }, value: 55 }, { name: 'postfix_smtpd_connects_total', labels: {}, value: 1234 }],
      }] });
      case '/api/v1/silences': return send(200, { silences: [] });
      case '/api/v1/availability': return send(200, { period: 'month', start: iso(86400_000), end: iso(-86400_000), objective: 0.9995, targets: [] });
      case '/api/v1/events': res.writeHead(200, { 'Content-Type': 'text/event-stream' }); res.write(': hello\n\n'); return undefined;
      default: break;
    }
    if (url.pathname.endsWith('/series')) return send(200, { metric: url.searchParams.get('metric'), step: 'hour', t: [], avg: [], min: [], max: [], count: [] });
    if (url.pathname.endsWith('/changes')) return send(200, { changes: [] });
    if (url.pathname.endsWith('/runs')) return send(200, { runs: [], next: null });
    const asset = dashboardAsset(url.pathname);
    if (asset) { res.writeHead(asset.status, asset.headers); res.end(asset.body); return undefined; }
    return send(404, { error: { code: 'not-found', message: 'no such path' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, server, posts,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
