// Alert channels: a webhook (generic JSON or Slack-compatible {"text"}), email through the
// configured SMTP route (mxdoctor's own submission client), or a command (argv, no shell,
// the alert in MXDOCTOR_ALERT_* variables). Each send either succeeds or throws why.
import type { ResolvedChannel } from '../../config/serve-resolve.js';
import { runCommand } from '../../io/exec.js';
import type { CommandRunner } from '../../io/exec.js';
import { createNetClient } from '../../io/net.js';
import type { NetClient } from '../../io/net.js';
import { composeMessage } from '../../send/compose.js';
import { submitMessage } from '../../send/submit.js';
import { splitHostPort } from '../../config/serve-resolve.js';

export interface Notification {
  event: 'firing' | 'resolved' | 'changed';
  id: string;
  rule: string;
  target: string;
  severity: string;
  summary: string;
  startsAt: string;
  endsAt: string | null;
  repeat: boolean;
}

export interface ChannelDeps {
  net?: NetClient;
  exec?: CommandRunner;
  fetch?: typeof fetch;
}

export function headline(n: Notification): string {
  const icon = n.event === 'resolved' ? 'RESOLVED' : n.event === 'changed' ? 'CHANGED' : n.severity.toUpperCase();
  return `[${icon}] ${n.rule} ${n.target}: ${n.summary}`;
}

export async function sendTo(c: ResolvedChannel, n: Notification, deps: ChannelDeps = {}): Promise<void> {
  if (c.type === 'webhook') {
    const url = c.secret ?? c.url!;
    const body = c.format === 'slack' ? { text: headline(n) } : { version: 1, source: 'mxdoctor', ...n };
    const res = await (deps.fetch ?? fetch)(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'mxdoctor-alerts' }, body: JSON.stringify(body),
      signal: AbortSignal.timeout(c.timeout), redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    // The URL may carry a token (Slack's do): never put it in the error.
    if (!res.ok) throw new Error(`HTTP ${res.status} from the webhook`);
    return;
  }
  if (c.type === 'email') {
    const { host, port } = splitHostPort(c.server);
    const msg = await composeMessage({ from: c.from, to: c.to, subject: headline(n).slice(0, 200), text: `${headline(n)}\n\nrule: ${n.rule}\ntarget: ${n.target}\nseverity: ${n.severity}\nsince: ${n.startsAt}\n${n.endsAt ? `until: ${n.endsAt}\n` : ''}\n-- mxdoctor serve\n` });
    const r = await submitMessage({
      host, port, security: c.tls, from: c.from, to: c.to, message: msg.raw, stepTimeoutMs: c.timeout,
      ...(c.user && c.secret ? { auth: { user: c.user, password: c.secret } } : {}),
    }, { net: deps.net ?? createNetClient({}) });
    if (!r.accepted) throw new Error(`SMTP ${r.failure?.step ?? 'send'}: ${r.failure?.reply ?? r.failure?.error ?? r.failure?.kind ?? 'not accepted'}`);
    return;
  }
  const env = {
    MXDOCTOR_ALERT_EVENT: n.event, MXDOCTOR_ALERT_RULE: n.rule, MXDOCTOR_ALERT_TARGET: n.target,
    MXDOCTOR_ALERT_SEVERITY: n.severity, MXDOCTOR_ALERT_SUMMARY: n.summary, MXDOCTOR_ALERT_JSON: JSON.stringify(n),
  };
  const r = await (deps.exec ?? runCommand)(c.argv, { timeoutMs: c.timeout, env, maxBytes: 64 * 1024 });
  if (r.notFound) throw new Error(`${c.argv[0]}: no such program`);
  if (r.timedOut) throw new Error(`${c.argv[0]}: still running after ${c.timeout} ms, killed`);
  if (r.code !== 0) throw new Error(`${c.argv[0]} exited with ${r.code ?? r.signal}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]!.slice(0, 200)}` : ''}`);
}
