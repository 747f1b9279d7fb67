// Hostile server behaviours shared by the hostile-server suite: each is a script for the
// scripted line server (test/helpers/scripted-smtp.ts), protocol-neutral where it can be.
import type { ScriptedConn } from './scripted-smtp.js';

export type Hostile = (c: ScriptedConn) => Promise<void>;

/** Write `chunk` until the client hangs up or `totalBytes` went out (endless lines, endless literals). */
async function flood(c: ScriptedConn, chunk: Buffer, totalBytes: number): Promise<void> {
  let sent = 0;
  while (sent < totalBytes && !c.socket.destroyed && c.socket.writable) {
    if (!c.socket.write(chunk)) await new Promise((r) => { c.socket.once('drain', r); c.socket.once('close', r); });
    sent += chunk.length;
  }
}

export const HOSTILE: Record<string, Hostile> = {
  /** Accepts the connection and never says anything. */
  silent: async (c) => { await c.sleep(30_000); },
  /** The greeting one byte a second (a tarpit). */
  'one byte a second': async (c) => {
    for (const b of Buffer.from('220 tarpit.example.test ESMTP slowly\r\n')) {
      if (c.socket.destroyed) return;
      c.sendRaw(Buffer.from([b]));
      await c.sleep(1000);
    }
  },
  /** A line that never ends. */
  'endless line': async (c) => { await flood(c, Buffer.alloc(64 * 1024, 0x41), 64 * 1024 * 1024); },
  /** One 10 MB reply line. */
  '10 MB reply': async (c) => { c.sendRaw(Buffer.concat([Buffer.from('220 '), Buffer.alloc(10 * 1024 * 1024, 0x42), Buffer.from('\r\n')])); await c.sleep(10_000); },
  /** Binary garbage. */
  binary: async (c) => {
    let x = 12345;
    const junk = Buffer.from(Array.from({ length: 4096 }, () => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x & 0xff; }));
    c.sendRaw(junk);
    await c.sleep(10_000);
  },
  /** TCP reset at once. */
  reset: async (c) => { c.reset(); },
};

/** For implicit TLS: read the ClientHello, then reset (a TLS terminator that gives up). */
export const tlsAbort: Hostile = async (c) => { await c.readUntil('\u0000never', 300); c.reset(); };

/** Protocol-specific hostility. */
export const SMTP_HOSTILE: Record<string, Hostile> = {
  '421 at the greeting': async (c) => { c.send('421 4.3.2 Service not available, closing transmission channel'); c.close(); },
  '100,000-line EHLO reply': async (c) => {
    c.send('220 mx.example.test ESMTP');
    await c.readLine();
    const many = Buffer.from('250-X-PADDING-EXTENSION-LINE\r\n'.repeat(1000));
    for (let i = 0; i < 100 && !c.socket.destroyed; i++) c.sendRaw(many);
    await c.sleep(10_000);
  },
  'TLS aborted after the STARTTLS go-ahead': async (c) => {
    c.send('220 mx.example.test ESMTP');
    for (;;) {
      const l = await c.readLine();
      if (l === null) return;
      if (/^EHLO/i.test(l)) c.send('250-mx.example.test\r\n250 STARTTLS');
      else if (/^STARTTLS/i.test(l)) { c.send('220 2.0.0 go ahead'); await c.readUntil('\u0000never', 300); c.reset(); return; } else c.send('250 ok');
    }
  },
};

export const IMAP_HOSTILE: Record<string, Hostile> = {
  'BYE at the greeting': async (c) => { c.send('* BYE Too many connections, try later'); c.close(); },
  'an endless literal': async (c) => {
    // No capabilities in the greeting: the client asks with CAPABILITY, and gets the literal.
    c.send('* OK ready');
    await c.readLine();
    c.sendRaw('* CAPABILITY {999999999}\r\n');
    await flood(c, Buffer.alloc(64 * 1024, 0x43), 64 * 1024 * 1024);
  },
  'TLS aborted after the STARTTLS go-ahead': async (c) => {
    c.send('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready');
    for (;;) {
      const l = await c.readLine();
      if (l === null) return;
      const tag = l.split(' ')[0];
      if (/ STARTTLS$/i.test(l)) { c.send(`${tag} OK go ahead`); await c.readUntil('\u0000never', 300); c.reset(); return; }
      c.send(`${tag} OK`);
    }
  },
};

export const POP3_HOSTILE: Record<string, Hostile> = {
  '-ERR at the greeting': async (c) => { c.send('-ERR [SYS/TEMP] too busy'); c.close(); },
  'a CAPA reply that never ends': async (c) => {
    c.send('+OK ready');
    await c.readLine();
    c.send('+OK capability list follows');
    await flood(c, Buffer.from('X-ENDLESS-CAPABILITY\r\n'.repeat(2000)), 64 * 1024 * 1024);
  },
};
