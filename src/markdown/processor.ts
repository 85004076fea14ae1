import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { addError, ruleIds } from '../model/index.js';
import { sourceLimits, treeDepth } from '../sources/limits.js';
import rehypeBlocks from './plugins/rehype-blocks.js';
import rehypeClreq from './plugins/rehype-clreq.js';
import rehypeDisplayLines from './plugins/rehype-display-lines.js';
import rehypeHeadings from './plugins/rehype-headings.js';
import rehypeImages from './plugins/rehype-images.js';
import rehypeMergedCells from './plugins/rehype-merged-cells.js';
import rehypeRawWhereNeeded from './plugins/rehype-raw-where-needed.js';
import rehypeReportUnsafe from './plugins/rehype-report-unsafe.js';
import rehypeTables from './plugins/rehype-tables.js';
import remarkBlocks from './plugins/remark-blocks.js';
import remarkNoLists from './plugins/remark-no-lists.js';

/**
 * What raw HTML may stay in a body: GitHub's schema (which keeps `<sub>`, `<sup>`, `<br>`, tables and drops
 * scripts, iframes, event handlers and styles) plus the data attributes of our own blocks.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    div: [...(defaultSchema.attributes?.div ?? []), 'dataBlock', 'dataTitle', 'dataLabel', 'dataColumns'],
  },
};

/**
 * The Markdown → HTML processor of a document body, plugins in order. Parsing: CommonMark with emphasis that
 * works next to Chinese punctuation, front matter skipped, GFM tables, block directives, no lists. Then HTML:
 * raw HTML parsed, what the sanitizer removes reported, sanitised, images kept inside the issue folder, and the
 * gazette's own structures built on the clean tree.
 */
export interface BodyOptions {
  /** The issue folder, which images must stay inside. Default: the current folder. */
  baseDir?: string;
}

export function createBodyProcessor(options: BodyOptions = {}) {
  return (
    createBodyToHtmlTree()
      .use(rehypeRawWhereNeeded)
      .use(rehypeReportUnsafe, sanitizeSchema)
      .use(rehypeSanitize, sanitizeSchema)
      .use(rehypeImages, { baseDir: options.baseDir ?? '.' })
      .use(rehypeBlocks)
      .use(rehypeHeadings)
      .use(rehypeMergedCells)
      .use(rehypeTables)
      .use(rehypeClreq)
      // centred headings of a body break by sense, as the title block does (after the glue, which they keep)
      .use(rehypeDisplayLines, { classes: centredHeadings })
  );
}

/** The processor's first half: Markdown parsed and its blocks built, then HTML's tree, raw HTML still raw. */
export function createBodyToHtmlTree() {
  return unified()
    .use(remarkParse)
    .use(remarkNoLists)
    .use(remarkCjkFriendly)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, { singleTilde: false })
    .use(remarkDirective)
    .use(remarkBlocks)
    .use(remarkRehype, { allowDangerousHtml: true });
}

/** Body headings the styles centre: a 第N方面 heading, an attachment's title, a panel's title, a table's caption. */
const centredHeadings = ['heading-l0', 'attachment-title', 'panel-title', 'table-caption'];

declare module 'vfile' {
  interface DataMap {
    /** The parsed Markdown tree, kept until the HTML stage takes it (the check reads it first). */
    mdast: MdastRoot;
  }
}

/** The document's Markdown tree, parsed once per file: `gazette check` reads it, the HTML stage then takes it. */
export function parseBody(file: VFile): MdastRoot {
  file.data.mdast ??= boundedParse(file);
  return file.data.mdast;
}

/**
 * The Markdown tree, or an empty one with an error on the file when it nests deeper than the limit (emphasis
 * markers by the thousand): every later stage walks the tree recursively.
 */
function boundedParse(file: VFile): MdastRoot {
  let tree: MdastRoot | undefined;
  try {
    tree = createBodyProcessor().parse(file) as MdastRoot;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  if (tree && treeDepth(tree) <= sourceLimits.nesting) return tree;
  addError(
    file,
    `Unexpected Markdown nested more than ${sourceLimits.nesting} deep (emphasis, quotes or lists inside each other), expected at most ${sourceLimits.nesting}: remove the extra markers`,
    { ruleId: ruleIds.sourceLimit, place: { line: 1, column: 1 } },
  );
  return { type: 'root', children: [] };
}

/** Turns a document body into its HTML tree; messages (with positions) land on `file`. */
export async function bodyToHast(file: VFile, options: BodyOptions = {}): Promise<HastRoot> {
  const tree = parseBody(file);
  // The transforms change the tree: nobody may read it as the source's tree afterwards.
  delete file.data.mdast;
  try {
    return (await createBodyProcessor(options).run(tree, file)) as HastRoot;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    addError(file, `Unexpected HTML nested too deeply to convert (${error.message}): remove the extra elements`, {
      ruleId: ruleIds.sourceLimit,
      place: { line: 1, column: 1 },
    });
    return { type: 'root', children: [] };
  }
}
