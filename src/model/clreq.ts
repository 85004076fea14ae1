/**
 * Chinese line breaking (clreq, GB/T 15834) where Chromium's `line-break: strict` still lets a bad break
 * through: "——" and "……" must not be split nor start a line, "·" inside a name must not start or end one,
 * "/" must not end one. `glueSpans` finds the stretches of text that must stay on one line; the HTML stage
 * wraps each in a no-wrap span (a word joiner would do too, but it stays in the PDF's text and breaks search).
 */
const gluePatterns = [
  /[^\s]?——/gu, // the dash with the character before it: the dash never starts a line
  /[^\s]?……/gu,
  /[^\s·]·[^\s·]/gu, // 凯撒尔·买买提
  /[^\s/](?:\/[^\s/])+/gu, // 人/亿元, 万元/人/年
  /[（《“『「〔【]{2,}[^\s]/gu, // "（〔九届〕": Chromium breaks between two opening brackets
  /\p{N}[—–～~](?=\p{N})/gu, // a range "2023—2027" breaks after its dash, never before (GB/T 15834)
];

/** [start, end) stretches of `text` that must not break, merged where they touch or overlap. */
export function glueSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const pattern of gluePatterns) {
    for (const match of text.matchAll(pattern)) spans.push([match.index, match.index + match[0].length]);
  }
  return mergeSpans(spans);
}

const letter = /[\p{L}\p{N}]/u;

/**
 * The stretch at the end of a paragraph that keeps its last line from holding a single character: from the
 * second-last letter or digit to the end; undefined when the text has fewer than two.
 */
export function widowSpan(text: string): [number, number] | undefined {
  let seen = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (letter.test(text[i] as string) && ++seen === 2) return [i, text.length];
  }
  return undefined;
}

export function mergeSpans(spans: [number, number][]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** A hast text or `<span class="nobr">`, as `gluedText` builds them (kept free of hast packages). */
export type GluedPiece =
  | { type: 'text'; value: string }
  | {
      type: 'element';
      tagName: 'span';
      properties: { className: string[] };
      children: [{ type: 'text'; value: string }];
    };

/** Splits text into plain runs and no-wrap spans over `spans` (default: what `glueSpans` finds). */
export function gluedText(value: string, spans: [number, number][] = glueSpans(value)): GluedPiece[] {
  const pieces: GluedPiece[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) pieces.push({ type: 'text', value: value.slice(at, start) });
    pieces.push({
      type: 'element',
      tagName: 'span',
      properties: { className: ['nobr'] },
      children: [{ type: 'text', value: value.slice(start, end) }],
    });
    at = end;
  }
  if (at < value.length) pieces.push({ type: 'text', value: value.slice(at) });
  return pieces;
}
