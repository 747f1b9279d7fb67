// Formatting helpers: times, durations, percentages. Pure functions.

export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return 'unknown';
  if (s < 0) return 'in ' + span(-s);
  if (s < 5) return 'just now';
  return span(s) + ' ago';
}

export function span(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86400);
  const h = Math.round((s % 86400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

export function ms(value) {
  if (value == null) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(value < 10000 ? 2 : 1)} s`;
}

export function pct(fraction, digits = 3) {
  if (fraction == null) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Display order: problems first (as the CLI's report). */
const RANK = { critical: 0, unknown: 1, warning: 2, info: 3, ok: 4, skipped: 5, pending: 6 };
export function bySeverity(a, b) {
  return (RANK[a] ?? 9) - (RANK[b] ?? 9);
}
