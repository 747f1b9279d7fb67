// `mxdoctor imap <host[:port]>`: greeting, capabilities, STARTTLS (143) or implicit TLS
// (993), LOGINDISABLED, AUTH mechanisms; a login test only with credentials from
// MXDOCTOR_IMAP_USER/_PASSWORD or --credentials <file>.
import { imapHostCheck } from '../../checks/server/imap.js';
import { loadCredentials, redactorFor } from '../credentials.js';
import { parseHostTarget, runHostCommand } from '../host-target.js';
import type { HostCommandOptions } from '../host-target.js';

export interface MailboxCommandOptions extends HostCommandOptions {
  credentials?: string;
  /** implicit: TLS from the first byte; starttls: upgrade a plain session (default from the port). */
  tls?: 'implicit' | 'starttls';
  /** Log in where the credential rule would not (no TLS, unverified certificate). */
  insecure?: boolean;
}

export async function imapCommand(inputs: string[], o: MailboxCommandOptions): Promise<number> {
  const credentials = loadCredentials('imap', o.credentials);
  const check = imapHostCheck({ credentials, ...(o.tls ? { implicitTls: o.tls === 'implicit' } : {}), ...(o.insecure ? { insecure: true } : {}) });
  return runHostCommand(inputs.map((i) => parseHostTarget(i)), check, o, redactorFor(credentials));
}
