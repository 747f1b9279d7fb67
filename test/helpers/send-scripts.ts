// Scripted servers for the send tests: a plaintext SMTP dialogue whose replies can be
// overridden per verb, that keeps the raw DATA bytes exactly as they came over the wire.
import type { ScriptedConn, Script } from './scripted-smtp.js';

export interface SendScriptOptions {
  greeting?: string;
  /** Extension lines of the EHLO reply (default SIZE, 8BITMIME, AUTH PLAIN LOGIN). */
  ehlo?: string[];
  mail?: string;
  rcpt?: (address: string) => string;
  data?: string;
  /** Reply to the end of data. */
  final?: string;
  auth?: string;
  /** After DATA's 354: read for a moment, then drop the connection (RST) without a reply. */
  dropDuringData?: boolean;
  /** Filled in with what the client sent: commands, the raw DATA bytes, and commands sent before the previous reply (pipelining). */
  log?: { commands: string[]; data: string[]; early?: string[] };
}

export function sendScript(o: SendScriptOptions = {}): Script {
  const ext = o.ehlo ?? ['SIZE 10240000', '8BITMIME', 'AUTH PLAIN LOGIN'];
  return async (c: ScriptedConn) => {
    c.send(o.greeting ?? '220 mx.scripted.test ESMTP');
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      o.log?.commands.push(line);
      if (o.log?.early) {
        // A client that waits for each reply sends nothing more until we answer (no PIPELINING).
        await c.sleep(15);
        if (c.pendingBytes()) o.log.early.push(line);
      }
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') c.send([`250${ext.length ? '-' : ' '}mx.scripted.test`, ...ext.map((e, i) => `250${i === ext.length - 1 ? ' ' : '-'}${e}`)].join('\r\n'));
      else if (verb === 'AUTH') c.send(o.auth ?? '235 2.7.0 Authentication successful');
      else if (verb === 'MAIL') c.send(o.mail ?? '250 2.1.0 Ok');
      else if (verb === 'RCPT') c.send((o.rcpt ?? (() => '250 2.1.5 Ok'))(/<([^>]*)>/.exec(line)?.[1] ?? ''));
      else if (verb === 'DATA') {
        const reply = o.data ?? '354 End data with <CR><LF>.<CR><LF>';
        c.send(reply);
        if (!reply.startsWith('354')) continue;
        if (o.dropDuringData) {
          await c.readUntil('\u0000never', 200);
          c.reset();
          return;
        }
        const raw = await c.readUntil('\r\n.\r\n', 5000);
        o.log?.data.push(raw);
        c.send(o.final ?? '250 2.0.0 Ok: queued as 4ABCDEF123');
      } else if (verb === 'QUIT') { c.send('221 2.0.0 Bye'); c.close(); return; }
      else if (verb === 'RSET' || verb === 'NOOP') c.send('250 2.0.0 Ok');
      else c.send('502 5.5.2 Error: command not recognized');
    }
  };
}
