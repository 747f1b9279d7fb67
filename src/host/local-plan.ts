// What `check --local` will look at, discovered from the installed mail software: which
// MTA, its instances and queue directories, the mail store, certificate files and logs.
import { finding, type Finding } from '../core/finding.js';
import type { CommandRunner } from '../io/exec.js';
import { HOST_FINDINGS as H } from './host-findings.js';
import type { Locator } from './locate.js';
import { dovecotConfig, eximConfig, mailStoreDirs, postfixConfig, splitList } from './mta-config.js';
import { dovecotPath } from './cert-files.js';

export interface PostfixInstance {
  /** The -c directory, undefined for the default instance. */
  config?: string;
  queueDirectory?: string;
  error?: string;
}

export interface LocalPlan {
  mta?: 'postfix' | 'exim';
  dovecot: boolean;
  postfix: PostfixInstance[];
  eximSpool?: string;
  /** Directories holding mail (from Dovecot's mail location). */
  mailStores: string[];
  /** Mail lives in home directories (~), or the location is unknown. */
  mailStoreUnknown?: string;
  certFiles: { file: string; source: string }[];
  /** Log files the configuration names (Postfix maillog_file, Exim log_file_path). */
  configLogs: string[];
  findings: Finding[];
}

export interface PlanRequest {
  postfixConfigs?: string[];
  /** Configuration directories of running Postfix masters (MAIL_CONFIG / -c), read after the default. */
  runningPostfix?: string[];
  dovecotConfig?: string;
  exim?: boolean;
}

export async function planLocal(req: PlanRequest, run: CommandRunner, locate: Locator): Promise<LocalPlan> {
  const plan: LocalPlan = { dovecot: false, postfix: [], mailStores: [], certFiles: [], configLogs: [], findings: [] };
  const addCert = (file: string, source: string) => { if (file && !plan.certFiles.some((c) => c.file === file)) plan.certFiles.push({ file, source }); };
  const unreadable = (subject: string, detail: string) => plan.findings.push(finding(H.configUnreadable, { subject, detail }));
  const hasPostfix = !!(locate('postconf') || locate('postqueue'));
  const hasExim = !!(locate('exim4') || locate('exim'));
  plan.mta = req.exim ? 'exim' : req.postfixConfigs?.length || hasPostfix ? 'postfix' : hasExim ? 'exim' : undefined;
  plan.dovecot = !!(req.dovecotConfig || locate('doveconf'));

  if (plan.mta === 'postfix') {
    const dirs: (string | undefined)[] = req.postfixConfigs?.length ? [...req.postfixConfigs] : [undefined, ...(req.runningPostfix ?? [])];
    for (let i = 0; i < dirs.length; i++) {
      const dir = dirs[i];
      const c = await postfixConfig(run, locate, dir);
      const label = dir ?? 'default';
      if (c.error) { unreadable(`postfix ${label}`, c.error); plan.postfix.push({ config: dir, error: c.error }); continue; }
      const v = c.values;
      plan.postfix.push({ config: dir, queueDirectory: v.queue_directory || undefined });
      for (const k of ['smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file'] as const) if (v[k]) addCert(v[k]!, `postfix ${label} ${k}`);
      for (const f of splitList(v.smtpd_tls_chain_files)) addCert(f, `postfix ${label} smtpd_tls_chain_files`);
      if (v.maillog_file) plan.configLogs.push(v.maillog_file);
      // postmulti(1): the default instance lists the others; named directories are all the user wants.
      if (!req.postfixConfigs?.length && dir === undefined) for (const m of splitList(v.multi_instance_directories)) if (!dirs.includes(m)) dirs.push(m);
    }
  } else if (plan.mta === 'exim') {
    const c = await eximConfig(run, locate);
    if (c.error) unreadable('exim', c.error);
    plan.eximSpool = c.values.spool_directory || undefined;
    const tls = c.values.tls_certificate;
    if (tls && tls.startsWith('/') && !tls.includes('$')) addCert(tls, 'exim tls_certificate');
    for (const p of splitList(c.values.log_file_path?.replace(/:/g, ' '))) if (p.startsWith('/')) plan.configLogs.push(p.replace('%s', 'main'));
  }

  if (plan.dovecot) {
    const c = await dovecotConfig(run, locate, req.dovecotConfig);
    if (c.error) unreadable('dovecot', c.error);
    const loc = c.values.mail_location;
    if (loc) {
      const s = mailStoreDirs(loc);
      plan.mailStores.push(...s.dirs);
      if (!s.dirs.length) plan.mailStoreUnknown = `mail_location = ${loc}${s.home ? ' (under each user\'s home directory)' : ''}`;
    } else if (!c.error) plan.mailStoreUnknown = 'mail_location is empty (Dovecot autodetects the mail store per user)';
    const cert = dovecotPath(c.values.ssl_cert);
    if (cert) addCert(cert, 'dovecot ssl_cert');
  }
  if (!plan.mta && !plan.dovecot) {
    plan.findings.push(finding(H.noMailSoftware, { detail: 'postconf, postqueue, exim4, exim and doveconf were not found in PATH, /usr/sbin or /usr/local/sbin' }));
  }
  return plan;
}
