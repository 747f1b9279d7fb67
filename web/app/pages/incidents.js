// Incidents and SLA: open and closed incidents, availability per month against the objective,
// MTTR. Unknown time (could not check) is shown apart: it is neither up nor down.
import { useEffect, useState } from 'preact/hooks';
import { get, enc } from '../api.js';
import { html, Status, ErrorBox } from '../components.js';
import { pct, span, when } from '../format.js';

export function IncidentsPage({ refresh }) {
  const [incidents, setIncidents] = useState(null);
  const [sla, setSla] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    Promise.all([get('/api/v1/incidents?state=all&limit=200'), get('/api/v1/availability?period=month')])
      .then(([i, a]) => { setIncidents(i.incidents); setSla(a); setError(null); })
      .catch(setError);
  }, [refresh]);
  const open = (incidents || []).filter((i) => i.open);
  const closed = (incidents || []).filter((i) => !i.open);
  return html`<main id="main">
    <h1>Incidents and SLA</h1>
    <${ErrorBox} error=${error} />
    <h2>Open incidents (${open.length})</h2>
    ${incidentTable(open, 'No open incident.')}
    <h2>Availability this month${sla ? html` <span class="muted small">${when(sla.start)} – ${when(sla.end)}</span>` : null}</h2>
    ${sla ? html`<div class="table-wrap"><table class="plain" data-table="sla"><thead><tr><th>Target</th><th>Availability</th><th>Objective</th><th>Met</th><th>Down</th><th>Unknown</th><th>Incidents</th><th>MTTR</th></tr></thead>
      <tbody>${sla.targets.map((t) => html`<tr>
        <td><a href=${'#/target/' + enc(t.target)}>${t.target}</a></td>
        <td>${pct(t.availability)}</td><td>${pct(t.objective ?? sla.objective, 2)}</td>
        <td>${t.met == null ? html`<${Status} status="pending" label="no data" />` : t.met ? html`<${Status} status="ok" label="met" />` : html`<${Status} status="critical" label="missed" />`}</td>
        <td>${span(t.downSeconds ?? 0)}</td><td>${span(t.unknownSeconds ?? 0)}</td><td>${t.incidents ?? 0}</td>
        <td>${t.mttrSeconds == null ? '—' : span(t.mttrSeconds)}</td></tr>`)}</tbody></table></div>
      <p class="small muted">Availability = up ÷ (up + down). Time that could not be checked is "unknown" and left out of it.</p>` : null}
    <h2>Closed incidents (${closed.length})</h2>
    ${incidentTable(closed, 'No closed incident in the stored history.')}
  </main>`;
}

function incidentTable(list, empty) {
  if (!list || list.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap"><table class="plain"><thead><tr><th>Target</th><th>Started</th><th>Ended</th><th>Duration</th><th>Cause</th></tr></thead>
    <tbody>${list.map((i) => html`<tr data-incident=${i.id}>
      <td><a href=${'#/target/' + enc(i.target)}>${i.target}</a></td><td>${when(i.startedAt)}</td>
      <td>${i.endedAt ? when(i.endedAt) : html`<${Status} status="critical" label="open" />`}</td>
      <td>${i.durationSeconds == null ? '—' : span(i.durationSeconds)}</td>
      <td>${i.cause ? html`${i.cause.title} <span class="muted small">${i.cause.findingId}</span>` : '—'}</td></tr>`)}</tbody></table></div>`;
}
