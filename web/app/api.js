// The dashboard's only way to the server: the JSON API of docs/api.md. The token (for POST and
// DELETE, and for every request when serve is exposed beyond loopback) travels in the
// Authorization header only, never in a cookie or URL, so a cross-site page cannot use it.

const TOKEN_KEY = 'mxdoctor.token';
let token = sessionStorage.getItem(TOKEN_KEY) || '';
let session = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setToken(value) {
  token = value;
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function hasToken() {
  return Boolean(token);
}

/** GET /api/v1/session once: the loopback session token, or whether the user must type one. */
export async function loadSession() {
  if (session) return session;
  session = await request('GET', '/api/v1/session');
  if (session.token) token = session.token; // loopback: the server's own session token
  return session;
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(res.status, 'bad-response', `${method} ${path}: the server did not answer JSON (HTTP ${res.status})`);
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : { code: 'http-' + res.status, message: `HTTP ${res.status}` };
    throw new ApiError(res.status, err.code, err.message);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const del = (path) => request('DELETE', path);

export const enc = encodeURIComponent;

/**
 * Server-sent events from /api/v1/events. EventSource cannot send the Authorization header,
 * which is only needed for GET when serve is exposed beyond loopback: then the caller polls.
 * Returns a function that closes the stream.
 */
export function subscribe(onEvent, onState) {
  if (typeof EventSource === 'undefined' || (session && session.tokenRequired)) {
    onState && onState('polling');
    return () => {};
  }
  const es = new EventSource('/api/v1/events');
  const kinds = ['run', 'target', 'job', 'incident', 'alert'];
  for (const kind of kinds) {
    es.addEventListener(kind, (e) => {
      try {
        onEvent(kind, JSON.parse(e.data));
      } catch {
        /* a malformed event is ignored; the next refresh corrects the page */
      }
    });
  }
  es.onopen = () => onState && onState('live');
  es.onerror = () => onState && onState('reconnecting');
  return () => es.close();
}
