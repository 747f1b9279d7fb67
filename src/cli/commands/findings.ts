// `mxdoctor findings`: the catalogue of finding ids, from the same registry the runner uses.
import { allFindingDefs, findingsMarkdown } from '../../catalogue.js';
import { write } from '../output.js';

export async function findingsCommand(flags: { json?: boolean; markdown?: boolean }): Promise<number> {
  const defs = allFindingDefs();
  if (flags.json) write(`${JSON.stringify(defs, null, 2)}\n`);
  else if (flags.markdown) write(findingsMarkdown());
  else for (const { family, defs: list } of defs) for (const d of list) write(`${d.id.padEnd(40)} ${d.severity.padEnd(8)} ${d.title}  (${family})\n`);
  return 0;
}
