// The queue as a human reads it: a table of queues (count, oldest), a qshape(1)-like age
// histogram per recipient domain, and the top delay reasons. Pure: facts → text.
import { createColors } from './colors.js';
import type { HistRow } from '../host/queue-model.js';
import type { QueueFacts } from '../host/queue-facts.js';
import { ago, label } from '../host/queue-evaluate.js';
import { gib } from '../host/disk.js';

const ORDER = ['active', 'incoming', 'deferred', 'hold', 'maildrop'];

export function renderQueue(f: QueueFacts, o: { color: boolean }): string {
  const c = createColors(o.color);
  const out: string[] = [];
  if (f.total === null) {
    out.push(`${c.bold('Mail queue')}${f.mta ? ` (${f.mta})` : ''}: ${c.magenta('could not be read')} (see below)`, '');
    return out.join('\n');
  }
  const size = f.bytes ? `, ${f.bytes < 1024 * 1024 ? `${Math.round(f.bytes / 1024)} KiB` : gib(f.bytes)}` : '';
  out.push(`${c.bold('Mail queue')} (${f.mta}${f.instances.length > 1 ? `, ${f.instances.length} instances` : ''}): ${f.total} message${f.total === 1 ? '' : 's'}${size}${f.truncated ? c.yellow(' (listing cut: at least)') : ''}`);
  const rows: [string, number, number | undefined][] = f.mta === 'exim'
    ? [['queued', f.total - (f.frozen ?? 0), f.oldestByQueue.deferred], ['frozen', f.frozen ?? 0, undefined]]
    : ORDER.map((q) => [q, f.byQueue[q] ?? 0, f.oldestByQueue[q]]);
  out.push(c.dim(`  ${'queue'.padEnd(10)} ${'messages'.padStart(9)}  oldest`));
  for (const [name, n, oldest] of rows) out.push(`  ${name.padEnd(10)} ${String(n).padStart(9)}  ${n && oldest !== undefined ? ago(oldest) : '-'}`);
  if (f.corrupt) out.push(`  ${'corrupt'.padEnd(10)} ${String(f.corrupt).padStart(9)}`);
  if (f.instances.length > 1) {
    out.push('', c.dim('  instance messages'));
    for (const i of f.instances) out.push(`  ${i.instance}  ${i.ok ? i.messages : c.magenta('not read')}`);
  }
  const def = f.ageHistogram.deferred;
  if (def[0]!.total) {
    out.push('', c.bold(`${f.mta === 'exim' ? 'Queue' : 'Deferred queue'} by recipient domain and age in minutes`) + c.dim(` (like \`qshape ${f.mta === 'exim' ? '' : 'deferred'}\`; counts recipients)`));
    out.push(...histogram(def, f.ageHistogram.bucketsMinutes, c.dim));
  }
  const pend = f.ageHistogram.pending;
  if (pend[0]!.total) {
    out.push('', c.bold('Incoming and active queues') + c.dim(' (like `qshape`)'));
    out.push(...histogram(pend, f.ageHistogram.bucketsMinutes, c.dim));
  }
  if (f.topReasons.length) {
    out.push('', c.bold('Top delay reasons') + c.dim(' (deferred recipients)'));
    for (const r of f.topReasons) {
      out.push(`  ${String(r.recipients).padStart(6)}  ${label(r)}${c.dim(`  (${r.domains} domain${r.domains === 1 ? '' : 's'}: ${r.topDomains.map((d) => d.domain).slice(0, 3).join(', ')})`)}`);
      if (r.explanation) out.push(c.dim(`          ${r.explanation.title}`));
    }
  }
  out.push('');
  return out.join('\n');
}

function histogram(rows: HistRow[], buckets: number[], dim: (s: string) => string): string[] {
  const w = Math.min(40, Math.max(12, ...rows.map((r) => r.domain.length)));
  const heads = ['T', ...buckets.map(String), `${buckets.at(-1)}+`];
  const cols = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => String(i === 0 ? r.total : r.buckets[i - 1]).length)) + 1);
  const line = (name: string, cells: (string | number)[]) => `  ${name.length > w ? `+${name.slice(-(w - 1))}` : name.padStart(w)}${cells.map((x, i) => String(x).padStart(cols[i]!)).join('')}`;
  return [dim(line('', heads)), ...rows.map((r) => line(r.domain, [r.total, ...r.buckets]))];
}
