// An in-memory mail store served by a small scripted IMAP4rev1 server: enough of RFC 9051
// for imapflow (CAPABILITY, ID, LOGIN, AUTHENTICATE PLAIN, NAMESPACE, LIST with special-use,
// SELECT/EXAMINE, UID SEARCH HEADER, UID FETCH, UID STORE, (UID) EXPUNGE, NOOP, LOGOUT).
// Loopback only; messages can be made visible later (by a clock) to script slow delivery.
import net from 'node:net';
import tls from 'node:tls';
import type { Clock } from '../../src/io/clock.js';

export interface StoredMessage { uid: number; raw: Buffer; internalDate: Date; flags: Set<string>; visibleAt: number }
export interface StoreFolder { name: string; specialUse?: string; noselect?: boolean; uidValidity: number; uidNext: number; messages: StoredMessage[] }

export class MailStore {
  readonly folders = new Map<string, StoreFolder>();
  constructor(readonly clock: Clock, folders: { name: string; specialUse?: string; noselect?: boolean }[] = DEFAULT_FOLDERS) {
    for (const f of folders) this.folders.set(f.name, { ...f, uidValidity: 1700000000, uidNext: 1, messages: [] });
  }

  /** Store a message; it shows up `delayMs` later on the store's clock (INTERNALDATE then). */
  deliver(folder: string, raw: Buffer, delayMs = 0): StoredMessage {
    const f = this.folders.get(folder);
    if (!f) throw new Error(`no folder ${folder}`);
    const at = this.clock.now() + delayMs;
    const m: StoredMessage = { uid: f.uidNext++, raw, internalDate: new Date(at), flags: new Set(), visibleAt: at };
    f.messages.push(m);
    return m;
  }

  visible(f: StoreFolder): StoredMessage[] {
    const now = this.clock.now();
    return f.messages.filter((m) => m.visibleAt <= now);
  }

  count(): number {
    return [...this.folders.values()].reduce((n, f) => n + f.messages.length, 0);
  }
}

export const DEFAULT_FOLDERS = [
  { name: 'INBOX' }, { name: 'Archive', specialUse: '\\Archive' }, { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Sent', specialUse: '\\Sent' }, { name: 'Lists', noselect: true }, { name: 'Lists/Rust' },
];

export interface ImapServerOptions {
  user: string;
  password: string;
  tls?: { key: string | Buffer; cert: string | Buffer };
  uidplus?: boolean;
  specialUse?: boolean;
  /** Every command line received (LOGIN arguments included: tests only). */
  log?: string[];
  /** Never answer SEARCH (a stuck server). */
  hangOnSearch?: boolean;
  /** Refuse STORE (an account that may not change flags). */
  refuseStore?: boolean;
}

export interface ScriptedImap { port: number; close(): Promise<void> }

export async function startImapServer(store: MailStore, o: ImapServerOptions): Promise<ScriptedImap> {
  const sockets = new Set<net.Socket>();
  const handler = (socket: net.Socket) => {
    sockets.add(socket);
    // Replies go out in several writes: without this, Nagle + delayed ACK cost 40 ms a command.
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serve(socket, store, o);
  };
  const server = o.tls ? tls.createServer({ key: o.tls.key, cert: o.tls.cert }, handler) : net.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Tokens of a command line: atoms, "quoted strings", (lists) kept as text. Literals were inlined as quoted strings. */
export function tokens(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\((?:[^()]|\([^()]*\))*\))|(\S+)/g;
  for (const m of s.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3])!);
  return out;
}

