// `mxdoctor history <target>`: status changes, finding changes and incidents from the
// store of a serve config, as data (the CLI renders text or JSON).
import { openStoreDb } from './store/open.js';
import type { StoreLocation } from './store/open.js';
import { availabilityBetween, listChanges, listIncidents, listRuns } from './store/queries.js';

export async function readHistory(loc: StoreLocation, target: string, sinceMs: number, nowMs: number) {
  const store = await openStoreDb(loc);
  try {
    const [changes, incidents, runs, availability] = await Promise.all([
      listChanges(store.db, target, { sinceMs, limit: 1000 }),
      listIncidents(store.db, { target, state: 'all', sinceMs, limit: 1000, nowMs }),
      listRuns(store.db, target, { sinceMs, limit: 1 }),
      availabilityBetween(store.db, target, sinceMs, nowMs),
    ]);
    return { target, since: new Date(sinceMs).toISOString(), lastRun: runs[0] ?? null, availability, changes, incidents };
  } finally {
    await store.close();
  }
}

export type History = Awaited<ReturnType<typeof readHistory>>;

export function renderHistory(h: History): string {
  const out: string[] = [`${h.target}: history since ${h.since}`];
  if (!h.lastRun && !h.changes.length) return `${out[0]}\n  nothing stored for this target (is it the name serve uses, and the same store?)\n`;
  if (h.lastRun) out.push(`  last run ${h.lastRun.startedAt}: ${h.lastRun.status} (${h.lastRun.durationMs} ms)`);
  const a = h.availability;
  out.push(`  availability ${a.availability === null ? 'unknown' : `${(a.availability * 100).toFixed(3)}%`} (up ${a.upSeconds} s, down ${a.downSeconds} s, unknown ${a.unknownSeconds} s not counted); incidents ${a.incidents}${a.mttrSeconds !== null ? `, MTTR ${a.mttrSeconds} s` : ''}`);
  if (h.incidents.length) {
    out.push('', 'Incidents:');
    for (const i of h.incidents) out.push(`  ${i.startedAt} → ${i.endedAt ?? 'open'} (${i.durationSeconds} s)${i.cause ? ` ${i.cause.findingId}: ${i.cause.title}` : ''}`);
  }
  const status = h.changes.filter((c) => c.kind === 'status');
  if (status.length) {
    out.push('', 'Status changes:');
    for (const c of status) out.push(`  ${c.at} ${c.from ?? '(first run)'} → ${c.to}`);
  }
  const findings = h.changes.filter((c) => c.kind === 'finding' && ((c.from && !['ok', 'info'].includes(c.from)) || (c.to && !['ok', 'info'].includes(c.to))));
  if (findings.length) {
    out.push('', 'Problem findings that appeared, changed or went away:');
    for (const c of findings) out.push(`  ${c.at} ${c.findingId}${c.subject ? ` (${c.subject})` : ''}: ${c.from ?? 'new'} → ${c.to ?? 'gone'}`);
  }
  return `${out.join('\n')}\n`;
}
