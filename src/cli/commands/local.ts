// `mxdoctor check --local`: flags → the local-host service → the queue table and the report.
import type { QueueFacts } from '../../host/queue-facts.js';
import { renderQueue } from '../../report/queue-text.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { localReport, type LocalOptions } from '../../services/local.js';
import { systemHostIo, type HostIo } from '../../services/queue.js';
import { useColor, write } from '../output.js';

export interface LocalCommandOptions extends LocalOptions {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export async function localCommand(o: LocalCommandOptions, io: HostIo = systemHostIo()): Promise<number> {
  const report = await localReport(o, io);
  if (o.json) write(renderJson([report]));
  else {
    const color = useColor(o);
    const q = report.facts?.queue as QueueFacts | undefined;
    write(`${q ? `${renderQueue(q, { color })}\n` : ''}${renderText([report], { color, verbose: o.verbose })}`);
  }
  return report.exitCode;
}
