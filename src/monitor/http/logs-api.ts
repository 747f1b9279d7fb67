// GET /api/v1/logs: the live log watch of every log target (the dashboard's Logs page): the
// detectors' findings over the current window, the window's totals, the files and their read
// positions, and the lifetime counters as /metrics has them (docs/api.md).
import type { Monitor } from '../monitor.js';
import type { LogWatchFacts } from '../logwatch/judge.js';
import { parseCounterKey } from '../logwatch/counters.js';
import { HttpError } from './router.js';
import type { Router } from './router.js';

export function logsRoutes(r: Router, m: Monitor): void {
  r.on('GET', '/api/v1/logs', (c) => {
    const only = c.query.get('target');
    const targets = m.config.targets.filter((t) => t.kind === 'logs' && (!only || t.name === only));
    if (only && !targets.length) throw new HttpError(404, 'not-found', `no log target named "${only.slice(0, 100)}"; GET /api/v1/logs lists them`);
    return {
      targets: targets.map((t) => {
        // As every report the API shows: the config's secrets redacted (a log line may quote one).
        const peeked = m.logs.peek(t.name);
        const report = peeked ? m.redact(peeked) : undefined;
        const facts = report?.facts?.logwatch as LogWatchFacts | undefined;
        const live = m.live.get(t.name);
        return {
          target: t.name,
          files: facts?.files ?? t.logFiles.map((path) => ({ path, exists: false, size: 0, offset: null, rotations: 0, cutLines: 0 })),
          settings: t.logs,
          lastRun: live?.lastRunId ? { id: live.lastRunId, at: new Date(live.lastRunMs!).toISOString(), status: live.status } : null,
          status: report?.status ?? 'unknown',
          window: facts?.window ?? null,
          totals: facts?.totals ?? null,
          findings: report?.findings ?? [],
          counters: Object.entries(facts?.counters ?? {}).flatMap(([key, value]) => {
            const k = parseCounterKey(key);
            return k ? [{ name: k.name, labels: k.labels, value }] : [];
          }).sort((a, b) => a.name.localeCompare(b.name) || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels))),
        };
      }),
    };
  });
}
