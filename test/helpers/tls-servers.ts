// Hermetic TLS servers on 127.0.0.1 for the TLS/certificate tests: implicit TLS or a
// minimal SMTP STARTTLS dialogue, with a chosen certificate (test/fixtures/certs),
// version range and ciphers; plus a server that never finishes the handshake and one
// that answers with garbage.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

const DIR = new URL('../fixtures/certs/', import.meta.url);
export const certFile = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
export const CA_PEM = certFile('ca.pem');

export interface TestServerOptions {
  /** Fixture base name: valid, expired, self-signed, ... (key = <name>-key.pem). */
  cert?: string;
  /** Certificate file(s) to send instead of <cert>.pem (e.g. chain-full.pem, or [valid.pem, ca.pem]). */
  certChain?: string | string[];
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** implicit: TLS from the first byte. smtp: 220 / EHLO / STARTTLS. */
  mode?: 'implicit' | 'smtp' | 'smtp-no-starttls' | 'silent' | 'garbage';
}

export interface TestServer {
  port: number;
  /** Connections accepted so far. */
  connections: () => number;
  close(): Promise<void>;
}

export async function startTlsTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const name = o.cert ?? 'valid';
  const ctxOpts: tls.SecureContextOptions = {
    key: certFile(`${name}-key.pem`), cert: [o.certChain ?? `${name}.pem`].flat().map(certFile).join(''),
    minVersion: o.minVersion, maxVersion: o.maxVersion, ciphers: o.ciphers,
  };
  const secureContext = tls.createSecureContext(ctxOpts);
  const sockets = new Set<net.Socket>();
  let count = 0;
  const mode = o.mode ?? 'implicit';
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode === 'silent') return; // accept and never say a word
    if (mode === 'garbage') return void socket.end(Buffer.from('\x00\xffHTTP/1.0 400 not TLS at all\r\n\r\n'.repeat(4), 'latin1'));
    if (mode === 'implicit') return void startTls(socket, secureContext, o, sockets);
    socket.write('220 mail.tls.test ESMTP test\r\n');
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim().toUpperCase();
        buf = buf.slice(i + 1);
        if (line.startsWith('EHLO')) socket.write(mode === 'smtp' ? '250-mail.tls.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n' : '250-mail.tls.test\r\n250 PIPELINING\r\n');
        else if (line === 'STARTTLS' && mode === 'smtp') {
          socket.off('data', onData);
          socket.write('220 2.0.0 ready\r\n', () => startTls(socket, secureContext, o, sockets));
          return;
        } else if (line === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 5.5.2 not here\r\n');
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function startTls(socket: net.Socket, secureContext: tls.SecureContext, o: TestServerOptions, sockets: Set<net.Socket>): void {
  const t = new tls.TLSSocket(socket, { isServer: true, secureContext, minVersion: o.minVersion, maxVersion: o.maxVersion } as tls.TLSSocketOptions);
  sockets.add(t);
  t.on('error', () => socket.destroy());
  t.on('secure', () => t.end('* bye\r\n'));
}

/** A port with nothing listening (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
