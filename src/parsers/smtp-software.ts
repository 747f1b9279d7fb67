// Which MTA a banner or EHLO greeting names, and its version when it says one.
// Most servers hide the version (Postfix's default banner is "$myhostname ESMTP $mail_name"),
// so "unknown version" is the common, honest answer.

export interface SmtpSoftware {
  name: string;
  version?: string;
  /** The text it was read from. */
  from: string;
}

const PATTERNS: { name: string; re: RegExp }[] = [
  // Exim's default smtp_banner: "${primary_hostname} ESMTP Exim ${version_number} ${tod_full}".
  { name: 'Exim', re: /\bExim(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'Postfix', re: /\bPostfix(?:[\s/-]+v?(\d+\.\d+(?:\.\d+)*))?/i },
  // Sendmail: "ESMTP Sendmail 8.15.2/8.15.2; <date>".
  { name: 'Sendmail', re: /\bSendmail(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'OpenSMTPD', re: /\bOpenSMTPD(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'Microsoft Exchange', re: /\bMicrosoft ESMTP MAIL Service(?:,?\s+Version:?\s*(\d+(?:\.\d+)+))?/i },
  { name: 'Haraka', re: /\bHaraka(?:[\s/]+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'qmail', re: /\bqmail(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'MailEnable', re: /\bMailEnable(?:\s+\w+)?(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
  { name: 'hMailServer', re: /\bhMailServer(?:\s+v?(\d+\.\d+(?:\.\d+)*))?/i },
];

/** Software named in any of the texts (banner first, then the EHLO greeting line). */
export function detectSoftware(texts: (string | undefined)[]): SmtpSoftware | undefined {
  let found: SmtpSoftware | undefined;
  for (const text of texts) {
    if (!text) continue;
    for (const { name, re } of PATTERNS) {
      const m = re.exec(text);
      if (!m) continue;
      // A version seen anywhere beats a bare name seen first.
      if (!found || (!found.version && found.name === name && m[1])) found = { name, from: text, ...(m[1] ? { version: m[1] } : {}) };
    }
  }
  return found;
}

/** Numeric comparison of dotted versions ("4.96" < "4.96.1" < "4.97"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
