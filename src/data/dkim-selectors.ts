// Common DKIM selectors, tried when the user allows guessing (--dkim-guess, the default).
// Selectors cannot be enumerated from DNS (RFC 6376 §3.6.2.1 names keys by selector only),
// so this list finds keys by convention; finding none proves nothing.
// Kept short on purpose: every entry is one more TXT query per domain.

export const COMMON_DKIM_SELECTORS: readonly string[] = [
  'selector1', // Microsoft 365 / Exchange Online (a CNAME to the tenant's onmicrosoft.com)
  'selector2', // Microsoft 365, the rotation partner of selector1
  'google', // Google Workspace default
  'default', // cPanel and Plesk
  'dkim', // rspamd's default, mailcow
  'mail', // OpenDKIM tutorials and many self-hosted servers; Brevo (Sendinblue)
  'x', // DirectAdmin (and hosts built on it)
  'k1', // Mailchimp / Mandrill
  'k2', // Mailchimp (second key)
  'k3', // Mailchimp (third key)
  's1', // SendGrid (a CNAME to sendgrid.net)
  's2', // SendGrid (rotation partner)
  'mandrill', // Mandrill (older set-ups)
  'mailjet', // Mailjet
  'smtp', // Mailgun (older domains)
  'cm', // Campaign Monitor
  'zmail', // Zoho Mail default
  'zoho', // Zoho Mail (older set-ups)
  'protonmail', // Proton Mail (rotates with protonmail2, protonmail3)
  'protonmail2', // Proton Mail
  'fm1', // Fastmail (fm1..fm3)
  'fm2', // Fastmail
  'sig1', // iCloud+ custom e-mail domains
];
