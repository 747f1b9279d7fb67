// Overview: every target with its status, worst finding, uptime bars (24 h, 30 d), certificate
// days left, blacklist state and last check; filter and search; updates itself from /events.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, enc } from '../api.js';
import { html, Status, UptimeBars, slotsBack, ErrorBox } from '../components.js';
import { ago, bySeverity } from '../format.js';

const FILTERS = [
  ['all', 'All'],
  ['problems', 'Problems'],
  ['critical', 'Critical'],
  ['warning', 'Warning'],
  ['unknown', 'Unknown'],
  ['ok', 'OK'],
];

function matches(t, filter, q) {
  if (q && !t.name.toLowerCase().includes(q.toLowerCase())) return false;
  if (filter === 'all') return true;
  if (filter === 'problems') return ['critical', 'warning', 'unknown'].includes(t.status);
  if (filter === 'ok') return t.status === 'ok' || t.status === 'info';
  return t.status === filter;
}

/** Uptime series of the visible targets, fetched a few at a time and kept for a minute. */
const uptimeCache = new Map();
async function uptimeOf(name, step, since) {
  const key = `${name}|${step}`;
  const hit = uptimeCache.get(key);
  if (hit && Date.now() - hit.at < 60_000) return hit.data;
  const data = await get(`/api/v1/targets/${enc(name)}/series?metric=up&step=${step}&since=${since}`);
  uptimeCache.set(key, { at: Date.now(), data });
  return data;
}

function Bars({ name, version }) {
  const [day, setDay] = useState(null);
  const [month, setMonth] = useState(null);
  useEffect(() => {
    let live = true;
    uptimeOf(name, 'hour', '24h').then((d) => live && setDay(d)).catch(() => {});
    uptimeOf(name, 'day', '30d').then((d) => live && setMonth(d)).catch(() => {});
    return () => { live = false; };
  }, [name, version]);
  return html`<div class="row">
    <${UptimeBars} series=${day} slots=${slotsBack(24, 3600)} stepSeconds=${3600} label="24 h" />
    <${UptimeBars} series=${month} slots=${slotsBack(30, 86400)} stepSeconds=${86400} label="30 d" />
  </div>`;
}

function certText(c) {
  if (!c) return html`<span class="muted">—</span>`;
  const cls = c.daysLeft < 7 ? 's-critical' : c.daysLeft < 30 ? 's-warning' : '';
  const text = c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`;
  return html`<span class=${cls} title=${c.subject + ' until ' + c.notAfter}>${text}</span>`;
}

function dnsblText(d) {
  if (!d) return html`<span class="muted">—</span>`;
  if (d.state === 'listed') return html`<${Status} status="critical" label=${'listed (' + d.listedOn.length + ')'} />`;
  if (d.state === 'unknown') return html`<${Status} status="unknown" label="could not check" />`;
  return html`<${Status} status="ok" label="clean" />`;
}

export function Overview({ targets, error, live }) {
  const [filter, setFilter] = useState('all');
  const [q, setQ] = useState('');
  const counts = useMemo(() => {
    const c = { critical: 0, warning: 0, unknown: 0, ok: 0, pending: 0 };
    for (const t of targets || []) {
      const k = t.status === 'info' ? 'ok' : t.status;
      c[k] = (c[k] ?? 0) + 1;
    }
    return c;
  }, [targets]);
  if (!targets) return html`<main id="main"><h1>Overview</h1><${ErrorBox} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}</main>`;
  const shown = targets.filter((t) => matches(t, filter, q)).sort((a, b) => bySeverity(a.status, b.status) || a.name.localeCompare(b.name));
  return html`<main id="main">
    <div class="row"><h1>Overview</h1><span class="live muted" data-live=${live}>${live === 'live' ? '● live' : live === 'polling' ? 'refreshing every 30 s' : 'reconnecting…'}</span></div>
    <${ErrorBox} error=${error} />
    <div class="summary" aria-label="Targets by status">
      ${[['critical', 'Critical'], ['warning', 'Warning'], ['unknown', 'Unknown'], ['ok', 'OK'], ['pending', 'Pending']].map(([k, w]) =>
        html`<div class="count"><b>${counts[k] ?? 0}</b><${Status} status=${k} label=${w} /></div>`)}
    </div>
    <div class="row panel no-print">
      <div class="filters" role="group" aria-label="Filter by status">
        ${FILTERS.map(([k, w]) => html`<button type="button" aria-pressed=${filter === k} onClick=${() => setFilter(k)}>${w}</button>`)}
      </div>
      <label>Search <input type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} placeholder="name" aria-label="Search targets by name" /></label>
      <span class="muted small">${shown.length} of ${targets.length} targets</span>
    </div>
    <table class="targets">
      <thead><tr><th>Status</th><th>Target</th><th>Worst finding</th><th>Uptime</th><th>Certificate</th><th>Blacklists</th><th>Last check</th></tr></thead>
      <tbody>${shown.map((t) => html`<tr data-target=${t.name}>
        <td data-label="Status"><${Status} status=${t.status} />${t.checking ? html` <span class="muted small">checking…</span>` : null}</td>
        <td class="name" data-label="Target"><a href=${'#/target/' + enc(t.name)}>${t.name}</a><div class="muted small">${t.kind} · ${t.module}${t.openIncident ? ' · incident open' : ''}${t.silenced ? ' · silenced' : ''}</div></td>
        <td data-label="Worst finding">${t.worstFinding ? html`<span>${t.worstFinding.title}</span><div class="muted small">${t.worstFinding.id}${t.worstFinding.subject ? ' · ' + t.worstFinding.subject : ''}</div>` : html`<span class="muted">—</span>`}</td>
        <td data-label="Uptime"><${Bars} name=${t.name} version=${t.lastRun ? t.lastRun.id : 0} /></td>
        <td data-label="Certificate">${certText(t.certificate)}</td>
        <td data-label="Blacklists">${dnsblText(t.dnsbl)}</td>
        <td data-label="Last check">${t.lastRun ? html`<span title=${t.lastRun.startedAt}>${ago(t.lastRun.startedAt)}</span>` : html`<span class="muted">not yet</span>`}</td>
      </tr>`)}</tbody>
    </table>
    ${shown.length === 0 ? html`<p class="muted">No target matches.</p>` : null}
  </main>`;
}

export async function loadTargets() {
  const data = await get('/api/v1/targets');
  return data.targets;
}
