/**
 * Characters that have no place in a gazette's text: a lone surrogate (half of a character: printed as U+FFFD,
 * it breaks the PDF's bookmarks), a direction override or isolate (reorders what the reader sees against what
 * the file says) and invisible ones (zero-width spaces and joiners, a BOM inside the text: a title that looks
 * the same and searches differently).
 */
const suspects: [RegExp, string][] = [
  [/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u, 'lone surrogate'],
  [/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u, 'text direction control'],
  [/[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/u, 'invisible character'],
];

/** The first suspect character of `text`, with its name and code point, else undefined. */
export function suspectCharacter(text: string): { name: string; code: string; index: number } | undefined {
  let first: { name: string; code: string; index: number } | undefined;
  for (const [pattern, name] of suspects) {
    // Without the u flag a lone surrogate is a code unit of its own: match on units.
    const match = new RegExp(pattern.source).exec(text);
    if (match && (!first || match.index < first.index)) {
      const code = (match[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
      first = { name, code, index: match.index };
    }
  }
  return first;
}
