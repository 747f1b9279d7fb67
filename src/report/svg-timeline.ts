// Inline SVG charts over days for the history part of the HTML report: stacked columns
// (availability: up, down, unknown, not measured) and plain value columns (certificate days
// left, lists a target is on). No script; every column carries a <title> with its numbers.
import { xmlEscape } from './xml.js';

export interface ColumnPart { value: number; color: string; name: string }
export interface DayColumn { day: string; parts: ColumnPart[]; note?: string }

const H = 120;

/** One stacked column per day, scaled to `max` (e.g. 86,400 seconds). */
export function dayColumns(title: string, days: DayColumn[], max: number, unit: (v: number) => string): string {
  const colW = Math.max(3, Math.min(24, Math.floor(900 / Math.max(1, days.length))));
  const w = 50 + days.length * colW;
  const cols = days.map((d, i) => {
    const x = 40 + i * colW;
    let y = 10 + H;
    const segs = d.parts.filter((p) => p.value > 0).map((p) => {
      const h = (Math.min(p.value, max) / max) * H;
      y -= h;
      return `<rect x="${x}" y="${y.toFixed(1)}" width="${colW - 1}" height="${h.toFixed(1)}" fill="${p.color}"/>`;
    }).join('');
    const tip = `${d.day}: ${d.parts.map((p) => `${p.name} ${unit(p.value)}`).join(', ')}${d.note ? ` (${d.note})` : ''}`;
    return `<g><title>${xmlEscape(tip)}</title><rect x="${x}" y="10" width="${colW - 1}" height="${H}" fill="#f3f3f3"/>${segs}</g>`;
  }).join('');
  const ticks = days.map((d, i) => (i === 0 || i === days.length - 1 || (days.length > 14 && i % 7 === 0) ? `<text x="${40 + i * colW}" y="${H + 24}">${xmlEscape(d.day.slice(5))}</text>` : '')).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${xmlEscape(title)}" viewBox="0 0 ${w} ${H + 30}" width="${w}" height="${H + 30}"><title>${xmlEscape(title)}</title>`
    + `<text x="34" y="18" text-anchor="end">${xmlEscape(unit(max))}</text><text x="34" y="${H + 10}" text-anchor="end">0</text>${cols}${ticks}</svg>`;
}

/** One column per day with a value (days without one are left empty). */
export function valueColumns(title: string, days: { day: string; value: number | null }[], color: (v: number) => string, label: string): string {
  const max = Math.max(1, ...days.map((d) => d.value ?? 0));
  return dayColumns(title, days.map((d) => ({ day: d.day, parts: d.value === null ? [] : [{ value: d.value, color: color(d.value), name: label }], note: d.value === null ? 'no value' : undefined })), max, (v) => String(Math.round(v)));
}
