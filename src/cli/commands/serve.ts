// `mxdoctor serve`: keep checking the targets of a config file (or the built-in lab) and
// serve the results (docs/api.md, docs/monitor.md). --once: every target once, print the
// reports, exit with the worst status. SIGHUP re-reads the config; SIGINT/SIGTERM stop.
import { readUpTo } from '../../io/files.js';
import { startServe } from '../../monitor/serve.js';
import { dashboardAsset } from '../../dashboard/assets.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { useColor, write, writeErr } from '../output.js';
import type { OutputOptions } from '../output.js';

export interface ServeCommandOptions extends OutputOptions {
  config?: string;
  listen?: string;
  store?: string;
  once?: boolean;
  target?: string[];
}

const log = (line: string) => writeErr(`${new Date().toISOString()} mxdoctor serve: ${line}\n`);

export async function serveCommand(o: ServeCommandOptions): Promise<number> {
  const io = { readText: (p: string) => readUpTo(p, 2 * 1024 * 1024).data.toString('utf8'), env: process.env };
  // SIGHUP's default is to end the process: hold it from the start (a reload asked for while
  // starting is done once serve is up), so that no signal can arrive before the handler.
  let hupWhileStarting = false;
  const early = () => { hupWhileStarting = true; };
  if (!o.once) process.on('SIGHUP', early);
  let handle;
  try {
    handle = await startServe({ configFile: o.config, listen: o.listen, storePath: o.store, only: o.target, io, log, assets: o.once ? undefined : dashboardAsset }, !o.once);
  } finally {
    process.off('SIGHUP', early);
  }
  if (o.once) {
    try {
      const reports = await handle.runOnce();
      write(o.json ? renderJson(reports) : renderText(reports, { color: useColor(o), verbose: o.verbose, problemsOnly: !o.verbose }));
      return worstExit(reports);
    } finally {
      await handle.close();
    }
  }
  const h = handle;
  const m = h.monitor;
  return new Promise<number>((resolve) => {
    const hup = () => log(h.reload().message);
    const stop = async (sig: string) => {
      log(`${sig}: stopping`);
      process.off('SIGHUP', hup);
      await h.close();
      resolve(0);
    };
    // Handlers first, then the lines that tell a supervisor (or a test) that serve is up.
    process.on('SIGHUP', hup);
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    log(`checking ${m.config.targets.length} targets${o.config ? ` from ${o.config}` : ' of the built-in lab'}; store ${m.store.describe.kind}${m.store.describe.path ? ` ${m.store.describe.path}` : ''}`);
    log(`listening on ${h.http!.url} (dashboard at /, /metrics, /probe, /api/v1; docs/api.md)`);
    if (hupWhileStarting) hup();
  });
}
