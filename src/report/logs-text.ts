// Human summary: problems first (findings with their fix), then pflogsumm's sections in
// its order, every list capped at --top. Numbers are right-aligned like pflogsumm's.
import { createColors, SEVERITY_LABEL as LABEL, severityPaint } from './colors.js';
import type { Severity } from '../core/finding.js';
import type { LogReport, ReasonOut } from '../logs/report.js';


export function n(x: number): string {
  return x.toLocaleString('en-US');
}

/**
 * A count from a full table (src/logs/sketch.ts) is an upper bound that may be over by err:
 * shown as the range the true count lies in.
 */
export function approx(x: number, err?: number, fmt: (v: number) => string = n): string {
  return err ? `${fmt(x - err)}–${fmt(x)}` : fmt(x);
}

export function bytes(x: number): string {
  if (x < 1024) return `${x} B`;
  const u = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = x / 1024;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${u[i]}`;
}

export function table(head: string[], body: (string | number)[][]): string[] {
  const cells = [head, ...body.map((r) => r.map((c) => (typeof c === 'number' ? n(c) : c)))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  return cells.map((r, ri) => `  ${r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]!) : String(c).padStart(w[i]!))).join('  ')}`.trimEnd()
    + (ri === 0 ? `\n  ${w.map((x) => '-'.repeat(x)).join('  ')}` : ''));
}

export function renderLogsText(r: Omit<LogReport, 'schema'>, o: { color: boolean; verbose?: boolean; unparsed?: boolean }): string {
  const c = createColors(o.color);
  const paint = severityPaint(c);
  const L: string[] = [];
  const h = (title: string) => L.push('', c.bold(title));
  const span = r.span ? `${r.span.first} → ${r.span.last} (${spanLength(r.span)})` : 'no timestamped lines';
  L.push(`${c.bold('Mail log summary')}  ${c.dim(`${n(r.lines.total)} lines from ${r.sources.length} source(s), ${span}`)}`);
  for (const w of r.warnings) L.push(c.yellow(`  warning: ${w}`));

  h('Problems');
  for (const f of r.findings) {
    L.push(`  ${paint[f.severity](LABEL[f.severity].padEnd(4))}  ${f.title}  ${c.dim(f.id)}`);
    if (f.detail) L.push(`        ${f.detail}`);
    const sample = (f.evidence as { sample?: string } | undefined)?.sample;
    if (sample) L.push(c.dim(`        e.g. ${sample.slice(0, 240)}`));
    if (f.remediation) L.push(`        ${c.bold('Fix:')} ${f.remediation}`);
  }

  // Nothing understood: tables of zeros would read as "a quiet server"; stop at the one line.
  if (r.findings.some((f) => f.id === 'logs.nothing-understood')) return `${L.join('\n')}\n`;

  const t = r.totals;
  h('Grand totals');
  L.push(...table(['messages', ''], [
    ['received', t.received], ['delivered', t.delivered], ['forwarded', t.forwarded],
    ['deferred', `${n(t.deferred)}${t.deferrals ? `  (${n(t.deferrals)} deferrals)` : ''}`], ['bounced', t.bounced], ['expired', t.expired],
    ['rejected', `${n(t.rejected)} (${t.rejectPercent}%)`], ['reject warnings', t.rejectWarnings], ['held', t.held], ['discarded', `${n(t.discarded)} (${t.discardPercent}%)`],
    ['bytes received', bytes(t.bytesReceived)], ['bytes delivered', bytes(t.bytesDelivered)],
    ['senders', t.senders], ['sending hosts/domains', t.sendingDomains], ['recipients', t.recipients], ['recipient hosts/domains', t.recipientDomains],
  ]).slice(1));

  const reasons = (title: string, list: ReasonOut[], subject: string) => {
    if (!list.length) return;
    h(title);
    for (const g of list) {
      const code = [g.code, g.enhanced].filter(Boolean).join(' ');
      L.push(`  ${approx(g.count, g.countError).padStart(7)}  ${code ? `${c.bold(code)} ` : ''}${g.reason || '(no text)'}`);
      const tops = g.top.map((x) => `${x.key} ${approx(x.count, x.countError)}`).join(', ');
      L.push(c.dim(`           ${g.first} → ${g.last}${tops ? `; ${subject}: ${tops}` : ''}`));
      if (g.explanation) {
        L.push(`           ${c.cyan(g.explanation.title)}${g.explanation.willRetry === undefined ? '' : g.explanation.willRetry ? ' (retried)' : ' (not retried)'}`);
        if (g.explanation.fixes[0]) L.push(`           ${c.bold('Fix:')} ${g.explanation.fixes[0]}`);
      }
      if (o.verbose) L.push(c.dim(`           e.g. ${g.sample.slice(0, 300)}`));
    }
  };
  reasons('Deferral reasons', r.deferrals, 'domains');
  reasons('Bounce reasons', r.bounces, 'domains');
  reasons('Reject reasons', r.rejects, 'clients');
  reasons('Reject warnings', r.rejectWarnings, 'clients');
  reasons('Outbound connection failures', r.connectFailures, 'hosts');

  if (r.authFailures.byClient.length) {
    h(`Authentication failures (SMTP ${n(r.authFailures.smtp)}, IMAP/POP3 ${n(r.authFailures.imapPop3)})`);
    L.push(...table(['client', 'failures', 'users', 'services', 'last'], r.authFailures.byClient.map((a) => [a.ip, approx(a.count, a.countError), a.users, a.services.join(','), a.last])));
  }
  for (const level of ['panic', 'fatal', 'error', 'warning'] as const) reasons(`${level[0]!.toUpperCase()}${level.slice(1)}s`, r.problems[level], 'programs');
  reasons('Mailbox quota', r.dovecot.quota, 'users');

  if (r.perDay.length > 1) {
    h('Per-day traffic');
    L.push(...table(['date', 'received', 'delivered', 'deferred', 'bounced', 'rejected'], r.perDay.map((d) => [d.date, d.received, d.delivered, d.deferred, d.bounced, d.rejected])));
  }
  const days = Math.max(1, r.perDay.length);
  if (r.perHour.some((x) => x.received || x.delivered || x.deferred || x.bounced || x.rejected)) {
    h(days > 1 ? `Per-hour traffic (daily average over ${days} days)` : 'Per-hour traffic');
    const avg = (v: number) => (days > 1 ? Math.round(v / days) : v);
    L.push(...table(['hour', 'received', 'delivered', 'deferred', 'bounced', 'rejected'], r.perHour.map((x) => [`${String(x.hour).padStart(2, '0')}00-${String(x.hour + 1).padStart(2, '0')}00`, avg(x.received), avg(x.delivered), avg(x.deferred), avg(x.bounced), avg(x.rejected)])));
  }
  if (r.domains.byDelivered.length) {
    h('Recipient domains (delivered)');
    L.push(...table(['domain', 'sent', 'bytes', 'deferred', 'avg delay', 'max delay'], r.domains.byDelivered.map((d) => [d.domain, approx(d.delivered, d.deliveredError), approx(d.bytes, d.bytesError, bytes), approx(d.deferred, d.deferredError), `${d.avgDelay} s`, `${d.maxDelay} s`])));
  }
  if (r.domains.byDeferred.length) {
    h('Recipient domains (deferred)');
    L.push(...table(['domain', 'deferred', 'sent', 'max delay'], r.domains.byDeferred.map((d) => [d.domain, approx(d.deferred, d.deferredError), approx(d.delivered, d.deliveredError), `${d.maxDelay} s`])));
  }
  const users = (title: string, rows: { key: string; count: number; bytes?: number; countError?: number; bytesError?: number }[]) => {
    if (!rows.length) return;
    h(title);
    L.push(...table(['', 'messages', 'bytes'], rows.map((x) => [x.key, approx(x.count, x.countError), approx(x.bytes ?? 0, x.bytesError, bytes)])).slice(1));
  };
  users('Sending domains', r.sendingDomains);
  users('Senders by message count', r.senders.byCount);
  users('Recipients by message count', r.recipients.byCount);
  users('Senders by message size', r.senders.bySize);
  users('Recipients by message size', r.recipients.bySize);

  if (r.tls.length) {
    h('TLS connections');
    L.push(...table(['direction', 'trust', 'protocol', 'cipher', 'count'], r.tls.map((x) => [x.direction, x.trust ?? '', x.protocol ?? '', x.cipher ?? '', x.count])));
  }
  if (r.smtpd.connects || r.postscreen.length) {
    h('SMTP connections');
    L.push(`  ${n(r.smtpd.connects)} connects, ${n(r.smtpd.disconnects)} disconnects${r.smtpd.lostAfter.length ? `; lost after ${r.smtpd.lostAfter.map((x) => `${x.key} ${n(x.count)}`).join(', ')}` : ''}`);
    if (r.postscreen.length) L.push(`  postscreen: ${r.postscreen.map((x) => `${x.key} ${n(x.count)}`).join(', ')}`);
  }
  if (r.dovecot.logins.length) { h('Dovecot logins'); L.push(`  ${r.dovecot.logins.map((x) => `${x.key} ${n(x.count)}`).join(', ')}`); }

  h('Input');
  L.push(`  ${n(r.lines.parsed)} understood, ${n(r.lines.unparsed)} not understood, ${n(r.lines.foreign)} from other programs, ${n(r.lines.filtered)} outside --since/--until`);
  L.push(c.dim(`  formats: ${Object.entries(r.lines.formats).map(([k, v]) => `${k} ${n(v ?? 0)}`).join(', ') || 'none'}; in flight at the end ${n(r.inFlight.atEnd)} (peak ${n(r.inFlight.peak)}, evicted ${n(r.inFlight.evicted)}, dropped by age: ${n(r.inFlight.abandoned)} never queued, ${n(r.inFlight.expired)} silent for 7 days)`));
  if (r.estimatedTotals.length) L.push(c.dim(`  estimated (over a million distinct keys, ±0.8%): ${r.estimatedTotals.join(', ')}`));
  if (hasRange(r)) L.push(c.dim('  a range a–b: that table was full and the count lies between a and b (docs/logs.md, "Bounded tables")'));
  if (r.unparsed.count && !o.unparsed) L.push(c.dim('  (--unparsed shows sample lines that were not understood)'));
  if (o.unparsed && r.unparsed.samples.length) {
    h('Lines not understood (samples)');
    for (const s of r.unparsed.samples) L.push(`  ${s}`);
  }
  return `${L.join('\n')}\n`;
}

/** "8 s", "3 h 12 min" within one calendar day; "n days" (calendar days touched) beyond. */
function spanLength(span: { first: string; last: string; days: number }): string {
  const sec = Math.round((Date.parse(span.last) - Date.parse(span.first)) / 1000);
  if (span.days > 1 || !Number.isFinite(sec) || sec < 0) return `${span.days} days`;
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
}

/** True when some count shown is a range (a full table: src/logs/sketch.ts). */
function hasRange(r: Omit<LogReport, 'schema'>): boolean {
  const rows: { countError?: number; bytesError?: number; deliveredError?: number; deferredError?: number }[] = [
    ...r.senders.byCount, ...r.senders.bySize, ...r.recipients.byCount, ...r.recipients.bySize, ...r.sendingDomains,
    ...r.domains.byDelivered, ...r.domains.byDeferred, ...r.authFailures.byClient,
    ...[r.deferrals, r.bounces, r.rejects, r.rejectWarnings, r.connectFailures].flatMap((l) => l.flatMap((g) => [g, ...g.top])),
  ];
  return rows.some((x) => x.countError || x.bytesError || x.deliveredError || x.deferredError);
}
