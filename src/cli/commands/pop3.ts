// `mxdoctor pop3 <host[:port]>`: greeting, CAPA, STLS (110) or implicit TLS (995), plaintext
// login before TLS, SASL mechanisms; a login test only with credentials from
// MXDOCTOR_POP3_USER/_PASSWORD or --credentials <file>.
import { pop3HostCheck } from '../../checks/server/pop3.js';
import { loadCredentials, redactorFor } from '../credentials.js';
import { parseHostTarget, runHostCommand } from '../host-target.js';
import type { MailboxCommandOptions } from './imap.js';

export async function pop3Command(inputs: string[], o: MailboxCommandOptions): Promise<number> {
  const credentials = loadCredentials('pop3', o.credentials);
  const check = pop3HostCheck({ credentials, ...(o.tls ? { implicitTls: o.tls === 'implicit' } : {}), ...(o.insecure ? { insecure: true } : {}) });
  return runHostCommand(inputs.map((i) => parseHostTarget(i)), check, o, redactorFor(credentials));
}
