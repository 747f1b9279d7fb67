// Every report serve stores, serves, sends in an alert or answers on /probe passes through
// the one redaction mechanism (core/redact.ts) built from every secret of the config: the
// login test's passwords, the alert channels' passwords and webhook URLs, the API token and
// the store's password. A server that echoes one back (in a greeting, an error reply, a
// certificate field) cannot put it into the history, the API or a notification.
import { Redactor } from '../core/redact.js';
import type { Secret } from '../core/redact.js';
import type { ServeConfig } from '../config/serve-resolve.js';

export function configRedactor(c: ServeConfig): Redactor {
  const secrets: Secret[] = [];
  for (const m of Object.values(c.modules)) if (m.credentials) secrets.push({ value: m.credentials.password, user: m.credentials.user });
  for (const ch of Object.values(c.channels)) {
    if (ch.secret) secrets.push({ value: ch.secret, ...(ch.type === 'email' && ch.user ? { user: ch.user } : {}) });
  }
  for (const t of c.targets) {
    const rt = t.roundtrip;
    if (rt?.send.auth) secrets.push({ value: rt.send.auth.password, user: rt.send.auth.user });
    if (rt) secrets.push({ value: rt.imap.password, user: rt.imap.user });
  }
  if (c.listen.token) secrets.push({ value: c.listen.token });
  if (c.store.password) secrets.push({ value: c.store.password });
  return new Redactor(secrets);
}
