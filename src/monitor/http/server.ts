// The HTTP side of `serve` on node:http: /healthz, /metrics, /probe and the JSON API,
// every request through the auth policy first. Binds where the config says (loopback by
// default); the caller has refused a non-loopback address without a token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VERSION } from '../../version.js';
import type { Monitor } from '../monitor.js';
import type { Metrics } from '../metrics.js';
import { parseProbe, renderProbe } from '../probe.js';
import { executeTarget } from '../execute.js';
import { authorize, hostAllowed } from './auth.js';
import type { AuthPolicy } from './auth.js';
import { HttpError, Raw, Router, send } from './router.js';
import { apiRoutes } from './api.js';

export interface ServeHttp {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

/** A static file for GET paths outside the API (the dashboard plugs in here). */
export type AssetLookup = (path: string) => { status: number; headers: Record<string, string>; body: Buffer } | undefined;

export async function startHttp(m: Monitor, metrics: Metrics, auth: AuthPolicy, o: { host: string; port: number; now?: () => number; assets?: AssetLookup }): Promise<ServeHttp> {
  const now = o.now ?? (() => Date.now());
  const router = new Router();
  router.on('GET', '/healthz', async () => {
    try {
      await m.store.db.selectFrom('target_state').select('target').limit(1).execute();
      return { status: 'ok', version: VERSION, uptimeSeconds: Math.round((now() - m.startedAt) / 1000), store: 'ok' };
    } catch {
      throw new HttpError(503, 'unavailable', 'the store cannot be read');
    }
  });
  router.on('GET', '/metrics', async () => new Raw(200, metrics.contentType, await metrics.render()));
  router.on('GET', '/probe', async (c) => {
    const p = parseProbe(c.query, m.config.modules, m.config.probeAllow);
    if (!p.ok) throw new HttpError(p.status, p.status === 403 ? 'forbidden' : 'bad-request', p.message);
    const module = m.config.modules[p.module!]!;
    const scrape = Number(c.req.headers['x-prometheus-scrape-timeout-seconds']);
    const moduleMs = module.timeout ?? m.config.schedule.timeout;
    const timeoutMs = Number.isFinite(scrape) && scrape > 1 ? Math.min(moduleMs, (scrape - 0.5) * 1000) : moduleMs;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    c.req.on('close', () => ctl.abort());
    try {
      const report = m.redact(await executeTarget(p.target, module, { context: m.contextFor(p.module!, module), timeoutMs, signal: ctl.signal, now }));
      return new Raw(200, 'text/plain; version=0.0.4; charset=utf-8', renderProbe(report));
    } finally {
      clearTimeout(timer);
    }
  });
  apiRoutes(router, m, auth, now);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // The dashboard's static files hold no data: served without the token (the page asks
    // for it), but only under an allowed Host name.
    const asset = (req.method === 'GET' || req.method === 'HEAD') && !/^\/(api\/|metrics$|probe$|healthz$)/.test(url.pathname) ? o.assets?.(url.pathname) : undefined;
    if (asset && hostAllowed(req, auth)) {
      res.writeHead(asset.status, asset.headers);
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    const verdict = authorize(req, url.pathname, auth);
    if (!verdict.ok) {
      send(res, verdict.status, 'application/json; charset=utf-8', JSON.stringify({ error: { code: verdict.code, message: verdict.message } }), verdict.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
      return;
    }
    void router.handle(req, res, url);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server, url: `http://${host}:${a.port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
