// The Received chain of a delivered copy, oldest hop first, with per-hop delays, and the
// hop the receiving side's edge (its MX) added: where SPF's client IP and HELO come from.
import { isLoopback } from '../io/net.js';
import { parseReceived } from './received.js';
import type { ReceivedHop } from './received.js';

export interface ChainHop extends ReceivedHop {
  /** 1 = the oldest hop (the first server that took the message). */
  hop: number;
  /** Seconds since the previous hop's date; negative means the two clocks disagree. */
  delaySeconds?: number;
  /** Internal handoff (LMTP, local, a loopback content filter): not judged for TLS. */
  internal: boolean;
}

export const MAX_HOPS = 50;

/** Received values in header order (newest first, RFC 5321 §4.4) → hops oldest first. */
export function receivedChain(values: string[]): ChainHop[] {
  const hops = values.slice(0, MAX_HOPS).map(parseReceived).reverse();
  let previous: number | undefined;
  return hops.map((h, i) => {
    const t = h.date ? Date.parse(h.date) : undefined;
    const out: ChainHop = { ...h, hop: i + 1, internal: isInternal(h) };
    if (t !== undefined && previous !== undefined) out.delaySeconds = Math.round((t - previous) / 100) / 10;
    if (t !== undefined) previous = t;
    return out;
  });
}

function isInternal(h: ReceivedHop): boolean {
  const proto = h.with?.split(' ')[0]?.toUpperCase() ?? '';
  if (/LMTP/.test(proto) || proto === 'LOCAL' || !h.from) return true;
  // An unauthenticated loopback hop is a content filter's reinjection (amavis on
  // 127.0.0.1:10025); an authenticated one is a submission from this host (webmail).
  return !!h.fromIp && isLoopback(h.fromIp) && !h.authenticated;
}

/**
 * The hop the receiving server's edge wrote: the newest hop that came in over the network
 * (not LMTP, not local pickup, not a loopback content-filter reinjection). That hop's client
 * is who SPF judges (RFC 7208 §2.4). Undefined when no such hop is recorded.
 */
export function edgeHop(chain: ChainHop[]): ChainHop | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const h = chain[i]!;
    if (!h.internal && h.fromIp) return h;
  }
  return undefined;
}

/** Hops between two machines the chain says were not encrypted (loopback is not a network). */
export function hopsWithoutTls(chain: ChainHop[]): ChainHop[] {
  return chain.filter((h) => !h.internal && h.tls === 'no' && !(h.fromIp && isLoopback(h.fromIp)));
}
