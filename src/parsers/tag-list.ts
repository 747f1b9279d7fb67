// The tag=value list shared by DKIM (RFC 6376 §3.2), DMARC (RFC 7489 §6.4, which
// reuses it), TLS-RPT (RFC 8460 §3) and BIMI records. Pure: no I/O, never throws.
//   tag-list = tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   tag-name = ALPHA *( ALPHA / DIGIT / "_" )

export interface Tag {
  /** As written (DKIM tag names are case-sensitive, §3.2). */
  name: string;
  value: string;
  /** 0-based position of the tag in the list. */
  index: number;
  /** Character offset of the tag name in the record text. */
  pos: number;
}

export interface TagListIssue {
  pos: number;
  message: string;
}

export interface TagList {
  tags: Tag[];
  /** Specs that are not tag=value, or names with invalid characters. */
  errors: TagListIssue[];
  /** Tag names (compared with `fold`) that appear more than once: §3.2 makes the whole list invalid. */
  duplicates: string[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// tval is printable US-ASCII except ";" (VALCHAR = %x21-3A / %x3C-7E), separated by whitespace.
const VALUE = /^[\x21-\x3a\x3c-\x7e]+(?:[ \t\r\n]+[\x21-\x3a\x3c-\x7e]+)*$/;

/** Parse a tag list; `fold` lower-cases names for duplicate detection when the format is case-insensitive. */
export function parseTagList(text: string, fold = false): TagList {
  const tags: Tag[] = [];
  const errors: TagListIssue[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  let offset = 0;
  const specs = text.split(';');
  specs.forEach((spec, i) => {
    const pos = offset + (spec.length - spec.trimStart().length);
    offset += spec.length + 1;
    if (!spec.trim()) {
      // A trailing ";" is allowed; an empty spec elsewhere is tolerated by receivers but not by the grammar.
      if (i !== specs.length - 1 && i !== 0) errors.push({ pos, message: 'empty tag (two ";" in a row)' });
      else if (i === 0 && specs.length > 1) errors.push({ pos, message: 'the record starts with ";"' });
      return;
    }
    const eq = spec.indexOf('=');
    if (eq < 0) {
      errors.push({ pos, message: `"${spec.trim()}" is not a tag=value pair` });
      return;
    }
    const name = spec.slice(0, eq).trim();
    const value = spec.slice(eq + 1).trim();
    if (!NAME.test(name)) {
      errors.push({ pos, message: `"${name}" is not a valid tag name` });
      return;
    }
    if (value && !VALUE.test(value)) errors.push({ pos, message: `the value of "${name}" has characters that are not allowed (non-ASCII or control characters)` });
    const key = fold ? name.toLowerCase() : name;
    if (seen.has(key) && !duplicates.includes(key)) duplicates.push(key);
    seen.add(key);
    tags.push({ name, value, index: tags.length, pos });
  });
  return { tags, errors, duplicates };
}
