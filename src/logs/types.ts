// The shapes shared by the log readers, parsers and accumulators. Parsers are pure:
// one message text in, one LogEvent (or null) out; the header is parsed once per line.

/** One line's envelope, filled in place by parseHeader() (reused: no allocation per line). */
export interface Header {
  /** Wall-clock time as written in the log, as seconds since 1970 read as UTC (see docs/logs.md). */
  ts: number;
  host: string;
  /** Whole syslog tag before "[pid]": "postfix/submission/smtpd", "dovecot", "exim". */
  program: string;
  /** Last path component of program: "smtpd". */
  daemon: string;
  /** First path component: "postfix", "postfix-mx", "dovecot". */
  syslogName: string;
  pid: string;
  /** The message after "tag: ". */
  msg: string;
  format: TimeFormat;
}

export type TimeFormat = 'rfc3164' | 'rfc3339' | 'rfc5424' | 'journald-json' | 'exim' | 'dovecot';

export type RejectKind = 'reject' | 'reject_warning' | 'hold' | 'discard' | 'milter-reject';

export type DeliveryStatus = 'sent' | 'deferred' | 'bounced' | 'expired' | 'forwarded';

/** A recognised log event. `qid` is the Postfix queue id or the Exim message id. */
export type LogEvent =
  | { k: 'received'; qid: string; client: string; ip: string; sasl?: string }
  | { k: 'pickup'; qid: string; sender: string }
  | { k: 'msgid'; qid: string; messageId: string }
  | { k: 'queued'; qid: string; from: string; size: number; nrcpt: number }
  | { k: 'arrival'; qid: string; from: string; size: number; client: string; ip: string; messageId: string; parent: string }
  | { k: 'delivery'; qid: string; to: string; origTo: string; relay: string; delay: number; delays: string; dsn: string; status: DeliveryStatus; reply: string; mta: 'postfix' | 'exim' }
  | { k: 'notice'; qid: string; bounceQid: string }
  | { k: 'expired'; qid: string; from: string }
  | { k: 'removed'; qid: string }
  | { k: 'reject'; qid: string; kind: RejectKind; stage: string; client: string; ip: string; code: string; enhanced: string; reason: string; from: string; to: string }
  | { k: 'said'; qid: string; text: string }
  | { k: 'sasl-fail'; ip: string; client: string; method: string; user: string; service: string }
  | { k: 'login'; service: string; user: string; ip: string }
  | { k: 'auth-fail'; service: string; user: string; ip: string; text: string }
  | { k: 'quota'; user: string; text: string }
  | { k: 'tls'; dir: 'in' | 'out'; trust: string; protocol: string; cipher: string; peer: string }
  | { k: 'connect'; ip: string }
  | { k: 'disconnect'; ip: string }
  | { k: 'lost'; stage: string; ip: string }
  | { k: 'conn-fail'; qid: string; host: string; text: string }
  | { k: 'postscreen'; action: string; ip: string; rank?: number }
  | { k: 'problem'; level: 'warning' | 'error' | 'fatal' | 'panic'; text: string }
  | { k: 'other' };

export type EventKind = LogEvent['k'];
