// `mxdoctor queue`: flags → the queue service → the queue table and the report.
import type { QueueFacts } from '../../host/queue-facts.js';
import { renderQueue } from '../../report/queue-text.js';
import { renderJson } from '../../report/json.js';
import { renderText } from '../../report/text.js';
import { queueReport, systemHostIo, type HostIo, type QueueOptions } from '../../services/queue.js';
import { useColor, write } from '../output.js';

export interface QueueCommandOptions extends QueueOptions {
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export async function queueCommand(o: QueueCommandOptions, io: HostIo = systemHostIo()): Promise<number> {
  const report = await queueReport(o, io);
  if (o.json) write(renderJson([report]));
  else {
    const color = useColor(o);
    const f = report.facts?.queue as QueueFacts;
    write(`${f.mta ? renderQueue(f, { color }) : ''}\n${renderText([report], { color, verbose: o.verbose })}`);
  }
  return report.exitCode;
}
