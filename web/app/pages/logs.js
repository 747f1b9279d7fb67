// Logs: the live log watch's findings and summary counters. Log files are targets of kind
// "logs" in the monitor; their latest run carries the detectors' findings and the counters
// (report.facts.logs).
import { useEffect, useState } from 'preact/hooks';
import { get, enc } from '../api.js';
import { html, Status, FamilyList, ErrorBox } from '../components.js';
import { familiesOf } from './report.js';
import { ago } from '../format.js';

/** Numeric counters of a facts object, one level deep ("totals.delivered": 12). */
function counters(facts) {
  const out = [];
  const walk = (obj, prefix, depth) => {
    for (const [k, v] of Object.entries(obj || {})) {
      if (typeof v === 'number') out.push([prefix + k, v]);
      else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 1) walk(v, `${prefix}${k}.`, depth + 1);
    }
  };
  walk(facts, '', 0);
  return out.slice(0, 40);
}

export function LogsPage({ targets, refresh }) {
  const logTargets = (targets || []).filter((t) => t.kind === 'logs' || t.kind === 'log');
  const [reports, setReports] = useState({});
  const [error, setError] = useState(null);
  useEffect(() => {
    for (const t of logTargets) {
      if (!t.lastRun) continue;
      get(`/api/v1/runs/${t.lastRun.id}`).then((d) => setReports((r) => ({ ...r, [t.name]: d.report }))).catch(setError);
    }
  }, [refresh, logTargets.map((t) => (t.lastRun ? t.lastRun.id : 0)).join(',')]);
  return html`<main id="main">
    <h1>Logs</h1>
    <${ErrorBox} error=${error} />
    ${logTargets.length === 0 ? html`<p class="muted">No log file is watched. Add a <code>logs</code> target to the config (docs/monitor.md) to see the live log detectors here.</p>` : null}
    ${logTargets.map((t) => {
      const report = reports[t.name];
      const facts = report && report.facts ? report.facts.logs ?? report.facts : null;
      return html`<section class="panel" data-logs=${t.name}>
        <div class="row"><h2><a href=${'#/target/' + enc(t.name)}>${t.name}</a></h2><${Status} status=${t.status} /><span class="muted small">updated ${t.lastRun ? ago(t.lastRun.startedAt) : 'never'}</span></div>
        ${facts ? html`<div class="table-wrap"><table class="plain"><tbody>${counters(facts).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody></table></div>` : null}
        ${report ? html`<${FamilyList} families=${familiesOf(report)} />` : html`<p class="muted">No run yet.</p>`}
      </section>`;
    })}
  </main>`;
}
