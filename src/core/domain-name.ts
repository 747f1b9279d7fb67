// Turning what a user typed into a DNS name we can query, or a clear error.
import { domainToASCII } from 'node:url';
import net from 'node:net';
import { UsageError } from './errors.js';

/** Lower-case A-label form without the trailing dot; throws UsageError naming the problem. */
export function normalizeDomain(input: string): string {
  const raw = input.trim().replace(/\.$/, '');
  if (!raw) throw new UsageError('empty domain name: give a domain such as example.com');
  if (net.isIP(raw)) throw new UsageError(`${raw} is an IP address; give the mail domain (the part after @)`);
  if (raw.includes('@')) throw new UsageError(`${input} looks like an e-mail address; give only the domain after @`);
  const ascii = /^[\x00-\x7f]*$/.test(raw) ? raw.toLowerCase() : domainToASCII(raw);
  const problem = domainProblem(ascii);
  if (problem) throw new UsageError(`invalid domain name "${input}": ${problem}`);
  return ascii;
}

/** Why a name is not a valid DNS host name (RFC 1035 §2.3.4, RFC 1123 §2.1), or undefined. Underscores are allowed for service labels. */
export function domainProblem(name: string): string | undefined {
  if (!name) return 'it is empty (or not convertible to an IDNA A-label)';
  if (name.length > 253) return `it is ${name.length} characters long; the limit is 253`;
  // Name the character a user most likely typed by mistake before judging labels.
  if (/\s/.test(name)) return 'it contains a space (or other white space); a name has none';
  const odd = /[^a-z0-9_.-]/i.exec(name);
  if (odd) return `it contains "${odd[0]}"; a name has only letters, digits, hyphens, underscores and dots`;
  const labels = name.split('.');
  if (labels.length < 2) return 'it has a single label; give a full domain such as example.com';
  for (const l of labels) {
    if (!l) return 'it has an empty label (two dots in a row)';
    if (l.length > 63) return `label "${l.slice(0, 20)}…" is ${l.length} characters; the limit is 63`;
    if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i.test(l)) return `label "${l}" has characters other than letters, digits, hyphen and underscore, or starts/ends with a hyphen`;
  }
  return undefined;
}