function serve(socket: net.Socket, store: MailStore, o: ImapServerOptions): void {
  const caps = ['IMAP4rev1', 'ID', 'NAMESPACE', 'ENABLE', 'AUTH=PLAIN', 'SASL-IR', ...(o.uidplus === false ? [] : ['UIDPLUS']), ...(o.specialUse === false ? [] : ['SPECIAL-USE'])];
  let buf = Buffer.alloc(0);
  let pending: { need: number; prefix: string } | undefined;
  let saslTag: string | undefined;
  let selected: StoreFolder | undefined;
  let authed = false;
  const send = (s: string | Buffer) => { if (!socket.destroyed) socket.write(s); };
  const line = (s: string) => send(`${s}\r\n`);
  send(`* OK [CAPABILITY ${caps.join(' ')}] scripted IMAP ready\r\n`);

  const auth = (tag: string, user: string, pass: string) => {
    if (user === o.user && pass === o.password) { authed = true; line(`${tag} OK [CAPABILITY ${caps.join(' ')}] Logged in`); }
    else line(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`);
  };

  const command = (text: string) => {
    o.log?.push(text);
    if (saslTag) {
      const tag = saslTag;
      saslTag = undefined;
      const [, u = '', p = ''] = Buffer.from(text.trim(), 'base64').toString().split('\0');
      return auth(tag, u, p);
    }
    const [tag = '*', rawCmd = '', ...args] = tokens(text);
    let cmd = rawCmd.toUpperCase();
    let uid = false;
    if (cmd === 'UID') { uid = true; cmd = (args.shift() ?? '').toUpperCase(); }
    if (!authed && !['CAPABILITY', 'ID', 'LOGIN', 'AUTHENTICATE', 'NOOP', 'LOGOUT'].includes(cmd)) return line(`${tag} BAD not logged in`);
    switch (cmd) {
      case 'CAPABILITY': line(`* CAPABILITY ${caps.join(' ')}`); return line(`${tag} OK done`);
      case 'ID': line('* ID ("name" "scripted")'); return line(`${tag} OK done`);
      case 'NOOP': return line(`${tag} OK done`);
      case 'ENABLE': line('* ENABLED'); return line(`${tag} OK done`);
      case 'LOGIN': return auth(tag, args[0] ?? '', args[1] ?? '');
      case 'AUTHENTICATE': {
        if ((args[0] ?? '').toUpperCase() !== 'PLAIN') return line(`${tag} NO unsupported mechanism`);
        if (args[1]) { const [, u = '', p = ''] = Buffer.from(args[1], 'base64').toString().split('\0'); return auth(tag, u, p); }
        saslTag = tag;
        return line('+ ');
      }
      case 'NAMESPACE': line('* NAMESPACE (("" "/")) NIL NIL'); return line(`${tag} OK done`);
      case 'LIST': case 'LSUB': {
        for (const f of store.folders.values()) {
          const flags = [...(f.noselect ? ['\\Noselect'] : []), ...(o.specialUse !== false && f.specialUse ? [f.specialUse] : []), '\\HasNoChildren'];
          line(`* ${cmd} (${flags.join(' ')}) "/" "${f.name}"`);
        }
        return line(`${tag} OK done`);
      }
      case 'SELECT': case 'EXAMINE': {
        const f = store.folders.get(args[0] === 'inbox' ? 'INBOX' : args[0] ?? '');
        if (!f || f.noselect) { selected = undefined; return line(`${tag} NO [NONEXISTENT] no such mailbox`); }
        selected = f;
        const msgs = store.visible(f);
        line('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
        line('* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] ok');
        line(`* ${msgs.length} EXISTS`);
        line(`* OK [UIDVALIDITY ${f.uidValidity}] ok`);
        line(`* OK [UIDNEXT ${f.uidNext}] ok`);
        return line(`${tag} OK [${cmd === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] done`);
      }
      case 'CLOSE': case 'UNSELECT': selected = undefined; return line(`${tag} OK done`);
      case 'LOGOUT': line('* BYE bye'); line(`${tag} OK done`); socket.end(); return;
      default: break;
    }
    if (!selected) return line(`${tag} BAD no mailbox selected`);
    const msgs = store.visible(selected);
    const pick = (set: string) => msgs.filter((m, i) => inSet(set, uid ? m.uid : i + 1));
    switch (cmd) {
      case 'SEARCH': {
        if (o.hangOnSearch) return;
        const h = args.findIndex((a) => a.toUpperCase() === 'HEADER');
        const [name = '', value = ''] = h >= 0 ? [args[h + 1], args[h + 2]] : [];
        const hits = msgs.filter((m) => headerHas(m.raw, name, value)).map((m) => (uid ? m.uid : msgs.indexOf(m) + 1));
        line(`* SEARCH${hits.map((n) => ` ${n}`).join('')}`);
        return line(`${tag} OK done`);
      }
      case 'FETCH': {
        for (const m of pick(args[0] ?? '')) {
          const head = `* ${msgs.indexOf(m) + 1} FETCH (UID ${m.uid} FLAGS (${[...m.flags].join(' ')}) INTERNALDATE "${imapDate(m.internalDate)}" BODY[] {${m.raw.length}}\r\n`;
          send(Buffer.concat([Buffer.from(head), m.raw, Buffer.from(')\r\n')]));
        }
        return line(`${tag} OK done`);
      }
      case 'STORE': {
        if (o.refuseStore) return line(`${tag} NO [NOPERM] Permission denied`);
        const silent = /SILENT/i.test(args[1] ?? '');
        const flags = (args[2] ?? '').replace(/[()]/g, '').split(/\s+/).filter(Boolean);
        for (const m of pick(args[0] ?? '')) {
          for (const f of flags) (args[1]?.startsWith('-') ? m.flags.delete(f) : m.flags.add(f));
          if (!silent) line(`* ${msgs.indexOf(m) + 1} FETCH (UID ${m.uid} FLAGS (${[...m.flags].join(' ')}))`);
        }
        return line(`${tag} OK done`);
      }
      case 'EXPUNGE': {
        if (uid && o.uidplus === false) return line(`${tag} BAD UID EXPUNGE needs UIDPLUS`);
        const gone = msgs.filter((m) => m.flags.has('\\Deleted') && (!uid || inSet(args[0] ?? '', m.uid)));
        for (const m of [...gone].reverse()) line(`* ${msgs.indexOf(m) + 1} EXPUNGE`);
        selected.messages = selected.messages.filter((m) => !gone.includes(m));
        return line(`${tag} OK done`);
      }
      default: return line(`${tag} BAD unknown command ${cmd}`);
    }
  };

  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (pending) {
        if (buf.length < pending.need) return;
        const literal = buf.subarray(0, pending.need).toString('latin1');
        buf = buf.subarray(pending.need);
        const prefix = `${pending.prefix}"${literal.replace(/(["\\])/g, '\\$1')}"`;
        pending = undefined;
        buf = Buffer.concat([Buffer.from(prefix, 'latin1'), buf]);
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const l = buf.subarray(0, eol).toString('latin1');
      buf = buf.subarray(eol + 2);
      const lit = /\{(\d+)(\+?)\}$/.exec(l);
      if (lit) {
        pending = { need: Number(lit[1]), prefix: l.slice(0, lit.index) };
        if (!lit[2]) line('+ go ahead');
        continue;
      }
      command(l);
    }
  });
}

function inSet(set: string, n: number): boolean {
  return set.split(',').some((part) => {
    const [a, b] = part.split(':');
    const lo = a === '*' ? Infinity : Number(a);
    const hi = b === undefined ? lo : b === '*' ? Infinity : Number(b);
    return n >= Math.min(lo, hi) && n <= Math.max(lo, hi);
  });
}

function headerHas(raw: Buffer, name: string, value: string): boolean {
  const head = raw.toString('latin1').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}:(.*)$`, 'im');
  const m = re.exec(head);
  return !!m && m[1]!.toLowerCase().includes(value.toLowerCase());
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function imapDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${MON[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
