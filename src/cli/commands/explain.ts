// `mxdoctor explain <text...>`: the knowledge base on one reply code, enhanced code,
// reply or log line. Exit 0 when something was recognised, 3 when nothing was.
import { explain, type Explanation } from '../../knowledge/explain.js';
import { EXIT_USAGE, UsageError } from '../../core/errors.js';
import { write, writeErr } from '../output.js';

/** Enough for any reply or log line; explain() itself looks at the first 16 KiB. */
const MAX_STDIN = 1 << 20;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length >= MAX_STDIN) break;
  }
  return text;
}

function block(label: string, head: string, lines: string[]): string {
  const pad = ' '.repeat(16);
  return `${label.padEnd(16)}${head}\n${lines.map((l) => `${pad}${l}\n`).join('')}`;
}

export function renderExplanation(e: Explanation): string {
  let out = `${e.summary}\n\n`;
  if (e.replyCode) out += block('Reply code', `${e.replyCode.code}  ${e.replyCode.title}`, [e.replyCode.meaning, `(${e.replyCode.source})`]);
  if (e.enhancedCode) out += block('Enhanced code', `${e.enhancedCode.code}  ${e.enhancedCode.title}`, [e.enhancedCode.meaning, `(${e.enhancedCode.source})`]);
  for (const m of e.messages) out += block('Matched', `${m.key}  ${m.title}`, [m.meaning, `(${m.source})`]);
  if (e.text) out += block('Server said', e.text, []);
  if (e.command) out += block('In reply to', e.command, []);
  if (e.delivery) out += block('Log status', e.delivery, []);
  const retry = e.willRetry === undefined ? 'cannot tell' : e.willRetry ? 'yes' : 'no';
  out += `\nWill be retried: ${retry}\n`;
  if (e.causes.length) out += `\nLikely causes:\n${e.causes.map((c, i) => `  ${i + 1}. ${c}\n`).join('')}`;
  if (e.fixes.length) out += `\nWhat to do:\n${e.fixes.map((f) => `  - ${f}\n`).join('')}`;
  if (e.notes.length) out += `\nNotes:\n${e.notes.map((n) => `  - ${n}\n`).join('')}`;
  return out;
}

export async function explainCommand(args: string[], flags: { json?: boolean }): Promise<number> {
  const text = args.length === 1 && args[0] === '-' ? await readStdin() : args.join(' ');
  if (!text.trim()) throw new UsageError('explain: give a reply code, enhanced code, reply text or log line (or - to read stdin)');
  const e = explain(text);
  if (flags.json) write(`${JSON.stringify(e, null, 2)}\n`);
  else if (e.recognised) write(renderExplanation(e));
  if (!e.recognised) {
    writeErr(`mxdoctor: explain: ${e.summary.replace(/^Not recognised/, 'not recognised')}\n`);
    return EXIT_USAGE;
  }
  return 0;
}
