// Who may do what (docs/api.md "Authentication and CSRF"): the token travels only in the
// Authorization header (never a cookie or URL, so a browser never sends it on its own),
// state-changing requests always need it, non-loopback listeners need it for everything
// but /healthz, and Host/Origin checks stop DNS rebinding and cross-site requests.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from '../../config/serve-resolve.js';

export interface AuthPolicy {
  /** The configured token, or the session token made at start on loopback. */
  token: string;
  /** Was the token configured (true) or made for this process (false)? */
  configured: boolean;
  loopbackListener: boolean;
  /** Names allowed in Host besides loopback literals and localhost. */
  hosts: string[];
}

export type AuthVerdict = { ok: true } | { ok: false; status: 401 | 403; code: string; message: string };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function hostAllowed(req: IncomingMessage, p: AuthPolicy): boolean {
  const raw = req.headers.host;
  if (!raw) return false;
  const host = (/^\[([^\]]+)\]/.exec(raw)?.[1] ?? raw.replace(/:\d+$/, '')).toLowerCase();
  return isLoopback(host) || p.hosts.includes(host) || (!p.loopbackListener && p.hosts.length === 0);
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  if (!origin) return true;
  try {
    return new URL(origin).host.toLowerCase() === String(req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

export function tokenMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return false;
  // Compare digests: constant time whatever the lengths.
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function authorize(req: IncomingMessage, path: string, p: AuthPolicy): AuthVerdict {
  if (!hostAllowed(req, p)) return { ok: false, status: 403, code: 'forbidden', message: `Host "${req.headers.host ?? ''}" is not allowed; add it to listen.hosts in the config` };
  if (path === '/healthz') return { ok: true };
  if (!sameOrigin(req)) return { ok: false, status: 403, code: 'forbidden', message: 'cross-site request refused (Origin is not this server)' };
  const needsToken = STATE_CHANGING.has(req.method ?? 'GET') || !p.loopbackListener;
  if (needsToken && !tokenMatches(req, p.token)) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'send the API token as "Authorization: Bearer <token>"' };
  }
  return { ok: true };
}
