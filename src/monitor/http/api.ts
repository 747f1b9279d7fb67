// The JSON API of docs/api.md over the monitor and its store. Handlers are thin: parse
// the query, call a store query or the scheduler, shape the answer.
import { VERSION } from '../../version.js';
import { parseDuration } from '../../core/duration.js';
import type { Monitor } from '../monitor.js';
import { familiesOf, lastReportOf, monthStart, nextMonth, dayStart, targetOverview } from '../overview.js';
import { availabilityBetween, getRun, listChanges, listIncidents, listRuns, seriesPoints } from '../store/queries.js';
import { QUEUE_SERIES } from '../report-facts.js';
import { addSilence, endSilence, listAlerts, listSilences } from '../store/silences.js';
import { HttpError, Reply, Router } from './router.js';
import type { Ctx } from './router.js';
import type { AuthPolicy } from './auth.js';
import { openEvents } from './events.js';
import { listRemediations } from '../alerts/remediate.js';
import { logsRoutes } from './logs-api.js';

export function parseDurationMs(s: string): number | undefined {
  if (!/^\d/.test(s) || /^\d+$/.test(s)) return undefined;
  try {
    return parseDuration(s);
  } catch {
    return undefined;
  }
}

/** since/until: an ISO time or a duration back from now (24h, 30d). */
function timeParam(c: Ctx, key: string, nowMs: number): number | undefined {
  const v = c.query.get(key);
  if (v === null || v === '') return undefined;
  const d = parseDurationMs(v);
  if (d !== undefined) return nowMs - d;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HttpError(400, 'bad-request', `${key}=${v.slice(0, 40)}: give an ISO time (2026-12-01T00:00:00Z) or a duration back from now (24h, 30d)`);
  return t;
}

function intParam(c: Ctx, key: string, def: number, min: number, max: number): number {
  const v = c.query.get(key);
  if (v === null || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'bad-request', `${key}: expected a whole number from ${min} to ${max}`);
  return n;
}

function oneOf<T extends string>(c: Ctx, key: string, values: readonly T[], def: T): T {
  const v = c.query.get(key);
  if (v === null || v === '') return def;
  if (!values.includes(v as T)) throw new HttpError(400, 'bad-request', `${key}: expected one of ${values.join(', ')}`);
  return v as T;
}

