// `mxdoctor history <target> [--since 7d] [--json]`: what `serve` stored about a target.
import { loadServeConfig } from '../../config/serve-load.js';
import { UsageError } from '../../core/errors.js';
import { readUpTo } from '../../io/files.js';
import { readHistory, renderHistory } from '../../monitor/history.js';
import { parseDurationMs } from '../../monitor/http/api.js';
import { write } from '../output.js';

export async function historyCommand(target: string, o: { config?: string; store?: string; since?: string; json?: boolean }): Promise<number> {
  if (!o.config && !o.store) throw new UsageError('history reads the store of serve: give --config <file> (the same as serve\'s) or --store <path> (the SQLite file)');
  const now = Date.now();
  const back = o.since ? parseDurationMs(o.since) : 7 * 86_400_000;
  const sinceMs = back !== undefined ? now - back : Date.parse(o.since!);
  if (Number.isNaN(sinceMs)) throw new UsageError(`--since ${o.since}: give a duration back from now (24h, 7d) or an ISO time`);
  const loc = o.store ? { path: o.store } : loadServeConfig(o.config!, { readText: (p) => readUpTo(p, 2 * 1024 * 1024).data.toString('utf8'), env: process.env }).store;
  const h = await readHistory(loc, target, sinceMs, now);
  write(o.json ? `${JSON.stringify(h)}\n` : renderHistory(h));
  return 0;
}
