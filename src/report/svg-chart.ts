// Inline SVG bar charts for the HTML report: no script, no network, readable without colour
// (every bar carries its number and a <title>).
import type { Severity } from '../core/finding.js';
import type { Counts } from './summary.js';
import { xmlEscape } from './xml.js';

export const COLOR: Record<Severity, string> = { critical: '#c62828', warning: '#ef6c00', unknown: '#6a1b9a', info: '#0277bd', ok: '#2e7d32' };
const ORDER: Severity[] = ['critical', 'warning', 'unknown', 'info', 'ok'];

/** Vertical bars, one per severity. */
export function barChart(title: string, n: Counts, labels: Partial<Record<Severity, string>> = {}): string {
  const w = 360;
  const h = 170;
  const max = Math.max(1, ...ORDER.map((s) => n[s]));
  const bw = 52;
  const bars = ORDER.map((s, i) => {
    const bh = Math.round((n[s] / max) * 110);
    const x = 20 + i * 66;
    const y = 130 - bh;
    return `<g><title>${xmlEscape(`${labels[s] ?? s}: ${n[s]}`)}</title><rect x="${x}" y="${y}" width="${bw}" height="${bh}" fill="${COLOR[s]}"/>`
      + `<text x="${x + bw / 2}" y="${y - 4}" text-anchor="middle" class="v">${n[s]}</text>`
      + `<text x="${x + bw / 2}" y="148" text-anchor="middle">${xmlEscape(labels[s] ?? s)}</text></g>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${xmlEscape(title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><title>${xmlEscape(title)}</title><line x1="14" y1="130" x2="${w - 10}" y2="130" stroke="#999"/>${bars}</svg>`;
}

/** One stacked horizontal bar per target: its findings by severity. */
export function stackedBars(title: string, rows: { label: string; n: Counts }[]): string {
  const rowH = 20;
  const labelW = 220;
  const barW = 420;
  const h = rows.length * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => ORDER.reduce((a, s) => a + r.n[s], 0)));
  const body = rows.map((r, i) => {
    const y = 5 + i * rowH;
    let x = labelW;
    const segs = ORDER.filter((s) => r.n[s]).map((s) => {
      const w = Math.max(1, (r.n[s] / max) * barW);
      const seg = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${COLOR[s]}"><title>${xmlEscape(`${r.label}: ${r.n[s]} ${s}`)}</title></rect>`;
      x += w;
      return seg;
    }).join('');
    const label = r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label;
    return `<text x="${labelW - 6}" y="${y + rowH - 9}" text-anchor="end">${xmlEscape(label)}</text>${segs}`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${xmlEscape(title)}" viewBox="0 0 ${labelW + barW + 10} ${h}" width="${labelW + barW + 10}" height="${h}"><title>${xmlEscape(title)}</title>${body}</svg>`;
}
