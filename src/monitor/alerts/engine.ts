// The alert engine: after each stored run, every rule that applies to the target is
// evaluated and damped; a transition fires or resolves the one alert per rule and target
// (dedupe), a firing alert is re-sent every `repeat`, silences and maintenance windows
// mute delivery (the alert still fires and resolves in the store), and every channel send
// is retried with back-off, recorded in the store and counted — never silently dropped.
import type { Monitor, RunEvent } from '../monitor.js';
import type { Metrics } from '../metrics.js';
import type { RuleConfig } from '../../config/serve-schema.js';
import { damp, evaluate, ruleApplies } from './rules.js';
import type { Damper } from './rules.js';
import { sendTo } from './channels.js';
import type { ChannelDeps, Notification } from './channels.js';
import { globToRegExp } from '../probe.js';
import { remediate } from './remediate.js';

export interface AlertOptions {
  deps?: ChannelDeps;
  /** Waits between attempts (ms): 4 retries after the first try by default. */
  backoffMs?: number[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export function startAlerts(m: Monitor, metrics: Pick<Metrics, 'delivery'>, log: (line: string) => void, o: AlertOptions = {}) {
  const now = o.now ?? (() => Date.now());
  const backoff = o.backoffMs ?? [1000, 5000, 30_000, 120_000];
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const dampers = new Map<string, Damper>();
  const pending = new Set<Promise<void>>();
  let loaded: Promise<void> | undefined;

  const load = async () => {
    for (const a of await m.store.db.selectFrom('alerts').selectAll().where('state', '=', 'firing').execute()) dampers.set(a.id, { firing: true, streak: 0 });
  };

  async function muted(target: string, rule: string, at: number): Promise<string | null> {
    for (const w of m.config.maintenance) {
      if (Date.parse(w.from) <= at && at < Date.parse(w.until) && w.targets.some((g) => globToRegExp(g).test(target))) return `maintenance ${w.from}..${w.until}`;
    }
    const rows = await m.store.db.selectFrom('silences').selectAll().where('starts_ms', '<=', at).where('ends_ms', '>', at).execute();
    const s = rows.find((r) => (r.rule === null || r.rule === rule) && globToRegExp(r.target).test(target));
    return s ? `silence ${s.id}` : null;
  }

  async function deliver(rule: RuleConfig, n: Notification): Promise<void> {
    const why = await muted(n.target, rule.name, now());
    if (why) {
      log(`alert ${n.id} ${n.event}: not sent (${why})`);
      return;
    }
    await Promise.all(rule.channels.map(async (name) => {
      const c = m.config.channels[name];
      if (!c) return;
      const { id } = await m.store.db.insertInto('deliveries').values({ alert_id: n.id, channel: name, event: n.event, at_ms: now(), ok: 0, attempts: 0, error: null }).returning('id').executeTakeFirstOrThrow();
      for (let attempt = 1; ; attempt++) {
        try {
          await sendTo(c, n, o.deps);
          await m.store.db.updateTable('deliveries').set({ ok: 1, attempts: attempt, error: null, at_ms: now() }).where('id', '=', id).execute();
          metrics.delivery(name, true);
          return;
        } catch (e) {
          const error = ((e as Error)?.message ?? String(e)).slice(0, 300);
          metrics.delivery(name, false);
          await m.store.db.updateTable('deliveries').set({ attempts: attempt, error, at_ms: now() }).where('id', '=', id).execute();
          if (attempt > backoff.length) {
            log(`alert ${n.id} ${n.event}: channel ${name} failed ${attempt} times, giving up: ${error}`);
            return;
          }
          log(`alert ${n.id} ${n.event}: channel ${name} failed (attempt ${attempt}): ${error}; retrying in ${Math.round(backoff[attempt - 1]! / 1000)} s`);
          await sleep(backoff[attempt - 1]!);
        }
      }
    }));
    await m.store.db.updateTable('alerts').set({ last_notified_ms: now() }).where('id', '=', n.id).execute();
  }

  async function onRun(e: RunEvent): Promise<void> {
    await (loaded ??= load());
    const at = now();
    for (const rule of m.config.rules) {
      if (!ruleApplies(rule, e.target.name)) continue;
      const id = `${rule.name}/${e.target.name}`;
      if (rule.status_change) {
        if (e.stored.statusChanged && e.stored.previousStatus !== null) {
          await upsertAlert(id, rule, e.target.name, 'resolved', e.report.status, `${e.target.name} changed from ${e.stored.previousStatus} to ${e.report.status}`, at, at);
          const n = { event: 'changed', id, rule: rule.name, target: e.target.name, severity: e.report.status, summary: `${e.target.name} changed from ${e.stored.previousStatus} to ${e.report.status}`, startsAt: new Date(at).toISOString(), endsAt: null, repeat: false } as const;
          m.alertEvents.emit(n);
          track(deliver(rule, n));
        }
        continue;
      }
      const c = evaluate(rule, e.report);
      if (!c) continue;
      const d = dampers.get(id) ?? { firing: false, streak: 0 };
      dampers.set(id, d);
      const t = damp(d, c.holds, rule.for);
      const existing = await m.store.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
      if (t === 'fire') {
        await upsertAlert(id, rule, e.target.name, 'firing', c.severity, c.summary, at, null);
        track(remediate(m.store.db, m.config.remediation, { rule: rule.name, target: e.target.name, alertId: id, severity: c.severity, summary: c.summary }, { now: at, exec: o.deps?.exec, log }));
        const n = { event: 'firing', id, rule: rule.name, target: e.target.name, severity: c.severity, summary: c.summary, startsAt: new Date(at).toISOString(), endsAt: null, repeat: false } as const;
        m.alertEvents.emit(n);
        track(deliver(rule, n));
      } else if (t === 'resolve' && existing?.state === 'firing') {
        await m.store.db.updateTable('alerts').set({ state: 'resolved', ends_ms: at, summary: c.summary }).where('id', '=', id).execute();
        const n = { event: 'resolved', id, rule: rule.name, target: e.target.name, severity: existing.severity, summary: c.summary, startsAt: new Date(Number(existing.starts_ms)).toISOString(), endsAt: new Date(at).toISOString(), repeat: false } as const;
        m.alertEvents.emit(n);
        track(deliver(rule, n));
      } else if (d.firing && existing?.state === 'firing' && existing.last_notified_ms != null && at - Number(existing.last_notified_ms) >= rule.repeat) {
        await m.store.db.updateTable('alerts').set({ summary: c.summary }).where('id', '=', id).execute();
        track(deliver(rule, { event: 'firing', id, rule: rule.name, target: e.target.name, severity: existing.severity, summary: c.summary, startsAt: new Date(Number(existing.starts_ms)).toISOString(), endsAt: null, repeat: true }));
      }
    }
  }

  async function upsertAlert(id: string, rule: RuleConfig, target: string, state: string, severity: string, summary: string, startsMs: number, endsMs: number | null) {
    const row = { rule: rule.name, target, state, severity, summary, starts_ms: startsMs, ends_ms: endsMs };
    const had = await m.store.db.selectFrom('alerts').select('id').where('id', '=', id).executeTakeFirst();
    if (had) await m.store.db.updateTable('alerts').set(row).where('id', '=', id).execute();
    else await m.store.db.insertInto('alerts').values({ id, ...row, last_notified_ms: null }).execute();
  }

  function track(p: Promise<void>): void {
    const q = p.catch((err) => log(`alert delivery: ${(err as Error)?.message ?? err}`));
    pending.add(q);
    void q.finally(() => pending.delete(q));
  }

  const off = m.onRun(onRun);
  return {
    reload() {
      // Rules may have changed: dampers of rules that no longer exist are dropped.
      const names = new Set(m.config.rules.map((r) => r.name));
      for (const id of dampers.keys()) if (!names.has(id.split('/')[0]!)) dampers.delete(id);
    },
    /** Wait for the deliveries in flight (tests, shutdown). */
    idle: () => Promise.all([...pending]).then(() => undefined),
    async stop() {
      off();
      await Promise.race([Promise.all([...pending]), sleep(5000)]);
    },
  };
}
