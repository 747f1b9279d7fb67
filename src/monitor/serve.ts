// Starts `mxdoctor serve`: config (or the built-in lab), store, monitor, metrics, alerts
// and HTTP; reload() re-reads the config and keeps the running one when the new one is
// invalid. The CLI shell only parses flags, prints and maps the exit code.
import { randomBytes } from 'node:crypto';
import type { ConfigIo } from '../config/secret.js';
import { loadServeConfig, validateServeConfig } from '../config/serve-load.js';
import type { ServeConfig } from '../config/serve-resolve.js';
import { isLoopback, splitHostPort } from '../config/serve-resolve.js';
import { ConfigError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { Monitor } from './monitor.js';
import { createMetrics } from './metrics.js';
import { startHttp } from './http/server.js';
import type { AssetLookup, ServeHttp } from './http/server.js';
import { openStoreDb } from './store/open.js';
import { labServe, realEnv } from './env.js';
import { startAlerts } from './alerts/engine.js';
import { startFleet } from './fleet.js';

export interface ServeOptions {
  configFile?: string;
  /** --listen host:port, over the config's. */
  listen?: string;
  /** --store path (SQLite), over the config's; the lab keeps its store in memory by default. */
  storePath?: string;
  io: ConfigIo;
  log: (line: string) => void;
  /** Only these targets (by name) of the config or the lab. */
  only?: string[];
  /** Static files for paths outside the API (the dashboard). */
  assets?: AssetLookup;
  /** false: do not start the schedule (tests drive runs with check now); default true. */
  schedule?: boolean;
}

export interface ServeHandle {
  monitor: Monitor;
  http?: ServeHttp;
  /** The API token, when it was made for this process (printed for loopback users). */
  sessionToken?: string;
  reload(): { ok: boolean; message: string };
  runOnce(): Promise<Report[]>;
  close(): Promise<void>;
}

export function parseListen(s: string): { host: string; port: number } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw new ConfigError(`--listen ${s}: give host:port, e.g. 127.0.0.1:9723`);
  return splitHostPort(s);
}

export async function startServe(o: ServeOptions, withHttp = true): Promise<ServeHandle> {
  const listenOverride = o.listen ? parseListen(o.listen) : undefined;
  let config: ServeConfig;
  let envClose: () => void;
  let labClose = async () => {};
  let env;
  if (o.configFile) {
    config = loadServeConfig(o.configFile, o.io);
    env = realEnv();
  } else {
    const lab = await labServe(listenOverride ?? { host: '127.0.0.1', port: 9723 }, o.storePath);
    config = lab.config;
    env = lab.env;
    labClose = () => lab.lab.close();
  }
  envClose = () => env.close();
  if (o.only?.length) {
    const names = new Set(config.targets.map((t) => t.name));
    const unknown = o.only.filter((n) => !names.has(n));
    if (unknown.length) throw new ConfigError(`--target ${unknown.join(', ')}: no such target; ${o.configFile ? `the config has ${[...names].slice(0, 10).join(', ')}` : `the lab has ${[...names].join(', ')}`}`);
    config = { ...config, targets: config.targets.filter((t) => o.only!.includes(t.name)) };
  }
  if (listenOverride) config = { ...config, listen: { ...config.listen, ...listenOverride } };
  if (o.storePath) config = { ...config, store: { ...config.store, path: o.storePath, url: undefined } };
  if (!isLoopback(config.listen.host) && !config.listen.token) {
    throw new ConfigError(`listening on ${config.listen.host} (not loopback) needs a token: set listen.token_env or listen.token_file in the config`);
  }
  const store = await openStoreDb(config.store);
  const fleetMode = !!(config.store.queue && config.store.url && withHttp);
  const monitor = new Monitor(config, store, { ...env, contextFor: env.contextFor.bind(env), aligned: fleetMode });
  const metrics = createMetrics(monitor);
  const alerts = startAlerts(monitor, metrics, o.log);
  const fleet = fleetMode
    ? await startFleet(monitor, { url: config.store.url!, password: config.store.password, pollSeconds: config.store.queue!.pollMs / 1000, maintenanceSeconds: Math.max(1, Math.round(config.store.queue!.maintenanceMs / 1000)), log: o.log })
    : undefined;
  await monitor.start(o.schedule !== false);
  const sessionToken = config.listen.token ? undefined : randomBytes(32).toString('base64url');
  let http: ServeHttp | undefined;
  if (withHttp) {
    http = await startHttp(monitor, metrics, {
      token: config.listen.token ?? sessionToken!, configured: !!config.listen.token,
      loopbackListener: isLoopback(config.listen.host), hosts: config.listen.hosts,
    }, { host: config.listen.host, port: config.listen.port, assets: o.assets });
  }
  return {
    monitor, http, ...(sessionToken ? { sessionToken } : {}),
    reload() {
      if (!o.configFile) return { ok: false, message: 'reload: the built-in lab has no config file to re-read' };
      let text: string;
      try {
        text = o.io.readText(o.configFile);
      } catch (e) {
        const message = `reload refused, the running config stays: cannot read ${o.configFile} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
        monitor.reloadFailed(message);
        return { ok: false, message };
      }
      const v = validateServeConfig(text, o.configFile, o.io);
      if (!v.config) {
        const message = `reload refused, the running config stays:\n${v.errors.map((e) => `  ${e.message}`).join('\n')}`;
        monitor.reloadFailed(v.errors.map((e) => e.message).join('; '));
        return { ok: false, message };
      }
      const next = { ...v.config, listen: { ...v.config.listen, ...(listenOverride ?? {}) }, store: config.store };
      const restartNeeded = next.listen.host !== config.listen.host || next.listen.port !== config.listen.port;
      monitor.reload(next);
      alerts.reload();
      return { ok: true, message: `reloaded ${o.configFile}: ${next.targets.length} targets${restartNeeded ? '; the listen address changes at the next restart' : ''}` };
    },
    runOnce: () => monitor.runOnce(),
    async close() {
      await http?.close();
      await monitor.stop();
      await fleet?.stop();
      await alerts.stop();
      await store.close();
      envClose();
      await labClose();
    },
  };
}
