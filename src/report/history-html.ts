// The history part of the HTML report (report --from-store): availability over the period and
// per day, incidents with MTTR, the certificate expiry and blacklist timelines. Pure; all text
// from the store is escaped.
import type { FindingPeriod, StoreHistory, TargetHistory } from './history-model.js';
import { UNKNOWN_NOTE, humanSeconds, percent } from './history-model.js';
import { dayColumns, valueColumns } from './svg-timeline.js';
import { anchorId as anchor, xmlEscape as esc } from './xml.js';

const UP = '#2e7d32';
const DOWN = '#c62828';
const UNKNOWN = '#9e9e9e';

export function historyHtml(h: StoreHistory): string {
  const rows = h.targets.map((t) => `<tr><td><a href="#h-${anchor(t.target)}">${esc(t.target)}</a></td><td class="n">${percent(t.period.availability)}</td>`
    + `<td class="n">${humanSeconds(t.period.upSeconds)}</td><td class="n">${humanSeconds(t.period.downSeconds)}</td><td class="n">${humanSeconds(t.period.unknownSeconds)}</td>`
    + `<td class="n">${t.period.incidents}</td><td class="n">${humanSeconds(t.period.mttrSeconds)}</td><td class="n">${t.runs}</td><td>${t.lastRun ? `${esc(t.lastRun.status)} at ${esc(t.lastRun.at)}` : 'never'}</td></tr>`);
  return [
    `<h2>History ${esc(h.since.slice(0, 10))} to ${esc(h.until)}</h2>`,
    `<p class="meta">From the monitor's store ${esc(h.store)}. ${esc(UNKNOWN_NOTE)}</p>`,
    '<table><thead><tr><th>target</th><th>availability</th><th>up</th><th>down</th><th>unknown (not counted)</th><th>incidents</th><th>MTTR</th><th>runs</th><th>last run</th></tr></thead><tbody>',
    ...rows, '</tbody></table>',
    ...h.targets.map(targetHtml),
  ].join('\n');
}

function targetHtml(t: TargetHistory): string {
  const out = [`<h3 id="h-${anchor(t.target)}">${esc(t.target)}: history</h3>`];
  if (!t.runs && !t.days.some((d) => d.upSeconds + d.downSeconds + d.unknownSeconds)) {
    out.push(`<p>No data in this period: no run of this target is stored in it${t.firstRunAt ? ` (the first stored run is at ${esc(t.firstRunAt)})` : ''}.</p>`);
    return out.join('\n');
  }
  if (t.firstRunAt && t.firstRunAt.slice(0, 10) > t.days[0]!.day) out.push(`<p class="meta">The store's first run of this target is at ${esc(t.firstRunAt)}: earlier days are not measured (shown empty, not down).</p>`);
  out.push(`<figure>${dayColumns(`Availability per day: ${t.target}`, t.days.map((d) => ({
    day: d.day, note: d.availability === null ? 'not measured' : `availability ${percent(d.availability)}`,
    parts: [{ value: d.upSeconds, color: UP, name: 'up' }, { value: d.downSeconds, color: DOWN, name: 'down' }, { value: d.unknownSeconds, color: UNKNOWN, name: 'unknown' }],
  })), 86_400, (v) => (v === 86_400 ? '24h' : humanSeconds(v)))}<figcaption>Per UTC day: up (green), down (red), unknown (grey), not measured (empty)</figcaption></figure>`);
  out.push('<h4>Incidents</h4>');
  out.push(t.incidents.length
    ? `<table><thead><tr><th>started</th><th>ended</th><th>duration</th><th>cause</th></tr></thead><tbody>${t.incidents.map((i) => `<tr><td>${esc(i.startedAt)}</td><td>${i.endedAt ? esc(i.endedAt) : '<strong>open</strong>'}</td><td class="n">${humanSeconds(i.durationSeconds)}</td><td>${i.cause ? `<code>${esc(i.cause.findingId ?? '')}</code> ${esc(i.cause.title ?? '')}` : ''}</td></tr>`).join('')}</tbody></table><p class="meta">MTTR (incidents that ended in the period): ${humanSeconds(t.period.mttrSeconds)}</p>`
    : '<p>No incident in this period.</p>');
  const byDay = (vals: { day: string; value: number }[]) => t.days.map((d) => ({ day: d.day, value: vals.find((v) => v.day === d.day)?.value ?? null }));
  out.push('<h4>Certificate expiry</h4>');
  out.push(t.certificate.daysLeft.length
    ? `<figure>${valueColumns(`Certificate days left: ${t.target}`, byDay(t.certificate.daysLeft), (v) => (v <= 7 ? DOWN : v <= 21 ? '#ef6c00' : UP), 'days left (earliest certificate)')}<figcaption>Days left of the earliest-expiring certificate, lowest per day</figcaption></figure>`
    : '<p>No certificate seen in this period (the target\'s checks did not look at one).</p>');
  out.push(periodsTable(t.certificate.periods, 'No certificate problem in this period.'));
  out.push('<h4>Blacklists</h4>');
  out.push(t.blacklist.lists.length
    ? `<figure>${valueColumns(`Blacklist listings: ${t.target}`, byDay(t.blacklist.lists), (v) => (v > 0 ? DOWN : UP), 'lists')}<figcaption>Lists the target was on, most per day (empty: not looked up)</figcaption></figure>`
    : '<p>No blacklist lookup that could tell in this period.</p>');
  out.push(periodsTable(t.blacklist.periods, 'Not listed in this period.'));
  return out.join('\n');
}

function periodsTable(ps: FindingPeriod[], none: string): string {
  if (!ps.length) return `<p>${none}</p>`;
  return `<table><thead><tr><th>from</th><th>to</th><th>finding</th><th>subject</th></tr></thead><tbody>${ps.map((p) => `<tr><td>${esc(p.from)}</td><td>${p.to ? esc(p.to) : '<strong>still</strong>'}</td><td><span class="sev s-${p.severity === 'critical' ? 'critical' : 'warning'}">${esc(p.severity)}</span> <code>${esc(p.findingId)}</code> ${esc(p.title)}</td><td>${esc(p.subject)}</td></tr>`).join('')}</tbody></table>`;
}
