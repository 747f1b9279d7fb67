// `maildir verify` on a terminal: one line per folder (messages, size, new, flags, problems),
// the backup comparison per folder, then the findings as every report prints them.
import { createColors } from '../report/colors.js';
import type { MaildirFacts } from './verify.js';

export function renderMaildirText(f: MaildirFacts, o: { color: boolean }): string {
  const c = createColors(o.color);
  if (f.layout !== 'maildir') return '';
  const rows: string[][] = [['folder', 'messages', 'size', 'new', 'seen', 'problems']];
  for (const x of f.folders) {
    const problems = [
      x.unreadable.count && `${x.unreadable.count} unreadable`, x.zeroByte.count && `${x.zeroByte.count} empty`,
      x.truncated.count && `${x.truncated.count} truncated`, x.parseErrors.count && `${x.parseErrors.count} unparsable`,
      x.missingHeaders.count && `${x.missingHeaders.count} without From/Date`, x.duplicateMessageIds.count && `${x.duplicateMessageIds.count} duplicate ids`,
    ].filter(Boolean).join(', ');
    rows.push([x.name, String(x.messages), bytes(x.bytes), String(x.new), String(x.flags.S ?? 0), problems || '-']);
  }
  rows.push(['total', String(f.totals.messages), bytes(f.totals.bytes), '', '', '']);
  const out = [c.bold(`Maildir ${f.root}`), ...table(rows)];
  if (f.backup) {
    const b = f.backup;
    out.push('', c.bold(`Backup ${b.path} (${b.kind}): ${b.complete ? c.green('complete') : c.red('NOT complete')}`));
    const brows: string[][] = [['folder', 'source', 'backup', 'missing', 'different', 'extra', 'flags differ']];
    for (const x of b.folders) brows.push([x.name + (x.folderMissing ? ' (no such folder in backup)' : x.folderExtra ? ' (only in backup)' : ''), String(x.inSource), String(x.inBackup), String(x.missing.count), String(x.different.count), String(x.extra.count), String(x.flagsDiffer.count)]);
    out.push(...table(brows));
    if (b.damage) out.push(c.red(`  damaged: ${b.damage}`));
  }
  return `${out.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(w[i]!) : cell.padStart(w[i]!))).join('  ')}`.trimEnd());
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
