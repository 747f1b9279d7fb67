// The lab's HTTPS server: serves MTA-STS policy files (RFC 8461 §3.3) per Host name on
// loopback, with TEST-ONLY certificates from ./certs (see certs/README.md). Each site
// can declare its status, Content-Type, redirect target and certificate so the demo and
// the tests can plant every fetch defect. Policies come from ./mta-sts/<domain>.txt.
import https from 'node:https';
import tls from 'node:tls';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CERTS_DIR = join(HERE, 'certs');
export const MTA_STS_DIR = join(HERE, 'mta-sts');
export const POLICY_PATH = '/.well-known/mta-sts.txt';

/** default: CA-signed for every lab name; wrong-name: CA-signed for another name; self-signed: untrusted issuer. */
export type LabCertKind = 'default' | 'wrong-name' | 'self-signed';

export interface LabSite {
  /** Default 200. */
  status?: number;
  /** Default "text/plain; charset=utf-8"; "" sends no Content-Type header. */
  contentType?: string;
  body?: string;
  /** Location header (for 3xx). */
  location?: string;
  cert?: LabCertKind;
}

export interface LabHttpsOptions {
  /** Sites by host name (e.g. "mta-sts.healthy.test"). */
  sites: Record<string, LabSite>;
  host?: string;
  port?: number;
}

export interface LabHttpsServer {
  host: string;
  port: number;
  /** The PEM to trust (the lab CA). */
  ca: string[];
  requests: number;
  close(): Promise<void>;
}

/** The lab CA certificate (PEM), to pass as the `ca` option of lab runs. */
export function labCa(): string {
  return readFileSync(join(CERTS_DIR, 'ca.pem'), 'utf8');
}

function loadCert(kind: LabCertKind): { cert: string; key: string } {
  const base = kind === 'default' ? 'server' : kind;
  return { cert: readFileSync(join(CERTS_DIR, `${base}.pem`), 'utf8'), key: readFileSync(join(CERTS_DIR, `${base}-key.pem`), 'utf8') };
}

export async function startLabHttps(opts: LabHttpsOptions): Promise<LabHttpsServer> {
  const sites = new Map(Object.entries(opts.sites).map(([h, s]) => [h.toLowerCase().replace(/\.$/, ''), s]));
  const contexts = new Map<LabCertKind, tls.SecureContext>();
  const contextFor = (kind: LabCertKind) => {
    let c = contexts.get(kind);
    if (!c) contexts.set(kind, (c = tls.createSecureContext(loadCert(kind))));
    return c;
  };
  const state = { requests: 0 };
  const server = https.createServer({
    ...loadCert('default'),
    // Pick the certificate by SNI so one listener can present a broken one for some names.
    SNICallback: (servername, cb) => cb(null, contextFor(sites.get(servername.toLowerCase())?.cert ?? 'default')),
  }, (req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const site = sites.get(host);
    if (!site || (req.url ?? '').split('?')[0] !== POLICY_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const headers: Record<string, string> = {};
    const type = site.contentType ?? 'text/plain; charset=utf-8';
    if (type) headers['content-type'] = type;
    if (site.location) headers.location = site.location;
    res.writeHead(site.status ?? 200, headers).end(site.body ?? '');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('tlsClientError', () => undefined); // a client rejecting our broken certificate is expected
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host, port, ca: [labCa()],
    get requests() { return state.requests; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

interface ManifestEntry extends LabSite {
  /** Policy file name in the directory; default "<domain>.txt"; null serves an empty body. */
  file?: string | null;
}

/**
 * The lab's MTA-STS sites: every <domain>.txt in `dir`, served at mta-sts.<domain>, with
 * overrides from manifest.json ({ "<domain>": { status, contentType, location, cert, file } };
 * keys starting with "_" are comments).
 */
export function loadMtaStsSites(dir = MTA_STS_DIR): Record<string, LabSite> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest: Record<string, ManifestEntry> = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  const domains = new Set(readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)));
  for (const d of Object.keys(manifest)) if (!d.startsWith('_')) domains.add(d);
  const sites: Record<string, LabSite> = {};
  for (const domain of domains) {
    const { file, ...site } = manifest[domain] ?? {};
    const name = file === undefined ? `${domain}.txt` : file;
    const body = name && existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
    sites[`mta-sts.${domain}`] = { ...site, body };
  }
  return sites;
}
