// A small RFC 1035 §5 master-file reader for the lab: $ORIGIN, $TTL, @, relative
// names, omitted owners, quoted strings, parentheses. The same files feed the
// in-process DNS server and the real-server suite (Knot/NSD), so fixtures agree.

export interface ZoneRecord {
  name: string;
  type: string;
  ttl: number;
  /** Rdata in dns-packet's shape. */
  data: any;
}

export class ZoneSyntaxError extends Error {}

export function parseZone(text: string, defaultOrigin = '.'): ZoneRecord[] {
  let origin = fqdn(defaultOrigin, '.');
  let ttl = 3600;
  let lastOwner = origin;
  const out: ZoneRecord[] = [];
  for (const { tokens, line, leadingSpace } of logicalLines(text)) {
    if (!tokens.length) continue;
    const first = tokens[0]!;
    if (first === '$ORIGIN') { origin = fqdn(tokens[1] ?? '.', '.'); continue; }
    if (first === '$TTL') { ttl = Number(tokens[1]); continue; }
    let i = 0;
    let owner = lastOwner;
    if (!leadingSpace) { owner = fqdn(first, origin); i = 1; }
    let rrTtl = ttl;
    // [ttl] [class] type, in either order (RFC 1035 §5.1)
    for (let k = 0; k < 2; k++) {
      const t = tokens[i];
      if (t !== undefined && /^\d+$/.test(t)) { rrTtl = Number(t); i++; }
      else if (t !== undefined && /^(IN|CH|HS)$/i.test(t)) i++;
    }
    const type = tokens[i++]?.toUpperCase();
    if (!type) throw new ZoneSyntaxError(`line ${line}: missing record type`);
    lastOwner = owner;
    out.push({ name: strip(owner), type, ttl: rrTtl, data: rdata(type, tokens.slice(i), origin, line) });
  }
  return out;
}

function rdata(type: string, t: string[], origin: string, line: number): any {
  const n = (k: number) => {
    const v = Number(t[k]);
    if (!Number.isFinite(v)) throw new ZoneSyntaxError(`line ${line}: ${type} expects a number at field ${k + 1}`);
    return v;
  };
  const name = (k: number) => strip(fqdn(need(t, k, type, line), origin));
  switch (type) {
    case 'A': case 'AAAA': return need(t, 0, type, line);
    case 'NS': case 'CNAME': case 'PTR': return name(0);
    case 'MX': return { preference: n(0), exchange: t[1] === '.' ? '' : name(1) };
    case 'TXT': case 'SPF': return t.map(unquote);
    case 'SRV': return { priority: n(0), weight: n(1), port: n(2), target: name(3) };
    case 'SOA': return { mname: name(0), rname: name(1), serial: n(2), refresh: n(3), retry: n(4), expire: n(5), minimum: n(6) };
    case 'TLSA': return { usage: n(0), selector: n(1), matchingType: n(2), certificate: Buffer.from(t.slice(3).join(''), 'hex') };
    case 'DS': return { keyTag: n(0), algorithm: n(1), digestType: n(2), digest: Buffer.from(t.slice(3).join(''), 'hex') };
    case 'CAA': return { flags: n(0), tag: need(t, 1, type, line), value: unquote(need(t, 2, type, line)) };
    case 'DNSKEY': return { flags: n(0), algorithm: n(2), key: Buffer.from(t.slice(3).join(''), 'base64') };
    default: throw new ZoneSyntaxError(`line ${line}: record type ${type} is not supported by the lab`);
  }
}

function need(t: string[], k: number, type: string, line: number): string {
  const v = t[k];
  if (v === undefined) throw new ZoneSyntaxError(`line ${line}: ${type} record is missing field ${k + 1}`);
  return v;
}

function fqdn(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return name.toLowerCase();
  return `${name}.${origin === '.' ? '' : origin}`.toLowerCase();
}

function strip(name: string): string {
  return name === '.' ? '' : name.replace(/\.$/, '');
}

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  return s.slice(1, -1).replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e));
}

/** Split into logical lines (parentheses join lines), tokens keep their quotes. */
function* logicalLines(text: string): Generator<{ tokens: string[]; line: number; leadingSpace: boolean }> {
  const lines = text.split(/\r?\n/);
  let tokens: string[] = [];
  let depth = 0;
  let startLine = 0;
  let leadingSpace = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const src = lines[ln]!;
    if (depth === 0) { tokens = []; startLine = ln + 1; leadingSpace = /^[ \t]/.test(src); }
    let i = 0;
    while (i < src.length) {
      const c = src[i]!;
      if (c === ';') break;
      if (c === ' ' || c === '\t') { i++; continue; }
      if (c === '(') { depth++; i++; continue; }
      if (c === ')') { depth = Math.max(0, depth - 1); i++; continue; }
      if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
        tokens.push(src.slice(i, j + 1));
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < src.length && !' \t;()"'.includes(src[j]!)) j++;
      tokens.push(src.slice(i, j));
      i = j;
    }
    if (depth === 0) yield { tokens, line: startLine, leadingSpace };
  }
  if (depth !== 0) throw new ZoneSyntaxError(`line ${startLine}: unbalanced parentheses`);
}
