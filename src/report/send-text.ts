// The human part of `mxdoctor send` above the findings: one line per step with its time
// and the server's reply, then the verdict with the queue id. Pure: result in, text out.
import { createColors } from './colors.js';
import type { SubmitRequest, SubmitResult } from '../send/types.js';

export function renderSendSteps(req: SubmitRequest, r: SubmitResult, color: boolean): string {
  const c = createColors(color);
  const sec = req.security === 'implicit' ? 'implicit TLS' : req.security === 'starttls' ? 'STARTTLS' : 'no TLS';
  const lines = [
    `${c.bold(`Send to ${req.host}:${req.port}`)} ${c.dim(`(${sec}${r.address && r.address !== req.host ? `, ${r.address}` : ''})`)}`,
    `  from ${req.from} to ${req.to.join(', ')}${req.auth ? `, as ${req.auth.user}` : ''}, ${r.size} bytes`,
    '',
    c.dim(`  ${'step'.padEnd(22)} ${'ms'.padStart(6)}  reply`),
  ];
  const failedAt = r.failure ? r.steps.length - 1 - [...r.steps].reverse().findIndex((s) => s.step === r.failure!.step) : -1;
  r.steps.forEach((s, i) => {
    const name = s.address ? `${s.step} ${s.address}` : s.step;
    let reply = s.reply ?? '';
    if (s.step === 'tls' && r.tls && i === r.steps.findLastIndex((x) => x.step === 'tls')) reply = `${r.tls.protocol ?? ''} ${r.tls.cipher ?? ''}${r.tls.authorized ? '' : ' (certificate not trusted)'}`.trim();
    if (!reply && i === failedAt && r.failure) reply = c.red(`${r.failure.kind}: ${r.failure.error ?? ''}`);
    lines.push(`  ${clip(name, 22).padEnd(22)} ${String(s.ms).padStart(6)}  ${clip(reply, 100)}`);
  });
  lines.push('', `  ${verdict(r, c)}  ${c.dim(`(${r.totalMs} ms in all)`)}`, '', '');
  return lines.join('\n');
}

function verdict(r: SubmitResult, c: ReturnType<typeof createColors>): string {
  if (r.accepted) {
    const partly = r.rejectedRecipients.length ? ` for ${r.acceptedRecipients.length} of ${r.acceptedRecipients.length + r.rejectedRecipients.length} recipients` : '';
    return `${c.green(c.bold('ACCEPTED'))}${partly}  ${r.queueId ? `queue id ${c.bold(r.queueId)}` : 'no queue id in the reply'}`;
  }
  if (r.quitAfter) return `${c.cyan(c.bold('STOPPED'))} after ${r.quitAfter} (--quit-after): nothing sent`;
  const f = r.failure;
  return `${c.red(c.bold('NOT SENT'))}${f ? `  at ${f.step}: ${clip(f.reply ?? f.error ?? f.kind, 160)}` : ''}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The redacted transcript, one line per event, with times since the start. */
export function renderSendTranscript(r: SubmitResult): string {
  const body = r.transcript.map((l) => `  ${String(l.t).padStart(6)} ms ${l.dir === '*' ? '*' : `${l.dir}:`} ${l.text}`);
  return `Transcript (credentials redacted):\n${body.join('\n')}\n`;
}
