// "Your network blocks outbound port 25", told apart from "the servers are down": when
// every port-25 connection timed out, try the same addresses on other mail ports. Any
// answer there (even a refusal, which is a TCP reset from the host) proves the hosts are
// up and reachable, so the silence on 25 is most likely a filter on this side
// (ISPs and clouds block outbound 25 by default; research §4 item 11).
import type { CheckContext } from '../../core/check.js';

export interface EgressEvidence {
  /** address:port pairs that answered. */
  answered: string[];
  tried: string[];
}

export async function otherPortsAnswer(ctx: CheckContext, addresses: string[]): Promise<EgressEvidence> {
  const { ports } = ctx.options;
  const others = [...new Set([ports.submission, ports.submissions, ports.imaps])].filter((p) => p !== ports.smtp);
  const tried: string[] = [];
  const answered: string[] = [];
  await Promise.all([...new Set(addresses)].flatMap((address) => others.map(async (port) => {
    const label = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    tried.push(label);
    const c = await ctx.net.connect(address, port, ctx.options.stepTimeoutMs);
    if (c.ok) c.socket.destroy();
    if (c.ok || c.kind === 'refused') answered.push(label);
  })));
  return { answered: answered.sort(), tried: tried.sort() };
}
