// A small router over node:http: method + path pattern with {params}, JSON in and out,
// one error shape ({"error": {"code", "message"}}), bodies capped at 64 KiB.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  body(): Promise<unknown>;
}

export type Handler = (c: Ctx) => Promise<unknown> | unknown;

/** A handler's answer: JSON by default; a Raw is written as given (metrics, SSE). */
export class Raw {
  constructor(readonly status: number, readonly contentType: string, readonly text: string, readonly headers: Record<string, string> = {}) {}
}
/** A JSON answer with a status other than 200 or extra headers. */
export class Reply {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {}
}
export const STREAMED = Symbol('streamed');

const MAX_BODY = 64 * 1024;

export class Router {
  private readonly routes: { method: string; re: RegExp; keys: string[]; h: Handler }[] = [];

  on(method: string, pattern: string, h: Handler): this {
    const keys: string[] = [];
    const re = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, (_, k) => { keys.push(k); return '([^/]+)'; })}$`);
    this.routes.push({ method, re, keys, h });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const matching = this.routes.filter((r) => r.re.test(url.pathname));
      if (!matching.length) throw new HttpError(404, 'not-found', `no such path: ${url.pathname}; see docs/api.md`);
      const route = matching.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
      if (!route) throw new HttpError(405, 'method-not-allowed', `${req.method} is not allowed here`, { Allow: [...new Set(matching.map((r) => r.method))].join(', ') });
      const m = route.re.exec(url.pathname)!;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new HttpError(400, 'bad-request', `bad URL encoding in ${k}`);
        }
      });
      const out = await route.h({ req, res, params, query: url.searchParams, body: () => readJson(req) });
      if (out === STREAMED) return;
      if (out instanceof Raw) return send(res, out.status, out.contentType, out.text, out.headers);
      const r = out instanceof Reply ? out : new Reply(200, out);
      send(res, r.status, 'application/json; charset=utf-8', r.status === 204 ? '' : JSON.stringify(r.body), r.headers);
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, 'internal', 'internal error; see the server log');
      if (!(e instanceof HttpError)) process.stderr.write(`mxdoctor serve: ${req.method} ${url.pathname}: ${(e as Error)?.stack ?? e}\n`);
      if (!res.headersSent) send(res, err.status, 'application/json; charset=utf-8', JSON.stringify({ error: { code: err.code, message: err.message } }), err.headers);
      else res.end();
    }
  }
}

export function send(res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'too-large', 'request body over 64 KiB');
    chunks.push(c as Buffer);
  }
  if (!size) return undefined;
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'unsupported-media-type', 'send the body as Content-Type: application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-request', 'the body is not valid JSON');
  }
}
