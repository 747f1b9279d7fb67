// Logs: the live log watch of every log target (log_files: in the config) from
// GET /api/v1/logs — the detectors' findings over the current window, the window's totals,
// the files with their read positions, and the lifetime counters (the same as /metrics).
// Lines arrive all the time, not only at runs: the page re-reads every 5 s while open.
import { useEffect, useState } from 'preact/hooks';
import { get, enc } from '../api.js';
import { html, Status, Finding, ErrorBox } from '../components.js';
import { ago, bySeverity } from '../format.js';

const TOTALS = [['received', 'Received'], ['delivered', 'Delivered'], ['deferred', 'Deferred'], ['bounced', 'Bounced'], ['rejected', 'Rejected'], ['expired', 'Expired'], ['bounceNotices', 'Bounce notices']];
const num = (n) => (n == null ? '—' : Number(n).toLocaleString('en-US'));
const bytes = (n) => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);

function labelText(labels) {
  const parts = Object.entries(labels || {}).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function Files({ files }) {
  return html`<div class="table-wrap"><table class="plain" data-logs-files>
    <thead><tr><th scope="col">File</th><th scope="col">State</th><th scope="col">Size</th><th scope="col">Still to read</th><th scope="col">Rotations</th></tr></thead>
    <tbody>${files.map((f) => html`<tr data-file=${f.path}>
      <td><code>${f.path}</code></td>
      <td>${f.error ? html`<${Status} status="unknown" label=${f.error} />` : f.exists ? 'followed' : html`<${Status} status="unknown" label="not there yet" />`}</td>
      <td>${f.exists ? bytes(f.size) : '—'}</td>
      <td>${f.offset == null ? '—' : bytes(Math.max(0, f.size - f.offset))}</td>
      <td>${f.rotations}${f.cutLines ? html` <span class="muted small">(${f.cutLines} long lines cut)</span>` : null}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

function Summary({ t }) {
  if (!t.window) return html`<p class="muted">The watch has not started yet.</p>`;
  const w = t.window;
  return html`<div>
    <p class="small muted" data-window>Window from ${w.from.slice(0, 19).replace('T', ' ')}Z: ${num(w.lines)} lines (${num(w.parsed)} understood, ${num(w.unparsed)} not understood, ${num(w.foreign)} from other programs)</p>
    <dl class="kv" data-totals>${TOTALS.map(([k, label]) => html`<div><dt>${label}</dt><dd data-total=${k}>${num(t.totals ? t.totals[k] : null)}</dd></div>`)}</dl>
  </div>`;
}

function Counters({ counters }) {
  if (!counters.length) return html`<p class="muted small">No lines counted yet.</p>`;
  return html`<details class="family" data-counters>
    <summary><h3>Counters since the watch began</h3><span class="muted small">${counters.length} series, as on /metrics</span></summary>
    <div class="table-wrap"><table class="plain"><tbody>${counters.map((c) => html`<tr data-counter=${c.name + labelText(c.labels)}><th scope="row"><code>${c.name}${labelText(c.labels)}</code></th><td>${num(c.value)}</td></tr>`)}</tbody></table></div>
  </details>`;
}

export function LogsPage({ refresh }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let stop = false;
    const load = () => get('/api/v1/logs').then((d) => { if (!stop) { setData(d); setError(null); } }).catch((e) => { if (!stop) setError(e); });
    load();
    const timer = setInterval(load, 5000);
    return () => { stop = true; clearInterval(timer); };
  }, [refresh]);
  const targets = data ? data.targets : null;
  return html`<main id="main">
    <h1>Logs</h1>
    <${ErrorBox} error=${error} />
    ${targets === null && !error ? html`<p class="muted">Loading…</p>` : null}
    ${targets && targets.length === 0 ? html`<p class="muted">No log file is watched. Add a target with <code>log_files: [/var/log/mail.log]</code> to the config (docs/monitor.md) to see the live log detectors here.</p>` : null}
    ${(targets || []).map((t) => {
      const problems = t.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info');
      const rest = t.findings.filter((f) => f.severity === 'ok' || f.severity === 'info');
      return html`<section class="panel" data-logs=${t.target}>
        <div class="row"><h2><a href=${'#/target/' + enc(t.target)}>${t.target}</a></h2><${Status} status=${t.status} />
          <span class="muted small">${t.lastRun ? `last stored run ${ago(t.lastRun.at)}` : 'no stored run yet'}</span></div>
        <${Files} files=${t.files} />
        <${Summary} t=${t} />
        <h3>${problems.length ? `Problems (${problems.length})` : 'No problems in the window'}</h3>
        ${[...problems, ...rest].sort((a, b) => bySeverity(a.severity, b.severity)).map((f) => html`<${Finding} f=${f} />`)}
        <${Counters} counters=${t.counters} />
      </section>`;
    })}
  </main>`;
}
