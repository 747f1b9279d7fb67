// `report --from-store`: where the monitor's store is (--store <file | postgres URL>, or the
// store of a serve --config), the period (--since, default 30 days) and the targets; reads the
// history and the latest stored reports.
import { loadServeConfig } from '../../config/serve-load.js';
import { UsageError } from '../../core/errors.js';
import type { Report } from '../../core/report.js';
import { readUpTo } from '../../io/files.js';
import { readStoreHistory } from '../../monitor/store-history.js';
import { parseDurationMs } from '../../monitor/http/api.js';
import type { StoreHistory } from '../../report/history-model.js';

export interface StoreFlags { store?: string; config?: string; since?: string; target?: string[] }

export async function reportFromStore(o: StoreFlags, nowMs = Date.now()): Promise<{ reports: Report[]; history: StoreHistory }> {
  if (!o.store && !o.config) throw new UsageError('report --from-store: give --config <file> (the same as serve\'s) or --store <SQLite file | postgres:// URL>');
  const back = parseDurationMs(o.since ?? '30d');
  const sinceMs = back !== undefined ? nowMs - back : Date.parse(o.since!);
  if (Number.isNaN(sinceMs)) throw new UsageError(`--since ${o.since}: give a duration back from now (24h, 30d) or an ISO time (2026-11-01T00:00:00Z)`);
  if (sinceMs >= nowMs) throw new UsageError(`--since ${o.since}: lies in the future; give a time before now`);
  const loc = o.store
    ? (/^postgres(ql)?:\/\//.test(o.store) ? { url: o.store } : { path: o.store })
    : loadServeConfig(o.config!, { readText: (p) => readUpTo(p, 2 * 1024 * 1024).data.toString('utf8'), env: process.env }).store;
  return readStoreHistory(loc, { sinceMs, nowMs, targets: o.target });
}
