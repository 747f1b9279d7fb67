// One target: current findings by family with detail, evidence and fix; history charts;
// status changes and incidents; recent runs; "check now" with live progress.
import { useEffect, useState } from 'preact/hooks';
import { get, post, enc } from '../api.js';
import { html, Status, FamilyList, Chart, ErrorBox } from '../components.js';
import { ago, ms, when, span } from '../format.js';
import { Silence } from './silence.js';

const CHARTS = [
  ['check_duration_seconds', 'Check duration', 's'],
  ['up', 'Availability (1 = up)', ''],
  ['cert_days_left', 'Certificate days left', 'd'],
  ['dnsbl_listed', 'Blacklist listings', ''],
  ['queue_size', 'Queue size', ''],
  ['delivery_seconds', 'Delivery time (round trip)', 's'],
];

/** The queue chart's other lines (local targets): Postfix's queues, dashed unlike the total. */
const QUEUES = [
  ['queue_deferred', 'deferred', '--warning', [6, 3]],
  ['queue_active', 'active', '--ok', [2, 3]],
  ['queue_hold', 'hold', '--critical', [10, 4]],
  ['queue_incoming', 'incoming', '--info', [1, 3]],
];

function CheckNow({ name, onDone, jobEvent }) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  // Progress arrives over /events when the stream is live; polling covers the rest.
  useEffect(() => {
    if (jobEvent && job && jobEvent.id === job.id) setJob(jobEvent);
  }, [jobEvent]);
  useEffect(() => {
    if (!job || ['done', 'failed', 'cancelled'].includes(job.state)) {
      if (job && job.state === 'done') onDone();
      return undefined;
    }
    const timer = setTimeout(async () => {
      try {
        setJob((await get(`/api/v1/jobs/${job.id}`)).job);
      } catch (e) {
        setError(e);
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [job]);
  const start = async () => {
    setError(null);
    try {
      setJob((await post(`/api/v1/targets/${enc(name)}/check`)).job);
    } catch (e) {
      setError(e);
    }
  };
  const busy = job && (job.state === 'queued' || job.state === 'running');
  const p = job && job.progress;
  return html`<div class="row no-print" data-job-state=${job ? job.state : 'none'}>
    <button type="button" class="primary" onClick=${start} disabled=${busy}>${busy ? 'Checking…' : 'Check now'}</button>
    ${busy ? html`<div class="progress" role="progressbar" aria-label="Check progress" aria-valuemin="0" aria-valuemax=${p ? p.total : 1} aria-valuenow=${p ? p.done : 0}><div style=${{ width: p && p.total ? `${(100 * p.done) / p.total}%` : '5%' }}></div></div>
      <span class="small muted">${job.state}${p ? ` · ${p.done}/${p.total}${p.running && p.running.length ? ' · ' + p.running.join(', ') : ''}` : ''}</span>` : null}
    ${job && job.state === 'done' ? html`<span class="small">Done: <a href=${'#/run/' + job.runId}>run ${job.runId}</a></span>` : null}
    ${job && job.state === 'failed' ? html`<span class="small error">Check failed: ${job.error}</span>` : null}
    ${job && job.state === 'cancelled' ? html`<span class="small error">The check was cancelled at its deadline.</span>` : null}
    <${ErrorBox} error=${error} />
  </div>`;
}

const PROBLEM = new Set(['warning', 'critical', 'unknown']);

/** Status changes, incidents, and problem findings that came or went (ok/info noise left out). */
function Timeline({ changes, incidents }) {
  const relevant = (changes || []).filter((c) => c.kind === 'status' || PROBLEM.has(c.from) || PROBLEM.has(c.to));
  const items = [
    ...relevant.map((c) => ({ at: c.at, c })),
    ...(incidents || []).flatMap((i) => [{ at: i.startedAt, i, edge: 'start' }, ...(i.endedAt ? [{ at: i.endedAt, i, edge: 'end' }] : [])]),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 60);
  if (items.length === 0) return html`<p class="muted">No status changes recorded yet.</p>`;
  return html`<ul class="timeline">${items.map((x) => html`<li>
    <span class="small muted" title=${x.at}>${when(x.at)}</span>
    ${x.c && x.c.kind === 'status' ? html`<span>Status ${x.c.from ? html`<${Status} status=${x.c.from} />` : 'new'} → <${Status} status=${x.c.to} /></span>` : null}
    ${x.c && x.c.kind === 'finding' ? html`<span>${x.c.to ? html`<${Status} status=${x.c.to} />` : html`<${Status} status="ok" label="gone" />`} ${x.c.title} <span class="muted small">${x.c.findingId}${x.c.subject ? ' · ' + x.c.subject : ''}</span></span>` : null}
    ${x.i ? html`<span>${x.edge === 'start' ? html`<${Status} status="critical" label="incident opened" />` : html`<${Status} status="ok" label="incident closed" />`} ${x.i.cause ? x.i.cause.title : ''}${x.edge === 'end' && x.i.durationSeconds != null ? ` after ${span(x.i.durationSeconds)}` : ''}</span>` : null}
  </li>`)}</ul>`;
}

export function TargetPage({ name, refresh, jobEvent }) {
  const [data, setData] = useState(null);
  const [extra, setExtra] = useState({});
  const [error, setError] = useState(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    const base = `/api/v1/targets/${enc(name)}`;
    get(base).then((d) => live && (setData(d), setError(null))).catch((e) => live && setError(e));
    Promise.allSettled([
      get(`${base}/changes?limit=50`),
      get(`/api/v1/incidents?target=${enc(name)}&limit=50`),
      get(`${base}/runs?limit=20`),
      ...CHARTS.map(([m]) => get(`${base}/series?metric=${m}&since=7d`)),
    ]).then((r) => {
      if (!live) return;
      const val = (i) => (r[i].status === 'fulfilled' ? r[i].value : null);
      const series = {};
      CHARTS.forEach(([m], i) => (series[m] = val(3 + i)));
      const nowS = Math.floor(Date.now() / 1000);
      setExtra({ changes: val(0)?.changes, incidents: val(1)?.incidents, runs: val(2)?.runs, series, range: [nowS - 7 * 86400, nowS] });
      // Only a target with queue sizes (a local target) asks for the per-queue lines.
      if (!(series.queue_size && series.queue_size.t && series.queue_size.t.length)) return;
      Promise.allSettled(QUEUES.map(([m]) => get(`${base}/series?metric=${m}&since=7d`))).then((q) => {
        if (!live) return;
        const queues = QUEUES.map(([, label, color, dash], i) => ({ label, color, dash, series: q[i].status === 'fulfilled' ? q[i].value : null }));
        setExtra((e) => ({ ...e, queues }));
      });
    });
    return () => { live = false; };
  }, [name, refresh, reload]);
  if (!data) return html`<main id="main"><h1>${name}</h1><${ErrorBox} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}</main>`;
  const t = data.target;
  const series = extra.series || {};
  // Only the charts this kind of target can have data for; an empty one says so.
  const charts = CHARTS.filter(([m]) => (series[m] && series[m].t && series[m].t.length) || m === 'check_duration_seconds' || m === 'up');
  return html`<main id="main">
    <p class="small no-print"><a href="#/">← Overview</a></p>
    <div class="row"><h1>${t.name}</h1><${Status} status=${t.status} /><span class="muted small">${t.kind} · module ${t.module} · every ${span(t.intervalSeconds)}</span></div>
    <p class="small muted">${t.statusSince ? `${t.status} since ${when(t.statusSince)} · ` : ''}last check ${t.lastRun ? html`<a href=${'#/run/' + t.lastRun.id}>${ago(t.lastRun.startedAt)}</a> (${ms(t.lastRun.durationMs)})` : 'not yet'}${t.nextRunAt ? ` · next ${ago(t.nextRunAt)}` : ''}</p>
    <${ErrorBox} error=${error} />
    <${CheckNow} name=${name} jobEvent=${jobEvent} onDone=${() => setReload((n) => n + 1)} />
    <${Silence} name=${name} />
    <h2>Current findings</h2>
    ${t.kind === 'logs' ? html`<p class="small" data-logs-link>The findings of the last run; the files, the window's totals and the counters right now: <a href="#/logs">Logs</a></p>` : null}
    <${FamilyList} families=${data.families} />
    <h2>History (7 days)</h2>
    <div class="charts">${charts.map(([m, title, unit]) => m === 'queue_size'
      ? html`<${Chart} title=${title} unit=${unit} series=${series[m]} range=${extra.range} label="all queues" lines=${extra.queues} />`
      : html`<${Chart} title=${title} unit=${unit} series=${series[m]} range=${extra.range} />`)}</div>
    <h2>Status changes and incidents</h2>
    <div class="panel"><${Timeline} changes=${extra.changes} incidents=${extra.incidents} /></div>
    <h2>Recent runs</h2>
    ${extra.runs && extra.runs.length ? html`<div class="table-wrap"><table class="plain"><thead><tr><th>Run</th><th>Started</th><th>Status</th><th>Duration</th><th>Trigger</th></tr></thead>
      <tbody>${extra.runs.map((r) => html`<tr><td><a href=${'#/run/' + r.id}>${r.id}</a></td><td>${when(r.startedAt)}</td><td><${Status} status=${r.status} /></td><td>${ms(r.durationMs)}</td><td>${r.trigger}</td></tr>`)}</tbody></table></div>` : html`<p class="muted">No runs stored yet.</p>`}
  </main>`;
}
