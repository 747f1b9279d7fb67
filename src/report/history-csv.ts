// CSV of the history (report --from-store --format csv): one row per target and UTC day
// (`--rows availability`, the default) or one row per incident (`--rows incidents`).
// Unknown seconds are a column of their own: they are neither up nor down.
import type { StoreHistory } from './history-model.js';
import { csvTable } from './csv.js';

export type HistoryCsvRows = 'availability' | 'incidents';

export function renderHistoryCsv(h: StoreHistory, rows: HistoryCsvRows): string {
  const table: (string | number)[][] = [];
  if (rows === 'availability') {
    table.push(['target', 'day', 'up_seconds', 'down_seconds', 'unknown_seconds', 'availability', 'cert_days_left', 'blacklists']);
    for (const t of h.targets) {
      const cert = new Map(t.certificate.daysLeft.map((d) => [d.day, d.value]));
      const lists = new Map(t.blacklist.lists.map((d) => [d.day, d.value]));
      for (const d of t.days) table.push([t.target, d.day, d.upSeconds, d.downSeconds, d.unknownSeconds, d.availability === null ? '' : Number(d.availability.toFixed(6)), cert.get(d.day) ?? '', lists.get(d.day) ?? '']);
    }
  } else {
    table.push(['target', 'started_at', 'ended_at', 'duration_seconds', 'open', 'cause_id', 'cause_title']);
    for (const t of h.targets) for (const i of t.incidents) table.push([t.target, i.startedAt, i.endedAt ?? '', i.durationSeconds, i.open ? 'yes' : 'no', i.cause?.findingId ?? '', i.cause?.title ?? '']);
  }
  return csvTable(table);
}
