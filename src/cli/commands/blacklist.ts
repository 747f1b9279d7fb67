// `mxdoctor blacklist <ip|host|domain>`: flags → the blacklist service → the report.
import { UsageError } from '../../core/errors.js';
import { blacklistTarget, checkBlacklists } from '../../services/blacklist.js';
import { renderJson, worstExit } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { useColor, write } from '../output.js';
import type { CheckCommandOptions } from './check.js';

export { blacklistTarget };

export async function blacklistCommand(inputs: string[], o: CheckCommandOptions): Promise<number> {
  if (!inputs.length) throw new UsageError('give an address or name, e.g. `mxdoctor blacklist 192.0.2.1` or `mxdoctor blacklist example.com`');
  const reports = await checkBlacklists(inputs.map(blacklistTarget), o);
  write(o.json ? renderJson(reports) : renderText(reports, { color: useColor(o), verbose: o.verbose }));
  return worstExit(reports);
}
