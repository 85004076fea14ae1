/**
 * Text as the source format wants it (docs/source-format.md): full-width punctuation in Chinese text, no
 * spaces between Chinese characters and digits or Latin letters, no padding spaces. Word files bring ASCII
 * commas after Chinese words, "2024 年" written with spaces, names padded to three characters, and
 * paragraphs indented with ideographic spaces.
 */

const han = '\\p{Script=Han}';
/** Full-width punctuation, brackets and quotes, after which no space belongs either. */
const wide = '\\u3000-\\u303F\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65“”‘’—…·';
const cjk = `[${han}${wide}]`;
const space = '[ \\t\\u00A0\\u3000]+';

const halfToFull: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！' };

const patterns = {
  spaceAfterCjk: new RegExp(`(?<=${cjk})${space}`, 'gu'),
  spaceBeforeCjk: new RegExp(`${space}(?=${cjk})`, 'gu'),
  hanText: new RegExp(han, 'u'),
  parentheses: /\(([^()]*)\)/g,
};

/** The characters around a piece of text inside its paragraph, so rules at its edges see its neighbours. */
export interface Neighbours {
  before?: string;
  after?: string;
}

/**
 * Normalises one piece of a paragraph's text. `before` and `after` are the characters next to it in the
 * paragraph (another run, a bold span), so "**一是** 加强" loses its space too. `quotes` carries whether a
 * straight double quote is open across the pieces of one paragraph.
 */
export function normaliseText(value: string, neighbours: Neighbours = {}, quotes = { open: false }): string {
  const before = neighbours.before?.slice(-1) ?? '';
  const after = neighbours.after?.slice(0, 1) ?? '';
  const padded = normalisePiece(before + value + after);
  let text =
    padded.startsWith(before) && padded.endsWith(after) && padded.length >= before.length + after.length
      ? padded.slice(before.length, padded.length - after.length)
      : // A rule changed a neighbour's character: this piece alone, then.
        normalisePiece(value);
  if (patterns.hanText.test(before + value + after)) {
    text = text.replace(/"/g, () => {
      quotes.open = !quotes.open;
      return quotes.open ? '“' : '”';
    });
  }
  return text;
}

function normalisePiece(value: string): string {
  return value
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/[,;:?!]/g, (mark, offset: number, all: string) => {
      // In Chinese text, except between letters or digits (1,000; 10:30; "Hello, World").
      const before = /\S(?=\s*$)/u.exec(all.slice(0, offset))?.[0] ?? '';
      const after = /\S/u.exec(all.slice(offset + 1))?.[0] ?? '';
      const inside = (/[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after)) || all.startsWith('//', offset + 1);
      return patterns.hanText.test(all) && !inside ? (halfToFull[mark] ?? mark) : mark;
    })
    .replace(patterns.parentheses, (whole, inside: string, offset: number, all: string) => {
      const around = (all[offset - 1] ?? '') + inside + (all[offset + whole.length] ?? '');
      return patterns.hanText.test(around) || /^[一二三四五六七八九十\d]+$/.test(inside) ? `（${inside}）` : whole;
    })
    .replace(/[（(]\s+/g, (open) => open.trim())
    .replace(/\s+[）)]/g, (close) => close.trim())
    .replace(patterns.spaceAfterCjk, '')
    .replace(patterns.spaceBeforeCjk, '')
    .replace(/[ \u00A0]{2,}/g, ' ');
}

/**
 * A paragraph's whole text, normalised and trimmed: for lines of the front matter (title, occasion, speaker).
 */
export function normaliseLine(value: string): string {
  return normaliseText(value)
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '')
    .replace(/^(\d+)[.．](?!\d)\s*/, '$1. ');
}

/** A paragraph's numbering marker "1." written as the format has it: "1. " with one space. */
export function normaliseMarker(value: string): string {
  return value.replace(/^(\d+)[.．](?!\d)[\s\u3000]*/, '$1. ');
}
