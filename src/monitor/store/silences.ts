// Silences (API) and alert state (the alert engine) in the store.
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface Silence { id: number; target: string; rule: string | null; startsAt: string; endsAt: string; comment: string; createdBy: string; active: boolean }

function toSilence(s: DB['silences'] extends infer T ? { [K in keyof T]: any } : never, nowMs: number): Silence {
  return {
    id: Number(s.id), target: s.target, rule: s.rule, startsAt: new Date(Number(s.starts_ms)).toISOString(), endsAt: new Date(Number(s.ends_ms)).toISOString(),
    comment: s.comment, createdBy: s.created_by, active: Number(s.starts_ms) <= nowMs && nowMs < Number(s.ends_ms),
  };
}

export async function addSilence(db: Kysely<DB>, s: { target: string; rule: string | null; startsMs: number; endsMs: number; comment: string; createdBy: string }, nowMs: number): Promise<Silence> {
  const row = await db.insertInto('silences').values({ target: s.target, rule: s.rule, starts_ms: s.startsMs, ends_ms: s.endsMs, comment: s.comment, created_by: s.createdBy })
    .returningAll().executeTakeFirstOrThrow();
  return toSilence(row, nowMs);
}

/** Active silences and those that ended in the last day. */
export async function listSilences(db: Kysely<DB>, nowMs: number): Promise<Silence[]> {
  const rows = await db.selectFrom('silences').selectAll().where('ends_ms', '>=', nowMs - 86_400_000).orderBy('id', 'desc').execute();
  return rows.map((r) => toSilence(r, nowMs));
}

export async function endSilence(db: Kysely<DB>, id: number, nowMs: number): Promise<'ended' | 'gone' | 'already'> {
  const row = await db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return 'gone';
  if (Number(row.ends_ms) <= nowMs) return 'already';
  await db.updateTable('silences').set({ ends_ms: nowMs }).where('id', '=', id).execute();
  return 'ended';
}

export async function listAlerts(db: Kysely<DB>, o: { state: 'firing' | 'resolved' | 'all'; target?: string; limit: number }) {
  let q = db.selectFrom('alerts').selectAll();
  if (o.state !== 'all') q = q.where('state', '=', o.state);
  if (o.target) q = q.where('target', '=', o.target);
  const rows = await q.orderBy('starts_ms', 'desc').limit(o.limit).execute();
  const out = [];
  for (const a of rows) {
    const deliveries = await db.selectFrom('deliveries').selectAll().where('alert_id', '=', a.id).orderBy('id', 'desc').limit(10).execute();
    out.push({
      id: a.id, rule: a.rule, target: a.target, state: a.state, severity: a.severity, summary: a.summary,
      startsAt: new Date(Number(a.starts_ms)).toISOString(), endsAt: a.ends_ms == null ? null : new Date(Number(a.ends_ms)).toISOString(),
      lastNotifiedAt: a.last_notified_ms == null ? null : new Date(Number(a.last_notified_ms)).toISOString(),
      deliveries: deliveries.map((d) => ({ channel: d.channel, event: d.event, at: new Date(Number(d.at_ms)).toISOString(), ok: !!d.ok, attempts: d.attempts, error: d.error })),
    });
  }
  return out;
}
