// The dashboard's static files: web/ (the app: plain ES modules, no build step) and the
// browser builds of preact, htm and uPlot from node_modules, on an allow-list of paths, so
// nothing else on disk can be asked for. Every page gets a Content-Security-Policy that allows
// only this server's own scripts plus the import map (by its hash) and no framing.
import { createHash } from 'node:crypto';
import { join, normalize, sep } from 'node:path';
import { dependencyDir, packageRoot, readPackageFile } from '../io/package-files.js';

export interface Asset {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** URL path under /vendor/ → [package, file inside it]. */
const VENDOR: Record<string, [string, string]> = {
  '/vendor/preact.mjs': ['preact', 'dist/preact.mjs'],
  '/vendor/hooks.mjs': ['preact', 'hooks/dist/hooks.mjs'],
  '/vendor/htm.mjs': ['htm', 'dist/htm.mjs'],
  '/vendor/uplot.mjs': ['uplot', 'dist/uPlot.esm.js'],
  '/vendor/uplot.css': ['uplot', 'dist/uPlot.min.css'],
};

const MAX_ASSET = 2 << 20;

function typeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return TYPES[path.slice(dot)] ?? 'application/octet-stream';
}

/** The CSP for the app: scripts from this origin and the inline import map only. */
export function contentSecurityPolicy(indexHtml: string): string {
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1] ?? '';
  const hash = createHash('sha256').update(map).digest('base64');
  return [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self' 'unsafe-inline'", // uPlot sizes its canvas with inline styles
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** The file behind a dashboard URL path, or undefined when the path is not the dashboard's. */
function resolve(path: string): string | undefined {
  const vendor = VENDOR[path];
  if (vendor) {
    const dir = dependencyDir(vendor[0]);
    return dir ? join(dir, vendor[1]) : undefined;
  }
  const web = join(packageRoot(), 'web');
  if (path === '/' || path === '/index.html') return join(web, 'index.html');
  if (path === '/favicon.svg' || path === '/favicon.ico') return join(web, 'favicon.svg');
  if (!/^\/(app|assets)\/[A-Za-z0-9_./-]+\.(js|css|svg|png)$/.test(path)) return undefined;
  const file = normalize(join(web, path));
  return file.startsWith(web + sep) ? file : undefined; // no way out of web/ ("..")
}

/** Answers a GET for a dashboard path; undefined lets the caller answer 404. */
export function dashboardAsset(path: string): Asset | undefined {
  const file = resolve(path);
  if (!file) return undefined;
  const body = readPackageFile(file, MAX_ASSET);
  if (!body) return undefined;
  const type = file.endsWith('favicon.svg') ? TYPES['.svg']! : typeOf(file);
  const headers: Record<string, string> = { 'Content-Type': type, ...SECURITY_HEADERS };
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = contentSecurityPolicy(body.toString('utf8'));
    headers['Cache-Control'] = 'no-cache';
  } else {
    headers['Cache-Control'] = path.startsWith('/vendor/') ? 'public, max-age=86400' : 'no-cache';
  }
  return { status: 200, headers, body };
}
