// The history part of the Markdown and text reports (report --from-store): availability over
// the period and per day, incidents with MTTR, certificate and blacklist timelines.
import { escapeControl } from '../core/terminal-text.js';
import type { FindingPeriod, StoreHistory, TargetHistory } from './history-model.js';
import { UNKNOWN_NOTE, humanSeconds, percent } from './history-model.js';
import { inline } from './markdown.js';

export function historyMarkdown(h: StoreHistory): string[] {
  const out = [`## History ${h.since.slice(0, 10)} to ${h.until}`, '', `From the monitor's store ${inline(h.store)}. ${UNKNOWN_NOTE}`, '',
    '| target | availability | up | down | unknown (not counted) | incidents | MTTR | runs | last run |', '|---|--:|--:|--:|--:|--:|--:|--:|---|'];
  for (const t of h.targets) {
    const p = t.period;
    out.push(`| ${cell(t.target)} | ${percent(p.availability)} | ${humanSeconds(p.upSeconds)} | ${humanSeconds(p.downSeconds)} | ${humanSeconds(p.unknownSeconds)} | ${p.incidents} | ${humanSeconds(p.mttrSeconds)} | ${t.runs} | ${t.lastRun ? `${t.lastRun.status} at ${t.lastRun.at}` : 'never'} |`);
  }
  out.push('');
  for (const t of h.targets) out.push(...targetMarkdown(t));
  return out;
}

function targetMarkdown(t: TargetHistory): string[] {
  const out = [`### ${inline(t.target)}: history`, ''];
  if (!t.runs && !t.days.some((d) => d.upSeconds + d.downSeconds + d.unknownSeconds)) {
    return [...out, `No data in this period: no run of this target is stored in it${t.firstRunAt ? ` (the first stored run is at ${t.firstRunAt})` : ''}.`, ''];
  }
  out.push('| day (UTC) | availability | up | down | unknown |', '|---|--:|--:|--:|--:|');
  for (const d of t.days) out.push(`| ${d.day} | ${d.availability === null ? 'not measured' : percent(d.availability)} | ${humanSeconds(d.upSeconds)} | ${humanSeconds(d.downSeconds)} | ${humanSeconds(d.unknownSeconds)} |`);
  out.push('', '#### Incidents', '');
  if (!t.incidents.length) out.push('No incident in this period.', '');
  else {
    out.push('| started | ended | duration | cause |', '|---|---|--:|---|');
    for (const i of t.incidents) out.push(`| ${i.startedAt} | ${i.endedAt ?? '**open**'} | ${humanSeconds(i.durationSeconds)} | ${i.cause ? `\`${i.cause.findingId ?? ''}\` ${cell(i.cause.title ?? '')}` : ''} |`);
    out.push('', `MTTR (incidents that ended in the period): ${humanSeconds(t.period.mttrSeconds)}`, '');
  }
  out.push('#### Certificate expiry', '');
  out.push(t.certificate.daysLeft.length ? `Days left of the earliest-expiring certificate (lowest per day): ${t.certificate.daysLeft.map((d) => `${d.day.slice(5)} ${d.value}`).join(', ')}` : 'No certificate seen in this period.', '');
  out.push(...periods(t.certificate.periods, 'No certificate problem in this period.'));
  out.push('#### Blacklists', '');
  out.push(t.blacklist.lists.length ? `Lists the target was on (most per day): ${t.blacklist.lists.map((d) => `${d.day.slice(5)} ${d.value}`).join(', ')}` : 'No blacklist lookup that could tell in this period.', '');
  out.push(...periods(t.blacklist.periods, 'Not listed in this period.'));
  return out;
}

function periods(ps: FindingPeriod[], none: string): string[] {
  if (!ps.length) return [none, ''];
  return ['| from | to | finding | subject |', '|---|---|---|---|', ...ps.map((p) => `| ${p.from} | ${p.to ?? '**still**'} | ${p.severity} \`${p.findingId}\` ${cell(p.title)} | ${cell(p.subject)} |`), ''];
}

function cell(s: string): string {
  return inline(s).replace(/\r?\n/g, ' ');
}

/** Plain text for the terminal: the period figures and incidents (the documents carry the rest). */
export function historyText(h: StoreHistory): string {
  const out = [`History ${h.since.slice(0, 10)} to ${h.until} (store ${escapeControl(h.store)})`, `  ${UNKNOWN_NOTE}`];
  for (const t of h.targets) {
    const p = t.period;
    out.push(`  ${escapeControl(t.target)}: ${t.runs ? `availability ${percent(p.availability)} (up ${humanSeconds(p.upSeconds)}, down ${humanSeconds(p.downSeconds)}, unknown ${humanSeconds(p.unknownSeconds)}), ${p.incidents} incident(s), MTTR ${humanSeconds(p.mttrSeconds)}, ${t.runs} runs` : 'no run stored in this period'}`);
    for (const i of t.incidents) out.push(`    incident ${i.startedAt} → ${i.endedAt ?? 'open'} (${humanSeconds(i.durationSeconds)})${i.cause ? ` ${i.cause.findingId}: ${escapeControl(i.cause.title ?? '')}` : ''}`);
    for (const l of t.blacklist.periods) out.push(`    listed ${l.from} → ${l.to ?? 'still'}: ${escapeControl(l.title)} (${escapeControl(l.subject)})`);
    const c = t.certificate.daysLeft.at(-1);
    if (c) out.push(`    certificate: ${c.value} days left on ${c.day}`);
  }
  return `${out.join('\n')}\n\n`;
}
