// Finds and reads a font that covers Chinese, Japanese and Korean for the PDF report: the
// one named by --font / MXDOCTOR_PDF_FONT, else the first of Debian's CJK font packages found.
import { existsSync } from 'node:fs';
import { readUpTo } from './files.js';

export interface FontFile {
  path: string;
  data: Buffer;
  /** PostScript name of the face inside a TrueType collection (.ttc). */
  face?: string;
}

/** Debian/Ubuntu packages, most compact first; the face is the PostScript name in the collection. */
export const CJK_FONT_CANDIDATES: { path: string; face?: string; pkg: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei', pkg: 'fonts-wqy-microhei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei', pkg: 'fonts-wqy-zenhei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', pkg: 'fonts-droid-fallback' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular', pkg: 'fonts-noto-cjk' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', face: 'AR-PLUMingCN-Light', pkg: 'fonts-arphic-uming' },
];

export const CJK_FONT_HINT = 'install a CJK font (Debian/Ubuntu: apt-get install fonts-wqy-microhei) or give one with --font <file.ttf|file.ttc#PostScriptName>';

const MAX_FONT_BYTES = 64 * 1024 * 1024;

/** `file.ttc#Face` names a face inside a collection. */
export function readFontFile(spec: string): FontFile {
  const hash = spec.lastIndexOf('#');
  const path = hash > 0 ? spec.slice(0, hash) : spec;
  const { data, truncated } = readUpTo(path, MAX_FONT_BYTES);
  if (truncated) throw new Error(`${path}: larger than ${MAX_FONT_BYTES >> 20} MB: not a font file`);
  const isCollection = data.subarray(0, 4).toString('latin1') === 'ttcf';
  const face = hash > 0 ? spec.slice(hash + 1) : CJK_FONT_CANDIDATES.find((c) => c.path === path)?.face;
  if (isCollection && !face) throw new Error(`${path} is a font collection: name the face as ${path}#<PostScriptName> (fc-scan --format '%{postscriptname}\\n' ${path})`);
  return face ? { path, data, face } : { path, data };
}

/** The user's font, else the first CJK font installed; undefined when there is none. */
export function findCjkFont(given = process.env.MXDOCTOR_PDF_FONT): FontFile | undefined {
  if (given) return readFontFile(given);
  const found = CJK_FONT_CANDIDATES.find((c) => existsSync(c.path));
  return found ? readFontFile(found.path) : undefined;
}
