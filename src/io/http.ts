// HTTPS GET for policy files (MTA-STS, BIMI). Names resolve through mxdoctor's own
// resolver, so --resolver holds here too; --ca adds trust anchors to the system store.
// Redirects are never followed (RFC 8461 §3.3), bodies are capped, every step times out.
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import type { Resolver } from './resolver.js';
import { isLoopback, loopbackOnlyByEnv } from './net.js';
import { abortMessage, signalOf } from './deadline.js';
import type { SignalSource } from './deadline.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** TLS certificate error the server's chain produced, if any (the request still failed). */
}

export type HttpFailureKind = 'dns' | 'connect' | 'tls' | 'timeout' | 'too-large' | 'protocol';

export type HttpResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; kind: HttpFailureKind; error: string };

export interface HttpClient {
  get(url: string, options?: { maxBytes?: number; timeoutMs?: number; signal?: AbortSignal }): Promise<HttpResult>;
}

export interface HttpClientOptions {
  resolver: Resolver;
  /** Extra CA certificates (PEM) trusted beside the system store. */
  ca?: string[];
  /** Connect to this port instead of the URL's (labs only). */
  portOverride?: number;
  timeoutMs?: number;
  /** Refuse non-loopback addresses (see NetClientOptions.loopbackOnly). */
  loopbackOnly?: boolean;
}

/** The same client with `signal` on every request (see bindSignal in net.ts). */
export function bindHttpSignal(client: HttpClient, signal: SignalSource | undefined): HttpClient {
  if (!signal) return client;
  return { get: (url, o = {}) => client.get(url, { ...o, signal: o.signal ?? signalOf(signal) }) };
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  // Build the trust store once: parsing ~140 root certificates per request cost more CPU than the rest of a bulk audit.
  const secureContext = opts.ca?.length ? tls.createSecureContext({ ca: [...tls.rootCertificates, ...opts.ca] }) : undefined;
  const lookup = resolverLookup(opts.resolver, opts.loopbackOnly ?? loopbackOnlyByEnv());
  return {
    get(url, o = {}) {
      const maxBytes = o.maxBytes ?? 64 * 1024;
      const timeoutMs = o.timeoutMs ?? opts.timeoutMs ?? 5000;
      return new Promise<HttpResult>((resolve) => {
        let u: URL;
        try {
          u = new URL(url);
        } catch {
          return resolve({ ok: false, kind: 'protocol', error: `not a valid URL: ${url}` });
        }
        let settled = false;
        const done = (r: HttpResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
          req.destroy();
          resolve(r);
        };
        const req = https.request({
          host: u.hostname, port: opts.portOverride ?? (u.port || 443), path: u.pathname + u.search, method: 'GET',
          servername: u.hostname, lookup, agent: false,
          ...(secureContext ? { secureContext } : {}),
          headers: { 'user-agent': 'mxdoctor', accept: 'text/plain, */*' },
        });
        const timer = setTimeout(() => done({ ok: false, kind: 'timeout', error: `no complete answer within ${timeoutMs} ms` }), timeoutMs);
        // The run's deadline: the request and its socket are destroyed at once.
        const onAbort = () => done({ ok: false, kind: 'timeout', error: `cancelled: ${abortMessage(o.signal)}` });
        if (o.signal?.aborted) onAbort();
        else o.signal?.addEventListener('abort', onAbort, { once: true });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (d: Buffer) => {
            size += d.length;
            if (size > maxBytes) return done({ ok: false, kind: 'too-large', error: `body larger than ${maxBytes} bytes` });
            chunks.push(d);
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            done({ ok: true, response: { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') } });
          });
          res.on('error', (e) => done({ ok: false, kind: 'protocol', error: e.message }));
        });
        req.on('error', (e: NodeJS.ErrnoException) => done(classify(e)));
        req.end();
      });
    },
  };
}

function classify(e: NodeJS.ErrnoException): HttpResult {
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_AGAIN') return { ok: false, kind: 'dns', error: e.message };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET') {
    return { ok: false, kind: 'connect', error: `${code}: ${e.message}` };
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|SSL|HOSTNAME|ALTNAME/i.test(code + e.message)) return { ok: false, kind: 'tls', error: e.message };
  return { ok: false, kind: 'protocol', error: e.message || code };
}

/** A net.LookupFunction answering from our resolver (A first, then AAAA). */
function resolverLookup(resolver: Resolver, loopbackOnly: boolean): LookupFunction {
  return ((hostname: string, options: any, callback: any) => {
    const cb = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options?.all;
    if (net.isIP(hostname)) {
      const fam = net.isIP(hostname);
      return all ? cb(null, [{ address: hostname, family: fam }]) : cb(null, hostname, fam);
    }
    (async () => {
      const v4 = await resolver.query(hostname, 'A');
      const v6 = v4.status === 'answer' ? undefined : await resolver.query(hostname, 'AAAA');
      const addrs = [
        ...v4.records.map((r) => ({ address: String(r.data), family: 4 })),
        ...(v6?.records ?? []).map((r) => ({ address: String(r.data), family: 6 })),
      ];
      if (loopbackOnly && addrs.some((a) => !isLoopback(a.address))) {
        const err: NodeJS.ErrnoException = new Error(`${hostname}: not connecting outside loopback (loopback-only mode)`);
        err.code = 'ECONNREFUSED';
        return cb(err);
      }
      if (!addrs.length) {
        const err: NodeJS.ErrnoException = new Error(`${hostname}: no address (${v4.status})`);
        err.code = v4.status === 'nxdomain' || v4.status === 'nodata' ? 'ENOTFOUND' : 'EAI_AGAIN';
        return cb(err);
      }
      return all ? cb(null, addrs) : cb(null, addrs[0]!.address, addrs[0]!.family);
    })().catch((e) => cb(e));
  }) as LookupFunction;
}
