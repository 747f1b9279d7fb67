// Shared pieces: the status badge (icon + word, never colour alone), uptime bars, findings,
// and a uPlot chart. Text is always rendered as text (preact escapes it): server and log
// strings are untrusted.
import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import htm from 'htm';
import uPlot from 'uplot';
import { bySeverity } from './format.js';

export const html = htm.bind(h);

const ICON = { ok: '✓', info: 'i', warning: '!', critical: '✕', unknown: '?', pending: '…', skipped: '–' };
const WORD = { ok: 'OK', info: 'Info', warning: 'Warning', critical: 'Critical', unknown: 'Unknown', pending: 'Pending', skipped: 'Skipped' };

export function Status({ status, label }) {
  const s = ICON[status] ? status : 'unknown';
  return html`<span class=${'status s-' + s} data-status=${s}><span class="icon" aria-hidden="true">${ICON[s]}</span>${label ?? WORD[s]}</span>`;
}

/**
 * Uptime bars from an `up` series (avg of 1/0 per step). `slots` are the step starts expected
 * in the window; a step without data is grey ("no data"), never green.
 */
export function UptimeBars({ series, slots, stepSeconds, label }) {
  const byT = new Map();
  if (series && series.t) series.t.forEach((t, i) => byT.set(t, series.avg[i]));
  let up = 0;
  let known = 0;
  const cells = slots.map((t) => {
    const v = byT.get(t);
    if (v == null) return html`<span title=${new Date(t * 1000).toISOString().slice(0, 16) + 'Z: no data'}></span>`;
    known += 1;
    up += v;
    const cls = v >= 0.999 ? 'up' : v <= 0.001 ? 'down' : 'part';
    return html`<span class=${cls} title=${`${new Date(t * 1000).toISOString().slice(0, 16)}Z: ${(v * 100).toFixed(1)} % up`}></span>`;
  });
  const text = known ? `${label}: ${((up / known) * 100).toFixed(2)} % up over ${known} of ${slots.length} ${stepSeconds >= 86400 ? 'days' : 'hours'} with data` : `${label}: no data yet`;
  return html`<div><div class="bars" role="img" aria-label=${text} title=${text}>${cells}</div><div class="bars-label">${label} ${known ? ((up / known) * 100).toFixed(2) + ' %' : '—'}</div></div>`;
}

/** Step starts (Unix seconds) of the last `count` steps of `stepSeconds`, oldest first. */
export function slotsBack(count, stepSeconds, now = Date.now()) {
  const last = Math.floor(now / 1000 / stepSeconds) * stepSeconds;
  const out = [];
  for (let i = count - 1; i >= 0; i--) out.push(last - i * stepSeconds);
  return out;
}

export function Finding({ f }) {
  const evidence = f.evidence && Object.keys(f.evidence).length ? JSON.stringify(f.evidence, null, 2) : null;
  return html`<div class="finding" data-finding=${f.id}>
    <div class="row"><${Status} status=${f.severity} /><span class="title">${f.title}</span>${f.subject ? html`<span class="muted small">${f.subject}</span>` : null}</div>
    <div class="id">${f.id}</div>
    ${f.detail ? html`<p>${f.detail}</p>` : null}
    ${f.remediation && f.severity !== 'ok' ? html`<div class="fix"><b>Fix: </b>${f.remediation}</div>` : null}
    ${evidence ? html`<details><summary class="small">Evidence</summary><pre>${evidence}</pre></details>` : null}
  </div>`;
}

/** Findings grouped by family, worst family first; families with problems open. */
export function FamilyList({ families }) {
  if (!families || families.length === 0) return html`<p class="muted">No findings yet.</p>`;
  const sorted = [...families].sort((a, b) => bySeverity(a.status, b.status));
  return html`<div>${sorted.map((fam) => {
    const problems = fam.findings.filter((f) => f.severity === 'critical' || f.severity === 'warning' || f.severity === 'unknown').length;
    return html`<details class="family" open=${problems > 0} data-family=${fam.family}>
      <summary><h3>${fam.family}</h3><${Status} status=${fam.status} /><span class="muted small">${fam.findings.length} finding${fam.findings.length === 1 ? '' : 's'}${fam.durationMs != null ? ` · ${fam.durationMs} ms` : ''}</span></summary>
      ${[...fam.findings].sort((a, b) => bySeverity(a.severity, b.severity)).map((f) => html`<${Finding} f=${f} />`)}
    </details>`;
  })}</div>`;
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Values of `s` on the time axis `t` (null where `s` has no point: a gap, never a made-up 0). */
function alignTo(t, s) {
  const byT = new Map();
  if (s && s.t) s.t.forEach((x, i) => byT.set(x, s.avg[i]));
  return t.map((x) => (byT.has(x) ? byT.get(x) : null));
}

/**
 * One uPlot chart of a series answer ({t, avg, min, max}); `lines` adds more series on the same
 * axes ([{label, series, color, dash}]), each told apart by its legend label and a dash pattern,
 * not by colour alone.
 */
export function Chart({ title, series, unit, label, lines, range }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || !series || !series.t || series.t.length === 0) return undefined;
    const width = Math.max(260, box.current.clientWidth - 8);
    const more = (lines || []).filter((l) => l.series && l.series.t && l.series.t.length);
    const opts = {
      width,
      height: more.length ? 200 : 170,
      legend: { show: true },
      // The whole requested window on the x axis: one point of a new target is not spread over years.
      scales: { x: range ? { time: true, range: () => range } : { time: true } },
      axes: [
        { stroke: cssVar('--muted'), grid: { stroke: cssVar('--border') } },
        { stroke: cssVar('--muted'), grid: { stroke: cssVar('--border') }, values: (u, vals) => vals.map((v) => `${v}${unit ? ' ' + unit : ''}`) },
      ],
      series: [{}, { label: label || title, stroke: cssVar('--link'), width: 2, points: { show: series.t.length < 3 } },
        ...more.map((l) => ({ label: l.label, stroke: cssVar(l.color), width: 1.5, dash: l.dash, points: { show: series.t.length < 3 } }))],
    };
    const plot = new uPlot(opts, [series.t, series.avg, ...more.map((l) => alignTo(series.t, l.series))], box.current);
    return () => plot.destroy();
  }, [series, title, unit, lines, range]);
  const empty = !series || !series.t || series.t.length === 0;
  return html`<div class=${empty ? "chart empty" : "chart"} data-chart=${title}><h3>${title}</h3>${empty ? html`<p class="muted small">No data in this range.</p>` : null}<div ref=${box}></div></div>`;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<div class="error" role="alert">${error.message || String(error)}</div>`;
}
