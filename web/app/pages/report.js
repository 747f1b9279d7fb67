// The full report of one stored run, printable, with a link to its JSON.
import { useEffect, useState } from 'preact/hooks';
import { get, enc } from '../api.js';
import { html, Status, FamilyList, ErrorBox } from '../components.js';
import { ms, when } from '../format.js';

/** Group a report's findings by family (check), as the API's target page does. */
export function familiesOf(report) {
  const byCheck = new Map();
  for (const c of report.checks || []) byCheck.set(c.check, { family: c.check, area: c.area, status: c.status, durationMs: c.durationMs, findings: [] });
  for (const f of report.findings || []) {
    if (!byCheck.has(f.check)) byCheck.set(f.check, { family: f.check, area: f.area, status: f.severity, findings: [] });
    byCheck.get(f.check).findings.push(f);
  }
  return [...byCheck.values()];
}

export function ReportPage({ id }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    get(`/api/v1/runs/${enc(id)}`).then(setData).catch(setError);
  }, [id]);
  if (!data) return html`<main id="main"><h1>Run ${id}</h1><${ErrorBox} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}</main>`;
  const { run, report } = data;
  const counts = {};
  for (const f of report.findings || []) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return html`<main id="main">
    <p class="small no-print"><a href=${'#/target/' + enc(run.target)}>← ${run.target}</a></p>
    <div class="row"><h1>Report: ${report.target}</h1><${Status} status=${report.status} /></div>
    <p class="small muted">Run ${run.id} · ${when(report.startedAt)} · ${ms(report.durationMs)} · exit code ${report.exitCode} · ${run.trigger}</p>
    <div class="row no-print">
      <button type="button" onClick=${() => window.print()}>Print</button>
      <a class="button" href=${'/api/v1/runs/' + enc(id)} target="_blank" rel="noopener">JSON</a>
    </div>
    <div class="summary" aria-label="Findings by severity">
      ${['critical', 'warning', 'unknown', 'info', 'ok'].map((s) => html`<div class="count"><b>${counts[s] ?? 0}</b><${Status} status=${s} /></div>`)}
    </div>
    <h2>Findings</h2>
    <${FamilyList} families=${familiesOf(report)} />
    ${report.facts ? html`<h2>Facts</h2><pre class="json">${JSON.stringify(report.facts, null, 2)}</pre>` : null}
  </main>`;
}
