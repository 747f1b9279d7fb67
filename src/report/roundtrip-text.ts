// The human part of `mxdoctor roundtrip` above the findings: for one destination, where
// the message went and the path it took; for several, one table row each. Pure.
import { createColors } from './colors.js';
import type { Report } from '../core/report.js';
import type { RoundtripFacts } from '../roundtrip/types.js';

type Colors = ReturnType<typeof createColors>;

export function roundtripFacts(r: Report): RoundtripFacts | undefined {
  return r.facts?.roundtrip as RoundtripFacts | undefined;
}

export function renderRoundtripSummary(r: Report, color: boolean): string {
  const c = createColors(color);
  const f = roundtripFacts(r);
  if (!f) return '';
  const send = f.send as { server?: string; port?: number; accepted?: boolean; queueId?: string | null } | undefined;
  const L = [c.bold(`Round trip to ${r.target}`)];
  if (send) L.push(`  send    ${send.server}:${send.port}  ${send.accepted ? c.green('accepted') : c.red('not accepted')}${send.queueId ? `, queue id ${send.queueId}` : ''}`);
  L.push(`  mailbox ${f.imap.server} as ${f.imap.user}${f.imap.tls ? ` (${f.imap.tls.protocol ?? 'TLS'})` : f.imap.security === 'none' ? ' (no TLS)' : ''}`);
  if (send?.accepted) L.push(`  found   ${delivered(f, c)}`);
  for (const h of f.received) {
    const tls = h.internal ? c.dim('internal') : h.tls === 'yes' ? c.green(h.tlsVersion ?? 'TLS') : h.tls === 'no' ? c.yellow('no TLS') : c.dim('TLS ?');
    const delay = h.delaySeconds !== undefined ? ` +${h.delaySeconds} s` : '';
    L.push(`  hop ${String(h.hop).padEnd(3)} ${h.from ?? '?'}${h.fromIp && !h.from?.includes(h.fromIp) ? ` [${h.fromIp}]` : ''} → ${h.by ?? '?'}  ${h.with ?? ''} ${tls}${delay}`);
  }
  const ar = f.authenticationResults.flatMap((a) => a.results.filter((x) => ['dkim', 'spf', 'dmarc'].includes(x.method)).map((x) => `${x.method}=${x.result}`));
  if (ar.length) L.push(`  receiver says  ${ar.join(' ')}`);
  if (f.verification) L.push(`  we verified    dkim=${f.verification.dkim.result} spf=${f.verification.spf.result} dmarc=${f.verification.dmarc.result}`);
  for (const s of f.spam) L.push(`  spam    ${s.filter} ${s.score ?? '?'}${s.threshold !== undefined ? ` / ${s.threshold}` : ''}${s.isSpam ? c.yellow(' (spam)') : ''}`);
  return `${L.join('\n')}\n\n`;
}

function delivered(f: RoundtripFacts, c: Colors): string {
  if (!f.delivered) return c.red(`not seen within ${f.deadlineSeconds} s (${f.polls} searches of ${f.foldersSearched.length} folders)`);
  const where = f.folderRole === 'inbox' ? c.green(f.folder ?? '') : f.folderRole === 'junk' ? c.yellow(`${f.folder} (spam folder)`) : `${f.folder} (another folder)`;
  const basis = f.deliveryBasis === 'internaldate' ? 'by INTERNALDATE' : 'first seen';
  return `${where} after ${f.deliverySeconds} s (${basis})`;
}

/** One row per destination: delivered, folder, seconds, our DKIM/SPF/DMARC verdicts. */
export function renderRoundtripTable(reports: Report[]): string {
  const head = ['destination', 'delivered', 'folder', 'seconds', 'dkim', 'spf', 'dmarc', 'status'];
  const rows = reports.map((r) => {
    const f = roundtripFacts(r);
    const v = f?.verification;
    const sent = (f?.send as { accepted?: boolean } | undefined)?.accepted;
    const delivered = !f ? '?' : f.delivered ? 'yes' : sent ? 'no' : 'not sent';
    return [r.target, delivered, f?.folder ? `${f.folder}${f.folderRole === 'junk' ? ' (spam)' : ''}` : '-', f?.deliverySeconds?.toString() ?? '-',
      v?.dkim.result ?? '-', v?.spf.result ?? '-', v?.dmarc.result ?? '-', r.status];
  });
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((x, i) => x.padEnd(w[i]!)).join('  ')}`.trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n\n`;
}
