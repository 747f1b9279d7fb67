// The built-in profile `baseline`: what an auditor asks of a mail domain first. Each control
// names the finding ids that are its evidence (docs/findings.md); see docs/report.md.
import type { Profile } from './profile.js';

export const BASELINE: Profile = {
  name: 'baseline',
  description: 'TLS 1.2+ everywhere, no AUTH before TLS, valid certificates, SPF, enforcing DMARC, MTA-STS or DANE, DNSSEC, no open relay',
  controls: [
    {
      id: 'tls-modern',
      title: 'TLS 1.2 or newer on every endpoint, TLS offered everywhere',
      fail: {
        'tls.legacy-versions': 'warning', 'tls.no-modern-version': 'warning', 'tls.handshake-failed': 'warning',
        'tls.starttls-missing': 'warning', 'tls.not-tested': 'warning', 'tls.version-untested': 'warning',
        'smtp.starttls-missing': 'warning', 'smtp.starttls-refused': 'warning', 'smtp.starttls-handshake-failed': 'warning',
        'submission.starttls-missing': 'warning', 'submission.starttls-failed': 'warning', 'submission.implicit-tls-failed': 'warning',
        'imap.starttls-missing': 'warning', 'imap.starttls-failed': 'warning', 'imap.tls-failed': 'warning',
        'pop3.stls-missing': 'warning', 'pop3.stls-failed': 'warning', 'pop3.tls-failed': 'warning',
      },
      pass: ['tls.versions-ok'],
    },
    {
      id: 'no-auth-before-tls',
      title: 'No password authentication before TLS',
      fail: {
        'smtp.auth-before-tls': 'warning', 'submission.auth-before-tls': 'warning',
        'imap.plaintext-login': 'warning', 'pop3.plaintext-login': 'warning', 'imap.preauth': 'warning',
        'smtp.connect-timeout': 'critical', 'submission.session-failed': 'critical',
      },
      pass: ['smtp.reachable', 'submission.auth-mechanisms', 'imap.logindisabled', 'imap.starttls-ok', 'pop3.stls-ok'],
    },
    {
      id: 'valid-certificates',
      title: 'Valid, trusted certificates that name the host',
      fail: {
        'cert.expired': 'critical', 'cert.not-yet-valid': 'critical', 'cert.name-mismatch': 'critical', 'cert.untrusted': 'critical',
        'cert.self-signed': 'critical', 'cert.chain-incomplete': 'critical', 'cert.sha1-signature': 'critical',
      },
      pass: ['cert.trusted'],
    },
    {
      id: 'spf',
      title: 'SPF published and not +all',
      fail: {
        'spf.missing': 'warning', 'spf.multiple': 'critical', 'spf.syntax-error': 'critical', 'spf.all-pass': 'critical',
        'spf.lookup-failed': 'critical',
      },
      pass: ['spf.valid'],
    },
    {
      id: 'dmarc-enforcing',
      title: 'DMARC policy quarantine or reject, on all mail',
      fail: {
        'dmarc.missing': 'warning', 'dmarc.multiple': 'critical', 'dmarc.syntax-error': 'critical', 'dmarc.invalid-policy': 'critical',
        'dmarc.policy-missing': 'warning', 'dmarc.policy-none': 'warning', 'dmarc.testing-mode': 'warning', 'dmarc.pct-partial': 'warning',
        'dmarc.lookup-failed': 'critical',
      },
      pass: ['dmarc.policy-enforced'],
    },
    {
      id: 'mta-sts-or-dane',
      title: 'MTA-STS in enforce mode, or DANE on every MX',
      fail: {},
      anyOf: [
        {
          id: 'mta-sts-enforce', title: 'MTA-STS enforce',
          fail: { 'mta-sts': 'warning', 'mta-sts.not-deployed': 'info', 'mta-sts.mode-testing': 'info', 'mta-sts.mode-none': 'info' },
          pass: ['mta-sts.policy-valid'],
        },
        {
          id: 'dane', title: 'DANE',
          fail: { dane: 'warning', 'dane.none': 'info' },
          pass: ['dane.present'],
        },
      ],
    },
    {
      id: 'dnssec',
      title: 'DNSSEC-signed and validating',
      fail: {
        'dnssec.unsigned': 'info', 'dnssec.bogus': 'critical', 'dnssec.not-validated': 'warning',
        'dnssec.resolver-not-validating': 'critical', 'dnssec.lookup-failed': 'critical',
      },
      pass: ['dnssec.signed'],
    },
    {
      id: 'no-open-relay',
      title: 'Not an open relay',
      fail: { 'smtp.open-relay': 'critical', 'smtp.rcpt-inconclusive': 'critical' },
      pass: ['smtp.relay-refused'],
    },
  ],
};

export const BUILT_IN_PROFILES: Record<string, Profile> = { baseline: BASELINE };
