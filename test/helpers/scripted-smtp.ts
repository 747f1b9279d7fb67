// A tiny SMTP server scripted line by line, able to misbehave: slow or endless greetings,
// huge lines, garbage, resets, bytes after the STARTTLS 220. Loopback only.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { DnsResponse, Resolver } from '../../src/io/resolver.js';

const CERT_DIR = new URL('../../src/lab/certs/', import.meta.url);
export const TEST_KEY = readFileSync(new URL('server-key.pem', CERT_DIR));
export const TEST_CERT = readFileSync(new URL('server.pem', CERT_DIR));

export class ScriptedConn {
  private buf = '';
  private waiting: (() => void) | undefined;
  private ended = false;
  constructor(public socket: net.Socket | tls.TLSSocket) {
    this.attach(socket);
  }

  private readonly onData = (d: Buffer) => { this.buf += d.toString('latin1'); this.waiting?.(); };
  private readonly onEnd = () => { this.ended = true; this.waiting?.(); };

  private attach(s: net.Socket) {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('close', this.onEnd);
    s.on('error', () => { this.ended = true; this.waiting?.(); });
  }

  send(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text.endsWith('\n') ? text : `${text}\r\n`);
  }

  sendRaw(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** The next line from the client (without CRLF), or null when it hung up. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const i = this.buf.indexOf('\n');
      if (i >= 0) {
        const line = this.buf.slice(0, i).replace(/\r$/, '');
        this.buf = this.buf.slice(i + 1);
        return line;
      }
      if (this.ended) return null;
      await new Promise<void>((r) => { this.waiting = () => { this.waiting = undefined; r(); }; });
    }
  }

  /** Bytes received and not yet read (a client that pipelines leaves some here). */
  pendingBytes(): number {
    return this.buf.length;
  }

  /** Raw bytes received so far and not read as lines (the smuggling test reads DATA this way). */
  async readUntil(marker: string, timeoutMs = 3000): Promise<string> {
    const end = Date.now() + timeoutMs;
    while (!this.buf.includes(marker) && !this.ended && Date.now() < end) {
      await new Promise<void>((r) => { const t = setTimeout(r, 20); this.waiting = () => { clearTimeout(t); this.waiting = undefined; r(); }; });
    }
    const i = this.buf.indexOf(marker);
    const out = i >= 0 ? this.buf.slice(0, i + marker.length) : this.buf;
    this.buf = i >= 0 ? this.buf.slice(i + marker.length) : '';
    return out;
  }

  /** Server side of STARTTLS: wrap the socket in TLS with the lab certificate. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    const secure = new tls.TLSSocket(plain, { isServer: true, key: TEST_KEY, cert: TEST_CERT });
    this.socket = secure;
    this.attach(secure);
    await new Promise<void>((resolve) => {
      secure.once('secure', () => resolve());
      secure.once('error', () => resolve());
      secure.once('close', () => resolve());
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** TCP RST instead of a FIN. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  close(): void {
    this.socket.end();
  }
}

export type Script = (c: ScriptedConn) => Promise<void>;

export interface ScriptedServer {
  port: number;
  hosts: string[];
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** Serve `script` on every host (same port on all), e.g. ['127.0.0.20', '127.0.0.21']. */
export async function scriptedServer(script: (c: ScriptedConn, host: string) => Promise<void>, hosts = ['127.0.0.1'], implicitTls = false): Promise<ScriptedServer> {
  for (let attempt = 0; ; attempt++) {
    const servers: net.Server[] = [];
    const sockets = new Set<net.Socket>();
    const state = { connections: 0 };
    try {
      let port = 0;
      for (const host of hosts) {
        const onConn = (socket: net.Socket) => {
          state.connections++;
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
          const conn = new ScriptedConn(socket);
          script(conn, host).catch(() => undefined).finally(() => { if (!conn.socket.destroyed) conn.socket.end(); });
        };
        const server = implicitTls
          ? tls.createServer({ key: TEST_KEY, cert: TEST_CERT }, onConn)
          : net.createServer(onConn);
        server.on('tlsClientError', () => undefined);
        servers.push(server);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
        port = (server.address() as net.AddressInfo).port;
      }
      return {
        port, hosts,
        get connections() { return state.connections; },
        async close() {
          for (const s of sockets) s.destroy();
          await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
        },
      };
    } catch (err) {
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      if (attempt >= 5) throw err;
    }
  }
}

export interface ResponderOptions {
  /** Greeting lines; several make a multi-line (postscreen-style) greeting. */
  greeting?: string[];
  /** Pause before the last greeting line (postscreen's greet wait). */
  greetingDelayMs?: number;
  hostname?: string;
  /** Extension lines before TLS (default: SIZE, PIPELINING, STARTTLS, 8BITMIME, ENHANCEDSTATUSCODES). */
  ehlo?: string[];
  /** Extension lines after STARTTLS (default: `ehlo` without STARTTLS). */
  ehloTls?: string[];
  /** Reply to EHLO instead of 250 (e.g. "502 5.5.1 command not implemented"). */
  ehloReply?: string;
  /** Reply to HELO instead of 250. */
  heloReply?: string;
  /** ok: 220 then TLS; refuse: 454; inject: 220 plus an extra line in the same write; broken: 220 then no TLS. */
  starttls?: 'ok' | 'refuse' | 'inject' | 'broken';
  /** Like Exim: "554 SMTP synchronization error" when a command arrives before the previous reply. */
  strictSync?: boolean;
  /** Reply to RCPT TO for an address (default: 250 for postmaster@, 554 relay denied otherwise). */
  rcpt?: (address: string) => string;
  /** Delay before every reply after the greeting. */
  replyDelayMs?: number;
  /** How DATA ends: strict (only CRLF.CRLF), bare-lf (also LF.LF: smuggling-vulnerable), reject-bare-lf (521 + close). */
  data?: 'strict' | 'bare-lf' | 'reject-bare-lf' | 'silent';
  /** Delay before the reply to the end of data (a slow content filter, a milter). */
  dataReplyDelayMs?: number;
  /** Called with every command line the client sent. */
  log?: string[];
}

