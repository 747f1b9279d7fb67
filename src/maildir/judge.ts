// The facts of a verified Maildir (and its backup) judged into maildir.* findings: one finding
// per problem and folder, the subject the folder, the evidence its count and file names.
import { finding, type Finding } from '../core/finding.js';
import { MAILDIR_FINDINGS as F } from './findings.js';
import type { FolderFacts, Named } from './folder-scan.js';
import type { MaildirFacts } from './verify.js';

type Problem = { def: (typeof F)[keyof typeof F]; pick: (f: FolderFacts) => Named & { examples?: unknown[] }; what: string };

const PROBLEMS: Problem[] = [
  { def: F.unreadable, pick: (f) => f.unreadable, what: 'cannot be read' },
  { def: F.zeroByte, pick: (f) => f.zeroByte, what: 'are empty (0 bytes)' },
  { def: F.truncated, pick: (f) => f.truncated, what: 'differ in size from the S= size in their name' },
  { def: F.parseError, pick: (f) => f.parseErrors, what: 'have a header section that does not parse' },
  { def: F.missingHeader, pick: (f) => f.missingHeaders, what: 'lack a From or Date field' },
  { def: F.noMessageId, pick: (f) => f.noMessageId, what: 'have no Message-ID' },
  { def: F.badFlags, pick: (f) => f.badInfo, what: 'have a malformed flags part in their name' },
];

export function storeFindings(facts: MaildirFacts, dbox?: string, unreadableDirs: { path: string; error: string }[] = []): Finding[] {
  if (facts.layout === 'dbox') return [finding(F.dbox, { subject: facts.root, detail: `${dbox}.`, evidence: { evidence: dbox } })];
  if (facts.layout === 'none') return [finding(F.notFound, { subject: facts.root, detail: `${facts.root} has no cur/ and new/ directories and no Maildir++ folders.` })];
  const out: Finding[] = [];
  for (const d of unreadableDirs) out.push(finding(F.unreadable, { subject: d.path, detail: `The directory ${d.path} cannot be listed (${d.error}): folders below it were not verified.`, evidence: { ...d } }));
  for (const f of facts.folders) {
    for (const p of PROBLEMS) {
      const n = p.pick(f);
      if (!n.count) continue;
      out.push(finding(p.def, {
        subject: f.name, title: `${p.def.title}: ${n.count}`,
        detail: `${n.count} of ${f.messages + f.unreadable.count} message files in ${f.name} ${p.what}: ${list(n)}.`,
        evidence: { folder: f.name, count: n.count, files: n.files, ...(n.examples ? { examples: n.examples } : {}) },
      }));
    }
    if (f.duplicateMessageIds.count) {
      out.push(finding(F.duplicateId, {
        subject: f.name, title: `${F.duplicateId.title}: ${f.duplicateMessageIds.count} extra cop${f.duplicateMessageIds.count === 1 ? "y" : "ies"}`,
        detail: `${f.duplicateMessageIds.examples.slice(0, 3).map((e) => `${e.messageId} in ${e.files.join(', ')}`).join('; ')}.`,
        evidence: { folder: f.name, count: f.duplicateMessageIds.count, examples: f.duplicateMessageIds.examples },
      }));
    }
    if (f.tmp) out.push(finding(F.tmpFiles, { subject: f.name, detail: `${f.tmp} file(s) in ${f.name}/tmp.`, evidence: { folder: f.name, count: f.tmp } }));
  }
  const bad = out.some((x) => x.severity === 'critical' || x.severity === 'warning');
  if (!bad) {
    out.push(finding(F.ok, {
      subject: facts.root, title: `${facts.totals.messages} messages in ${facts.totals.folders} folder${facts.totals.folders === 1 ? '' : 's'} read and parsed`,
      evidence: { ...facts.totals },
    }));
  }
  return out;
}

export function backupFindings(b: NonNullable<MaildirFacts['backup']>): Finding[] {
  const out: Finding[] = [];
  if (b.damage) out.push(finding(F.backupDamaged, { subject: b.path, detail: `${b.path}: ${b.damage}.`, evidence: { damage: b.damage } }));
  const per = (def: typeof F.backupMissing, key: 'missing' | 'different' | 'extra' | 'flagsDiffer', what: string) => {
    for (const f of b.folders) {
      const n = f[key];
      if (!n.count) continue;
      const whole = key === 'missing' && f.folderMissing ? ' (the whole folder is missing from the backup)' : key === 'extra' && f.folderExtra ? ' (the folder is only in the backup)' : '';
      out.push(finding(def, {
        subject: f.name, title: `${def.title}: ${n.count}`,
        detail: `${n.count} of ${key === 'extra' ? f.inBackup : f.inSource} messages in ${f.name} ${what}${whole}: ${list(n)}.`,
        evidence: { folder: f.name, count: n.count, files: n.files, inSource: f.inSource, inBackup: f.inBackup },
      }));
    }
  };
  per(F.backupMissing, 'missing', 'are not in the backup');
  per(F.backupDifferent, 'different', 'have a different copy in the backup');
  per(F.backupExtra, 'extra', 'are only in the backup');
  per(F.backupFlags, 'flagsDiffer', 'carry other flags in the backup');
  if (b.complete) {
    const total = b.folders.reduce((a, f) => a + f.inSource, 0);
    out.push(finding(F.backupComplete, {
      subject: b.path, title: `The backup holds all ${total} messages of ${b.folders.filter((f) => !f.folderExtra).length} folders, unchanged`,
      evidence: { ...b.totals, kind: b.kind },
    }));
  }
  return out;
}

function list(n: Named): string {
  return `${n.files.slice(0, 5).join(', ')}${n.count > 5 ? `, … ${n.count - 5} more` : ''}`;
}
