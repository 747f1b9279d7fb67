// What TLS a server speaks, gathered without judgement: one handshake with default
// settings (protocol, cipher, key exchange, certificate chain, trust) and one handshake
// pinned to each of TLS 1.0-1.3 to learn which versions it accepts. The protocol (SMTP,
// IMAP, POP3 STARTTLS or implicit TLS) comes in as a TlsOpener.
//
// Measured on Node 20 / OpenSSL 3.0 (test/tls-probe.test.ts): a client pinned to TLS 1.0
// or 1.1 with default ciphers fails locally (ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED:
// security level 1 forbids the MD5/SHA-1 handshake signatures those versions use), so the
// pinned probes use "DEFAULT:@SECLEVEL=0" and then complete against a 1.0/1.1 server. A
// failure that our own OpenSSL causes is reported as `unknown`, never as "not supported".
import { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import type { NetClient, NetFailure, NetFailureKind, TlsParams } from '../io/net.js';
import type { OpenResult, TlsOpener } from './tls-opener.js';
import { classifyVersionFailure } from './tls-version-failure.js';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
export type Support = 'yes' | 'no' | 'unknown';

/** Lets legacy versions be offered at all by OpenSSL 3 (see the header comment). */
export const LEGACY_CIPHERS = 'DEFAULT:@SECLEVEL=0';

export interface VersionProbe {
  version: TlsVersion;
  support: Support;
  /** Why: the error, or how it was inferred. */
  reason?: string;
  cipher?: string;
}

export interface Handshake {
  /** "TLSv1.3" */
  protocol: string | null;
  cipher: string;
  /** IANA name, e.g. TLS_AES_256_GCM_SHA384. */
  cipherStandardName?: string;
  /** "ECDH X25519 253 bits", absent for static RSA key exchange. */
  keyExchange?: string;
  /** TLS 1.3 always; below, an ephemeral (EC)DHE key exchange. */
  forwardSecrecy: boolean;
  /** Leaf first: as presented, completed by Node from the trust store (getPeerCertificate(true)). */
  chain: X509Certificate[];
  /** Chain verified against the system store + --ca (host name NOT included). */
  authorized: boolean;
  authorizationError?: string;
  ms: number;
  /** Set when this came from a pinned (SECLEVEL=0) probe because the default handshake failed. */
  pinned?: TlsVersion;
}

export interface HandshakeFailure {
  kind: NetFailureKind;
  /** OpenSSL/Node error code, e.g. ERR_SSL_WRONG_VERSION_NUMBER. */
  code?: string;
  error: string;
  ms: number;
}

export interface TlsProbeResult {
  host: string;
  port: number;
  servername?: string;
  /** The opener failed: TLS was never reached (connect, greeting, STARTTLS refused). */
  open?: Extract<OpenResult, { ok: false }>;
  /** The default handshake (or the best pinned one when that failed). */
  handshake?: Handshake;
  /** Why the default handshake failed, when it did. */
  failure?: HandshakeFailure;
  versions: VersionProbe[];
  ms: number;
}

export interface TlsProbeParams {
  /** Address (or name) to connect to. */
  host: string;
  port: number;
  /** SNI; the caller checks the certificate against it. */
  servername?: string;
  timeoutMs: number;
  heloName: string;
  opener: TlsOpener;
  /** Probe each version separately (default true). */
  versions?: boolean;
}

type Attempt = { open: Extract<OpenResult, { ok: false }> } | { handshake: Handshake } | { failure: HandshakeFailure };

export async function probeTls(net: NetClient, p: TlsProbeParams): Promise<TlsProbeResult> {
  const t0 = performance.now();
  const base = { servername: p.servername, timeoutMs: p.timeoutMs };
  const pinned = (v: TlsVersion) => attempt(net, p, { ...base, minVersion: v, maxVersion: v, ciphers: LEGACY_CIPHERS });
  // Default + 1.0/1.1/1.2 at once (four connections, the NetClient's per-host cap), but the
  // pinned ones only once the default one got a TCP connection: a closed or filtered port
  // must not hold every per-host slot for a whole timeout while other probes wait.
  let connected: (ok: boolean) => void = () => undefined;
  const tcp = new Promise<boolean>((resolve) => { connected = resolve; });
  const watched: NetClient = { ...net, connect: async (...a) => { const c = await net.connect(...a); connected(c.ok); return c; } };
  const mainP = attempt(watched, p, base).finally(() => connected(false));
  const belowP = p.versions === false ? Promise.resolve([]) : tcp.then((ok) => (ok ? Promise.all(TLS_VERSIONS.slice(0, 3).map(pinned)) : []));
  const [main, below] = await Promise.all([mainP, belowP]);
  const out: TlsProbeResult = { host: p.host, port: p.port, servername: p.servername, versions: [], ms: 0 };
  if ('open' in main) out.open = main.open;
  if ('failure' in main) out.failure = main.failure;
  if ('handshake' in main) out.handshake = main.handshake;
  if (p.versions !== false) {
    const results = new Map<TlsVersion, Attempt>(TLS_VERSIONS.slice(0, 3).map((v, i) => [v, below[i] ?? main]));
    // Offered 1.3 and got something lower: a 1.3-capable server always picks 1.3 (RFC 8446 §4.2.1).
    if ('handshake' in main) results.set('TLSv1.3', main.handshake.protocol === 'TLSv1.3' ? main : { failure: { kind: 'tls', error: `server chose ${main.handshake.protocol} when offered TLS 1.3`, ms: 0 } });
    else if ('open' in main) results.set('TLSv1.3', main); // TLS never reached: no point in another try
    else results.set('TLSv1.3', await pinned('TLSv1.3'));
    out.versions = TLS_VERSIONS.map((version) => versionResult(version, results.get(version)!));
    if (!out.handshake) {
      // The default handshake failed but an old version works: take its facts (certificate).
      const best = [...TLS_VERSIONS].reverse().map((v) => results.get(v)!).find((r): r is { handshake: Handshake } => 'handshake' in r);
      if (best) out.handshake = best.handshake;
    }
  }
  out.ms = Math.round(performance.now() - t0);
  return out;
}

function versionResult(version: TlsVersion, r: Attempt): VersionProbe {
  if ('handshake' in r) return { version, support: 'yes', cipher: r.handshake.cipher };
  if ('open' in r) return { version, support: 'unknown', reason: `could not reach TLS (${r.open.stage}): ${r.open.error}` };
  return { version, ...classifyVersionFailure(r.failure) };
}

async function attempt(net: NetClient, p: TlsProbeParams, params: TlsParams): Promise<Attempt> {
  const opened = await p.opener(net, { host: p.host, port: p.port, timeoutMs: p.timeoutMs, heloName: p.heloName });
  if (!opened.ok) return { open: opened };
  const r = await net.upgradeTls(opened.socket, params);
  // Close through the TLS socket: destroying the raw socket under a live TLSSocket
  // crashes Node 20 with SIGSEGV (seen here; test/tls-probe.test.ts would die).
  if (!r.ok) {
    opened.socket.destroy(); // net.ts already destroyed the TLS layer
    return { failure: failureOf(r) };
  }
  r.socket.destroy();
  const pinnedVersion = params.minVersion && params.minVersion === params.maxVersion ? (params.minVersion as TlsVersion) : undefined;
  const eph = (r.ephemeral ?? {}) as Partial<tls.EphemeralKeyInfo>;
  const keyExchange = eph.type ? [eph.type, eph.name, eph.size ? `${eph.size} bits` : ''].filter(Boolean).join(' ') : undefined;
  return {
    handshake: {
      protocol: r.protocol, cipher: r.cipher.name, cipherStandardName: (r.cipher as { standardName?: string }).standardName,
      keyExchange, forwardSecrecy: r.protocol === 'TLSv1.3' || eph.type === 'ECDH' || eph.type === 'DH' || /^(ECDHE|DHE|EDH)-/.test(r.cipher.name),
      chain: chainOf(r.peer), ...chainTrust(r.authorized, r.authorizationError), ms: r.ms,
      ...(pinnedVersion ? { pinned: pinnedVersion } : {}),
    },
  };
}

/**
 * Chain trust without the host name. Node checks the name (checkServerIdentity) only after
 * the chain verified, and reports a mismatch as ERR_TLS_CERT_ALTNAME_INVALID in place of
 * success; the name is judged separately (cert.name-*), so that error means "chain ok".
 */
function chainTrust(authorized: boolean, error: string | undefined): { authorized: boolean; authorizationError?: string } {
  if (authorized || error === 'ERR_TLS_CERT_ALTNAME_INVALID') return { authorized: true };
  return { authorized: false, ...(error ? { authorizationError: error } : {}) };
}

export function failureOf(f: NetFailure): HandshakeFailure {
  const code = /^([A-Z][A-Z0-9_]+):/.exec(f.error)?.[1];
  return { kind: f.kind, ...(code ? { code } : {}), error: f.error.split('\n')[0]!.slice(0, 300), ms: f.ms };
}

/** Follow issuerCertificate links (the root links to itself) into X509Certificate objects. */
export function chainOf(peer: tls.DetailedPeerCertificate | undefined): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c = peer; c?.raw && out.length < 10; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    try {
      out.push(new X509Certificate(c.raw));
    } catch {
      break;
    }
  }
  return out;
}