/** A well-behaved SMTP server with knobs for the interesting failures. */
export function responder(o: ResponderOptions = {}): Script {
  const host = o.hostname ?? 'mx.scripted.test';
  const greeting = o.greeting ?? [`${host} ESMTP ready`];
  const pre = o.ehlo ?? ['SIZE 10240000', 'PIPELINING', 'STARTTLS', '8BITMIME', 'ENHANCEDSTATUSCODES'];
  const post = o.ehloTls ?? pre.filter((l) => l !== 'STARTTLS');
  const rcpt = o.rcpt ?? ((a: string) => (/^postmaster@/i.test(a) ? '250 2.1.5 Ok' : '554 5.7.1 Relay access denied'));
  return async (c) => {
    for (const [i, line] of greeting.entries()) {
      const last = i === greeting.length - 1;
      if (last && o.greetingDelayMs) await c.sleep(o.greetingDelayMs);
      c.send(`220${last ? ' ' : '-'}${line}`);
    }
    let tlsUp = false;
    for (;;) {
      const line = await c.readLine();
      if (line === null) return;
      o.log?.push(line);
      if (o.replyDelayMs) await c.sleep(o.replyDelayMs);
      if (o.strictSync) {
        await c.sleep(30);
        if (c.pendingBytes()) { c.send('554 5.5.0 SMTP synchronization error'); c.close(); return; }
      }
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') {
        if (o.ehloReply) { c.send(o.ehloReply); continue; }
        const ext = tlsUp ? post : pre;
        c.send([`250${ext.length ? '-' : ' '}${host} Hello`, ...ext.map((e, i) => `250${i === ext.length - 1 ? ' ' : '-'}${e}`)].join('\r\n'));
      } else if (verb === 'HELO') c.send(o.heloReply ?? `250 ${host}`);
      else if (verb === 'STARTTLS') {
        if (o.starttls === 'refuse') { c.send('454 4.7.0 TLS not available due to local problem'); continue; }
        if (o.starttls === 'broken') { c.send('220 2.0.0 Ready to start TLS'); await c.readUntil('\n', 500); c.sendRaw('this is not TLS\r\n'); c.close(); return; }
        if (o.starttls === 'inject') c.sendRaw('220 2.0.0 Ready to start TLS\r\n250 injected-after-220\r\n');
        else c.send('220 2.0.0 Ready to start TLS');
        await c.startTls();
        tlsUp = true;
      } else if (verb === 'MAIL') c.send('250 2.1.0 Ok');
      else if (verb === 'RCPT') c.send(rcpt(/<([^>]*)>/.exec(line)?.[1] ?? ''));
      else if (verb === 'RSET' || verb === 'NOOP') c.send('250 2.0.0 Ok');
      else if (verb === 'DATA') {
        c.send('354 End data with <CR><LF>.<CR><LF>');
        if (!(await readData(c, o.data ?? 'strict', o.dataReplyDelayMs ?? 0))) return;
      } else if (verb === 'QUIT') { c.send('221 2.0.0 Bye'); c.close(); return; }
      else c.send('502 5.5.2 Error: command not recognized');
    }
  };
}

async function readData(c: ScriptedConn, mode: 'strict' | 'bare-lf' | 'reject-bare-lf' | 'silent', delayMs: number): Promise<boolean> {
  // silent: reads the message and never answers (a hung filter), until the client hangs up.
  if (mode === 'silent') { await c.readUntil('\0never', 120_000); return false; }
  let seen = '';
  for (;;) {
    const chunk = await c.readUntil('\n', 3000);
    if (!chunk) return false;
    seen += chunk;
    if (mode === 'reject-bare-lf' && /(^|[^\r])\n/.test(seen)) { c.send('521 5.5.2 Error: bare <LF> received'); c.close(); return false; }
    if (mode === 'bare-lf' && /\n\.\n$/.test(seen)) { await c.sleep(delayMs); c.send('250 2.0.0 Ok: queued as BARELF'); return true; }
    if (/\r\n\.\r\n$/.test(seen)) { await c.sleep(delayMs); c.send('250 2.0.0 Ok: queued as STRICT'); return true; }
  }
}

/** Every name is NXDOMAIN: PTR lookups find nothing (the banner check stays silent), host names do not resolve. */
export const nxResolver: Resolver = {
  async query(name, type): Promise<DnsResponse> {
    return { name, type, status: 'nxdomain', records: [], cnames: [], authority: [], ad: false, aa: false, rcode: 'NXDOMAIN', server: 'stub', elapsedMs: 0 };
  },
};
