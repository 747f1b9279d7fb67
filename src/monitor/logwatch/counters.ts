// The log counters of a watched target, as Prometheus counters with postfix_exporter's
// (kumina) names where they overlap (so dashboard 10013 and existing alerts keep working),
// exim_exporter's for Exim, mxdoctor_log_* for the rest. Labels are bounded on purpose:
// reply codes, stages, statuses, services — never an address, a host or a reason text.
import type { Header, LogEvent } from '../../logs/types.js';

export interface CounterDef { help: string; labels: string[] }

export const LOG_COUNTERS = {
  postfix_smtpd_connects_total: { help: 'Connections accepted by smtpd.', labels: [] },
  postfix_smtpd_disconnects_total: { help: 'Disconnections logged by smtpd.', labels: [] },
  postfix_smtpd_connections_lost_total: { help: 'Connections smtpd lost, by the SMTP stage they were lost after.', labels: ['after_stage'] },
  postfix_smtpd_messages_rejected_total: { help: 'Messages or recipients smtpd rejected, by reply code.', labels: ['code'] },
  postfix_smtpd_sasl_authentication_failures_total: { help: 'SMTP AUTH (SASL) failures logged by smtpd.', labels: [] },
  postfix_smtp_messages_processed_total: { help: 'Delivery attempts by the smtp client, by status.', labels: ['status'] },
  postfix_smtp_deferred_messages_total: { help: 'Deliveries the smtp client deferred.', labels: [] },
  postfix_smtp_connection_timed_out_total: { help: 'Outbound SMTP connections that timed out.', labels: [] },
  postfix_qmgr_messages_removed_total: { help: 'Messages removed from the queue (delivered or bounced).', labels: [] },
  postfix_qmgr_messages_expired_total: { help: 'Messages that expired in the queue (maximal_queue_lifetime).', labels: [] },
  postfix_cleanup_messages_processed_total: { help: 'Messages cleanup processed (message-id lines).', labels: [] },
  postfix_bounce_non_delivery_notification_total: { help: 'Non-delivery notifications (bounces) sent.', labels: [] },
  exim_messages_total: { help: 'Exim messages by event: arrived, delivered, deferred, failed.', labels: ['flag'] },
  exim_reject_total: { help: 'Messages or recipients Exim rejected.', labels: [] },
  mxdoctor_log_deliveries_total: { help: 'Delivery results of every delivery agent (smtp, lmtp, local, virtual, Exim), by MTA and status.', labels: ['mta', 'status'] },
  mxdoctor_log_logins_total: { help: 'Successful IMAP/POP3/submission logins (Dovecot), by service.', labels: ['service'] },
  mxdoctor_log_auth_failures_total: { help: 'Failed logins (Dovecot), by service.', labels: ['service'] },
  mxdoctor_log_problems_total: { help: 'warning/error/fatal/panic lines of the mail programs, by level.', labels: ['level'] },
  mxdoctor_log_lines_total: { help: 'Lines read from the watched files: parsed (a mail event), unparsed (a mail program\'s line not understood), foreign (another program) or garbage (no syslog header).', labels: ['result'] },
} satisfies Record<string, CounterDef>;

export type CounterName = keyof typeof LOG_COUNTERS;

/** "name" or "name|label=value|…" (label order as in LOG_COUNTERS): the key of a stored total. */
export function counterKey(name: CounterName, ...values: string[]): string {
  return values.length ? `${name}|${LOG_COUNTERS[name].labels.map((l, i) => `${l}=${values[i]}`).join('|')}` : name;
}

export function parseCounterKey(key: string): { name: CounterName; labels: Record<string, string> } | undefined {
  const [name, ...parts] = key.split('|');
  if (!name || !(name in LOG_COUNTERS)) return undefined;
  const labels: Record<string, string> = {};
  for (const p of parts) {
    const i = p.indexOf('=');
    if (i > 0) labels[p.slice(0, i)] = p.slice(i + 1);
  }
  return { name: name as CounterName, labels };
}

const SERVICES = new Set(['imap', 'pop3', 'submission', 'managesieve', 'lmtp', 'smtp', 'sieve']);
const STATUSES = new Set(['sent', 'deferred', 'bounced', 'expired', 'forwarded']);
// Bounded label values: anything else is "other".
const code = (c: string) => (/^[245]\d\d$/.test(c) ? c : 'other');
const stage = (s: string) => (/^[A-Z][A-Z -]{0,23}$/.test(s) ? s : 'other');
const service = (s: string) => (SERVICES.has(s) ? s : 'other');

export function countEvent(ev: LogEvent, h: Header, inc: (key: string) => void): void {
  switch (ev.k) {
    case 'connect': if (h.daemon === 'smtpd') inc(counterKey('postfix_smtpd_connects_total')); break;
    case 'disconnect': if (h.daemon === 'smtpd') inc(counterKey('postfix_smtpd_disconnects_total')); break;
    case 'lost': inc(counterKey('postfix_smtpd_connections_lost_total', stage(ev.stage))); break;
    case 'reject': if (ev.kind === 'reject' && h.daemon === 'smtpd') inc(counterKey('postfix_smtpd_messages_rejected_total', code(ev.code))); else if (ev.kind === 'reject' && (h.format === 'exim' || h.syslogName.startsWith('exim'))) inc(counterKey('exim_reject_total')); break;
    case 'sasl-fail': inc(counterKey('postfix_smtpd_sasl_authentication_failures_total')); break;
    case 'removed': inc(counterKey('postfix_qmgr_messages_removed_total')); break;
    case 'expired': inc(counterKey('postfix_qmgr_messages_expired_total')); break;
    case 'msgid': if (h.daemon === 'cleanup') inc(counterKey('postfix_cleanup_messages_processed_total')); break;
    case 'notice': inc(counterKey('postfix_bounce_non_delivery_notification_total')); break;
    case 'conn-fail': if (/timed out/i.test(ev.text)) inc(counterKey('postfix_smtp_connection_timed_out_total')); break;
    case 'arrival': inc(counterKey('exim_messages_total', 'arrived')); break;
    case 'login': inc(counterKey('mxdoctor_log_logins_total', service(ev.service))); break;
    case 'auth-fail': inc(counterKey('mxdoctor_log_auth_failures_total', service(ev.service))); break;
    case 'problem': inc(counterKey('mxdoctor_log_problems_total', ev.level)); break;
    case 'delivery': {
      const status = STATUSES.has(ev.status) ? ev.status : 'other';
      inc(counterKey('mxdoctor_log_deliveries_total', ev.mta, status));
      if (ev.mta === 'exim') inc(counterKey('exim_messages_total', status === 'sent' ? 'delivered' : status === 'bounced' ? 'failed' : status));
      else if (h.daemon === 'smtp') {
        inc(counterKey('postfix_smtp_messages_processed_total', status));
        if (status === 'deferred') inc(counterKey('postfix_smtp_deferred_messages_total'));
      }
      break;
    }
    default: break;
  }
}
