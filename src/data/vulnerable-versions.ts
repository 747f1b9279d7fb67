// Known-vulnerable MTA versions, checked only when a banner or EHLO reply names a
// version. A modest list of remotely reachable, well-known issues, each with its source.
// Matching: a version is fixed when it is at least the highest listed fix, or at least
// the listed fix of its own branch (same major.minor). Keep entries sorted by software.

export interface VulnerableRange {
  software: string;
  cve: string[];
  title: string;
  /** First affected version, when the advisory names one. */
  introduced?: string;
  /** Fixed releases, one per maintained branch. */
  fixed: string[];
  /** critical: remote code execution or similar; warning: needs a configuration or feature to bite. */
  severity: 'critical' | 'warning';
  /** When only some configurations are affected, which ones (version alone cannot tell). */
  condition?: string;
  source: string;
}

export const VULNERABLE_VERSIONS: readonly VulnerableRange[] = [
  {
    software: 'Exim', cve: ['CVE-2019-10149'], title: 'remote command execution ("Return of the WIZard")',
    introduced: '4.87', fixed: ['4.92'], severity: 'critical',
    source: 'https://www.exim.org/static/doc/security/CVE-2019-10149.txt',
  },
  {
    software: 'Exim', cve: ['CVE-2020-28017', 'CVE-2020-28020', 'CVE-2020-28026'], title: '21Nails: remote and local memory corruption',
    fixed: ['4.94.2'], severity: 'critical',
    source: 'https://www.qualys.com/2021/05/04/21nails/21nails.txt',
  },
  {
    software: 'Exim', cve: ['CVE-2023-42114', 'CVE-2023-42115', 'CVE-2023-42116'], title: 'out-of-bounds write/read in the EXTERNAL and SPA/NTLM authenticators (ZDI-23-1468..1470)',
    fixed: ['4.96.1'], severity: 'critical', condition: 'only with the EXTERNAL or SPA (NTLM) authenticator configured',
    source: 'https://www.exim.org/static/doc/security/CVE-2023-zdi.txt',
  },
  {
    software: 'Exim', cve: ['CVE-2023-51766'], title: 'SMTP smuggling: accepts <LF>.<CR><LF> as end of data',
    fixed: ['4.97.1'], severity: 'warning',
    source: 'https://www.exim.org/static/doc/security/CVE-2023-51766.txt',
  },
  {
    software: 'Exim', cve: ['CVE-2026-45185'], title: 'use-after-free in BDAT (CHUNKING) over TLS ("Dead.Letter")',
    introduced: '4.97', fixed: ['4.99.3'], severity: 'critical', condition: 'only Exim built with GnuTLS, with STARTTLS and CHUNKING advertised',
    source: 'https://exim.org/static/doc/security/EXIM-Security-2026-05-01.1/',
  },
  {
    software: 'OpenSMTPD', cve: ['CVE-2020-7247'], title: 'remote command execution as root in smtp_mailaddr()',
    introduced: '6.4.0', fixed: ['6.6.2'], severity: 'critical',
    source: 'https://www.qualys.com/2020/01/28/cve-2020-7247/lpe-rce-opensmtpd.txt',
  },
  {
    software: 'Postfix', cve: ['CVE-2023-51764'], title: 'SMTP smuggling: accepts <LF>.<LF> as end of data',
    fixed: ['3.5.24', '3.6.14', '3.7.10', '3.8.5', '3.9.0'], severity: 'warning',
    condition: 'before 3.9 the fix needs "smtpd_forbid_bare_newline = normalize" (or yes); older releases have no fix',
    source: 'https://www.postfix.org/smtp-smuggling.html',
  },
  {
    software: 'Sendmail', cve: ['CVE-2023-51765'], title: 'SMTP smuggling: accepts non-standard end-of-data sequences',
    fixed: ['8.18.1'], severity: 'warning',
    source: 'https://ftp.sendmail.org/RELEASE_NOTES',
  },
];
