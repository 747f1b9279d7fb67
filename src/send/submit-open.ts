// Opening a submission session: the server's addresses (through the injected resolver,
// tried in turn as MTAs do), the TCP connection, and the TLS handshake (implicit on 465,
// or after the STARTTLS 220) checked against the system store plus --ca.
import net from 'node:net';
import { SmtpSession } from '../probes/smtp/session.js';
import { fail } from './submit-run.js';
import type { Run, State } from './submit-run.js';

/** Addresses tried in turn when a name has several (as MTAs do), at most. */
const MAX_ADDRESSES = 4;

export async function connect(run: Run): Promise<State> {
  const { req, r } = run;
  const addresses = await addressesOf(run);
  if (!addresses) return 'done';
  for (const address of addresses) {
    run.transcript.event(`connecting to ${address} port ${req.port}`);
    const c = await run.net.connect(address, req.port, run.timeoutMs);
    r.steps.push({ step: 'connect', ms: c.ms });
    if (!c.ok) {
      // The last address's failure is the one reported; the others are in the transcript.
      delete r.failure;
      fail(run, { step: 'connect', kind: c.kind, error: `${address} port ${req.port}: ${c.error}` });
      continue;
    }
    delete r.failure;
    r.address = address;
    run.session = new SmtpSession(c.socket, run.transcript);
    // RFC 8314 §3: on 465 TLS starts at once; the greeting comes inside TLS.
    // Before the greeting there is no polite way out: an untrusted certificate just closes.
    if (req.security === 'implicit' && !(await handshake(run))) return 'done';
    if (req.quitAfter === 'connect') {
      r.quitAfter = 'connect';
      run.transcript.event('--quit-after connect: closing before the greeting');
      return 'done';
    }
    return 'greeting';
  }
  return 'done';
}

async function addressesOf(run: Run): Promise<string[] | undefined> {
  const { host } = run.req;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare) || !run.resolve || bare === 'localhost') return [bare];
  const t0 = performance.now();
  try {
    const found = await run.resolve(bare);
    run.transcript.event(`${bare}: ${found.length ? found.join(', ') : 'no addresses'} (${Math.round(performance.now() - t0)} ms)`);
    if (found.length) return found.slice(0, MAX_ADDRESSES);
    fail(run, { step: 'connect', kind: 'no-address', error: `${bare} has no A or AAAA record` });
  } catch (e) {
    fail(run, { step: 'connect', kind: 'lookup', error: `could not look up ${bare}: ${(e as Error).message}` });
  }
  return undefined;
}

/** TLS on the connected socket (implicit, or after the STARTTLS 220). False when the session cannot go on. */
export async function handshake(run: Run): Promise<boolean> {
  const { req, r } = run;
  const h = await run.session!.upgrade(run.net, req.servername ?? req.host.replace(/^\[(.*)\]$/, '$1'), run.timeoutMs, req.ca?.length ? { ca: req.ca.map((b) => b.toString('utf8')) } : {});
  r.steps.push({ step: 'tls', ms: h.ms });
  if (!h.ok) {
    fail(run, { step: 'tls', kind: h.kind === 'timeout' ? 'timeout' : 'tls', error: h.error });
    return false;
  }
  run.tls = true;
  r.tls = {
    ...(h.protocol ? { protocol: h.protocol } : {}), ...(h.cipher?.name ? { cipher: h.cipher.name } : {}),
    authorized: h.authorized, ...(h.authorizationError ? { authorizationError: h.authorizationError } : {}),
  };
  if (!h.authorized) {
    run.transcript.event(`certificate not trusted: ${h.authorizationError ?? 'unknown reason'}${req.tlsVerify ? '' : ' (going on: see send.cert-untrusted)'}`);
    if (req.tlsVerify) {
      fail(run, { step: 'tls', kind: 'untrusted', error: h.authorizationError ?? 'certificate not trusted' });
      return false;
    }
  }
  return true;
}
