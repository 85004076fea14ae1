import type { Element, Root as HastRoot } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import type { Root as MdastRoot } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark, { type Options as RehypeRemarkOptions } from 'rehype-remark';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { type DocumentKind, type DocumentMeta, documentMetaSchema, type Meeting } from '../model/index.js';
import { type Field, frontMatterYaml, guessFrontMatter, isDateLine, type Line } from './guess-front-matter.js';
import { normaliseLine } from './normalise-text.js';
import { shapeBody } from './shape-body.js';
import { classesOf, flattenWordHtml, isAllBold } from './word-html.js';

export interface ImportOptions {
  /** The Word file's name, for the comment at the top of the front matter ("报告.docx"). */
  sourceName?: string | null;
  /** The document's kind, when the title does not tell it. */
  kind?: DocumentKind | null;
  /** The meeting's number, when the text does not tell it. */
  meeting?: number | null;
  /** The meetings of the issue the document goes into (issue.yml): the meeting is matched against them. */
  meetings?: readonly Meeting[] | null;
}

export interface ImportResult {
  /** The document's source file: front matter (guesses marked `# REVIEW`), then the body. */
  markdown: string;
  /** The front matter's fields (`meeting` 0 when none was found). */
  meta: DocumentMeta;
  /** Fields marked for review. */
  review: Field[];
  /** What the conversion left out or could not decide. */
  warnings: string[];
}

/** Kinds whose numbered paragraphs are items (agenda items, appointments), never headings. */
const itemKinds = new Set<DocumentKind>(['agenda', 'appointments', 'attendance', 'attendees']);

/** `<sup>`/`<sub>` stay raw HTML in the Markdown (`m<sup>2</sup>`), as the source format writes them. */
const handlers: NonNullable<RehypeRemarkOptions['handlers']> = {
  sup: (_state, node) => ({ type: 'html', value: `<sup>${hastToString(node)}</sup>` }),
  sub: (_state, node) => ({ type: 'html', value: `<sub>${hastToString(node)}</sub>` }),
};

/**
 * Converts the HTML mammoth makes of a Word document into a document source file of the gazette: the title
 * block read into front matter, the body as paragraphs, headings told by their numbering, bold runs, and
 * GFM tables. Pure: no Word file, no file system.
 */
export function docxHtmlToMarkdown(html: string, options: ImportOptions = {}): ImportResult {
  const warnings: string[] = [];
  const hast = unified().use(rehypeParse, { fragment: true }).parse(html) as HastRoot;
  const found = flattenWordHtml(hast);
  if (found.images > 0) {
    warnings.push(
      `Unexpected ${found.images} image${found.images > 1 ? 's' : ''} left out: import into an issue (--into issues/<id>) to write them into its images/ folder`,
    );
  }
  const blocks = splitClosingLines(hast.children as Element[]);
  const guessed = guessFrontMatter(blocks.map(lineOf), options);
  // Footnotes and endnotes become the gazette's notes: "注1：…" paragraphs after the body, marked <sup>1</sup>.
  const notes = found.notes.map(
    (note, index): Element => ({
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{ type: 'text', value: `注${index + 1}：` }, ...note],
    }),
  );
  hast.children = [...blocks.slice(guessed.bodyStart, guessed.bodyEnd), ...notes];

  const mdast = unified().use(rehypeRemark, { handlers }).runSync(hast) as MdastRoot;
  shapeBody(mdast, { numberedItems: itemKinds.has(guessed.meta.kind) });
  const body = stringifyBody(mdast);

  if (guessed.meta.kind === 'other') warnings.push('Unexpected title: its kind is not told by it, set `kind`');
  if (body.trim() === '') warnings.push('Unexpected empty body, expected the text of the document after its title');
  const review = [...guessed.review.keys()];
  const markdown = `${frontMatterYaml(guessed.meta, guessed.review, options.sourceName)}\n${body}`;
  return { markdown, meta: guessed.meta, review, warnings };
}

/**
 * A closing signature typed as one paragraph with manual line breaks ("宝山区人民政府⇧↵2024年5月20日") is read
 * as its lines, so the signature block takes them; other line breaks stay inside their paragraphs.
 */
function splitClosingLines(blocks: Element[]): Element[] {
  const last = blocks.at(-1);
  if (last?.tagName !== 'p' || !last.children.some(isBreakElement)) return blocks;
  const lines: Element['children'][] = [[]];
  for (const child of last.children) {
    if (isBreakElement(child)) lines.push([]);
    else lines.at(-1)?.push(child);
  }
  const texts = lines.map((line) =>
    normaliseLine(hastToString({ type: 'element', tagName: 'p', properties: {}, children: line })),
  );
  if (!isDateLine(texts.at(-1) ?? '')) return blocks;
  return [
    ...blocks.slice(0, -1),
    ...lines.filter((_, index) => texts[index] !== '').map((children) => ({ ...last, children })),
  ];
}

function isBreakElement(node: Element['children'][number]): boolean {
  return node.type === 'element' && node.tagName === 'br';
}

function lineOf(block: Element): Line {
  const raw = hastToString(block);
  const classes = classesOf(block);
  return {
    text: normaliseLine(raw),
    raw,
    centred: classes.includes('center'),
    right: classes.includes('right'),
    bold: isAllBold(block),
    heading: /^h[1-6]$/.test(block.tagName),
    table: block.tagName === 'table',
  };
}

/**
 * The body as Markdown: GFM tables written compactly, emphasis next to Chinese punctuation written plainly
 * (remark-cjk-friendly), and none of the escapes that only matter where lists exist ("1\. ", "\- "): the
 * source format has no lists.
 */
function stringifyBody(tree: MdastRoot): string {
  const processor = unified()
    .use(remarkGfm, { tablePipeAlign: false })
    .use(remarkCjkFriendly)
    .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', rule: '-' });
  return processor
    .stringify(tree)
    .replace(/^(\d+)\\([.)])/gm, '$1$2')
    .replace(/(?<=\| )\\</g, '<')
    .replace(/^\\([-+]) (?=\S)/gm, '$1 ')
    .replace(/^\|(?: *:?-+:? *\|)+$/gm, (row) => row.replace(/[^|]+/g, ' --- '))
    .replace(/^\|.*\|$/gm, (row) => row.replace(/\| (?=\|)/g, '|  '));
}

/**
 * What stops the imported document from being read (documentMetaSchema and the issue's meetings), each
 * phrased with what to do about it. Empty when it passes.
 */
export function checkImported(meta: DocumentMeta, meetings?: readonly Meeting[] | null): string[] {
  const problems: string[] = [];
  const numbers = meetings?.map((meeting) => meeting.number) ?? [];
  if (!meta.meeting) {
    problems.push(
      'Missing meeting: no “第…次会议” in the occasion or adoption note, expected --meeting <number> (the meeting in issue.yml)',
    );
  } else if (meetings && !numbers.includes(meta.meeting)) {
    problems.push(
      `Unexpected meeting ${meta.meeting}, expected one of the issue's meetings (${numbers.join(', ')}): pass --meeting <number>`,
    );
  }
  const result = documentMetaSchema.safeParse(meta);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      if (field === 'meeting') continue;
      problems.push(
        field === 'title'
          ? 'Missing title: no title line found at the top of the document, expected it as the first paragraph'
          : `Unexpected value in \`${field}\`: ${issue.message}`,
      );
    }
  }
  return problems;
}