export function apiRoutes(r: Router, m: Monitor, auth: AuthPolicy, now: () => number): Router {
  const target = (c: Ctx) => {
    const t = m.target(c.params.name!);
    if (!t) throw new HttpError(404, 'not-found', `no target named "${c.params.name!.slice(0, 100)}"; GET /api/v1/targets lists them`);
    return t;
  };
  r.on('GET', '/api/v1/session', () => (auth.configured ? { tokenRequired: true, version: VERSION } : { tokenRequired: false, token: auth.token, version: VERSION }));
  r.on('GET', '/api/v1/status', () => ({
    version: VERSION, startedAt: new Date(m.startedAt).toISOString(),
    config: { file: m.config.file, lastReload: m.lastReload }, lab: m.config.file === '(built-in lab)',
    store: m.store.describe, scheduler: m.scheduler.stats(), objective: m.config.objective,
    modules: Object.entries(m.config.modules).map(([name, mod]) => ({ name, families: mod.families ?? null, timeoutSeconds: Math.round((mod.timeout ?? m.config.schedule.timeout) / 1000) })),
  }));
  r.on('GET', '/api/v1/targets', async (c) => {
    const statuses = c.query.get('status')?.split(',').filter(Boolean);
    const q = c.query.get('q')?.toLowerCase();
    const list = [];
    for (const t of m.config.targets) {
      if (q && !t.name.toLowerCase().includes(q)) continue;
      const o = await targetOverview(m, t, now());
      if (statuses?.length && !statuses.includes(o.status)) continue;
      list.push(o);
    }
    return { targets: list };
  });
  r.on('GET', '/api/v1/targets/{name}', async (c) => {
    const t = target(c);
    const { report, runId } = await lastReportOf(m, t.name);
    return { target: await targetOverview(m, t, now()), families: familiesOf(report), runId };
  });
  r.on('GET', '/api/v1/targets/{name}/runs', async (c) => {
    const t = target(c);
    const limit = intParam(c, 'limit', 100, 1, 500);
    const before = c.query.get('before') ? intParam(c, 'before', 0, 1, Number.MAX_SAFE_INTEGER) : undefined;
    const runs = await listRuns(m.store.db, t.name, { sinceMs: timeParam(c, 'since', now()), untilMs: timeParam(c, 'until', now()), limit: limit + 1, before });
    return { runs: runs.slice(0, limit), next: runs.length > limit ? runs[limit - 1]!.id : null };
  });
  r.on('GET', '/api/v1/runs/{id}', async (c) => {
    const id = Number(c.params.id);
    const run = Number.isInteger(id) ? await getRun(m.store.db, id) : undefined;
    if (!run) throw new HttpError(404, 'not-found', `no stored run ${c.params.id!.slice(0, 20)}`);
    return run;
  });
  r.on('GET', '/api/v1/targets/{name}/changes', async (c) => ({
    changes: await listChanges(m.store.db, target(c).name, { sinceMs: timeParam(c, 'since', now()), untilMs: timeParam(c, 'until', now()), limit: intParam(c, 'limit', 200, 1, 1000) }),
  }));
  r.on('GET', '/api/v1/targets/{name}/series', async (c) => {
    const t = target(c);
    const metric = oneOf(c, 'metric', ['check_duration_seconds', 'up', 'cert_days_left', 'dnsbl_listed', 'queue_size', ...QUEUE_SERIES.map((q) => `queue_${q}` as const), 'delivery_seconds'] as const, 'check_duration_seconds');
    const until = timeParam(c, 'until', now()) ?? now();
    const since = timeParam(c, 'since', now()) ?? until - 86_400_000;
    const span = until - since;
    const step = oneOf(c, 'step', ['minute', 'hour', 'day'] as const, span <= 2 * 86_400_000 ? 'minute' : span <= 90 * 86_400_000 ? 'hour' : 'day');
    return { metric, step, ...(await seriesPoints(m.store.db, t.name, metric, step, Math.floor(since / 1000), Math.ceil(until / 1000))) };
  });
  r.on('GET', '/api/v1/incidents', async (c) => ({
    incidents: await listIncidents(m.store.db, {
      target: c.query.get('target') ?? undefined, state: oneOf(c, 'state', ['open', 'closed', 'all'] as const, 'all'),
      sinceMs: timeParam(c, 'since', now()), untilMs: timeParam(c, 'until', now()), limit: intParam(c, 'limit', 100, 1, 1000), nowMs: now(),
    }),
  }));
  const periods = async (name: string, period: 'day' | 'month', sinceMs: number, untilMs: number) => {
    const out = [];
    const n = now();
    for (let s = period === 'day' ? dayStart(sinceMs) : monthStart(sinceMs); s < untilMs && out.length < 400;) {
      const e = period === 'day' ? s + 86_400_000 : nextMonth(s);
      const a = await availabilityBetween(m.store.db, name, s, e);
      const elapsed = Math.max(0, Math.min(e, n) - s) / 1000;
      out.push({
        start: new Date(s).toISOString(), end: new Date(e).toISOString(), ...a,
        coverage: elapsed ? Math.min(1, (a.upSeconds + a.downSeconds) / elapsed) : null,
        met: a.availability === null ? null : a.availability >= m.config.objective,
      });
      s = e;
    }
    return out;
  };
  r.on('GET', '/api/v1/targets/{name}/availability', async (c) => {
    const t = target(c);
    const period = oneOf(c, 'period', ['day', 'month'] as const, 'day');
    const until = timeParam(c, 'until', now()) ?? now();
    const since = timeParam(c, 'since', now()) ?? (period === 'day' ? until - 29 * 86_400_000 : Date.UTC(new Date(until).getUTCFullYear() - 1, new Date(until).getUTCMonth() + 1, 1));
    return { target: t.name, objective: m.config.objective, period, periods: await periods(t.name, period, since, until) };
  });
  r.on('GET', '/api/v1/availability', async (c) => {
    const period = oneOf(c, 'period', ['day', 'month'] as const, 'month');
    const at = timeParam(c, 'at', now()) ?? now();
    const start = period === 'day' ? dayStart(at) : monthStart(at);
    const end = period === 'day' ? start + 86_400_000 : nextMonth(start);
    const targets = [];
    for (const t of m.config.targets) targets.push({ target: t.name, ...(await periods(t.name, period, start, start + 1))[0] });
    return { period, objective: m.config.objective, start: new Date(start).toISOString(), end: new Date(end).toISOString(), targets };
  });
  r.on('POST', '/api/v1/targets/{name}/check', (c) => {
    const t = target(c);
    const job = m.scheduler.runNow(t.name, 'manual')!;
    return new Reply(202, { job }, { Location: `/api/v1/jobs/${job.id}` });
  });
  r.on('GET', '/api/v1/jobs/{id}', (c) => {
    const job = m.scheduler.jobs.get(Number(c.params.id));
    if (!job) throw new HttpError(404, 'not-found', `no job ${c.params.id!.slice(0, 20)} (jobs are kept one hour after they end)`);
    return { job };
  });
  r.on('GET', '/api/v1/events', (c) => openEvents(c, m));
  logsRoutes(r, m);
  r.on('GET', '/api/v1/alerts', async (c) => ({
    alerts: await listAlerts(m.store.db, { state: oneOf(c, 'state', ['firing', 'resolved', 'all'] as const, 'firing'), target: c.query.get('target') ?? undefined, limit: intParam(c, 'limit', 100, 1, 1000) }),
  }));
  r.on('GET', '/api/v1/remediations', async (c) => ({ remediations: await listRemediations(m.store.db, intParam(c, 'limit', 100, 1, 1000)) }));
  r.on('GET', '/api/v1/silences', async () => ({ silences: await listSilences(m.store.db, now()) }));
  r.on('POST', '/api/v1/silences', async (c) => {
    const b = (await c.body()) as Record<string, unknown> | undefined;
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw new HttpError(400, 'bad-request', 'send a JSON object: {"target": "name or glob", "duration": "2h", "comment": "why"}');
    const targetGlob = typeof b.target === 'string' && /^[A-Za-z0-9*?_.:\-[\]]{1,253}$/.test(b.target) ? b.target : undefined;
    if (!targetGlob) throw new HttpError(400, 'bad-request', 'target: a target name or a glob such as *.example.com');
    const rule = b.rule === undefined || b.rule === null ? null : typeof b.rule === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(b.rule) ? b.rule : undefined;
    if (rule === undefined) throw new HttpError(400, 'bad-request', 'rule: a rule name, or null for every rule');
    const startsMs = b.startsAt === undefined ? now() : typeof b.startsAt === 'string' ? Date.parse(b.startsAt) : NaN;
    const endsMs = typeof b.duration === 'string' ? startsMs + (parseDurationMs(b.duration) ?? NaN) : typeof b.endsAt === 'string' ? Date.parse(b.endsAt) : NaN;
    if (Number.isNaN(startsMs) || Number.isNaN(endsMs) || endsMs <= startsMs) throw new HttpError(400, 'bad-request', 'give duration ("30m", "2h", "1d") or endsAt (an ISO time after startsAt)');
    const comment = typeof b.comment === 'string' ? b.comment.slice(0, 500) : '';
    return new Reply(201, { silence: await addSilence(m.store.db, { target: targetGlob, rule, startsMs, endsMs, comment, createdBy: 'api' }, now()) });
  });
  r.on('DELETE', '/api/v1/silences/{id}', async (c) => {
    const res = await endSilence(m.store.db, Number(c.params.id), now());
    if (res === 'gone') throw new HttpError(404, 'not-found', `no silence ${c.params.id!.slice(0, 20)}`);
    if (res === 'already') throw new HttpError(409, 'conflict', 'that silence has already ended');
    return new Reply(204, null);
  });
  return r;
}
