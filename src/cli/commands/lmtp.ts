// `mxdoctor lmtp <host:port>`: greeting and LHLO of an LMTP delivery agent (RFC 2033).
import { lmtpHostCheck } from '../../checks/server/lmtp.js';
import { parseHostTarget, runHostCommand } from '../host-target.js';
import type { HostCommandOptions } from '../host-target.js';

export async function lmtpCommand(inputs: string[], o: HostCommandOptions): Promise<number> {
  return runHostCommand(inputs.map((i) => parseHostTarget(i, true)), lmtpHostCheck, o);
}
