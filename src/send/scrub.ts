// The last line of defence for rule 7: no form of the password leaves a send, even when a
// hostile server echoes what it received into a reply that ends up in a finding.
import type { SubmitResult } from './types.js';

/** Replace every occurrence of the password (plain and in the base64 forms AUTH sends) in every string. */
export function scrubSecrets(result: SubmitResult, cred: { user: string; password: string }): SubmitResult {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const secrets = [b64(`\0${cred.user}\0${cred.password}`), b64(cred.password)];
  // A very short password would blank out ordinary text; its base64 forms are still caught.
  if (cred.password.length >= 4) secrets.push(cred.password);
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((s, x) => (x && s.includes(x) ? s.split(x).join('<redacted>') : s), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(result) as SubmitResult;
}
