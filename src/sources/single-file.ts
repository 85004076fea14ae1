import type { Heading, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { guessFrontMatter, type Line } from '../import/guess-front-matter.js';
import { normaliseLine } from '../import/normalise-text.js';
import { type DocumentMeta, documentMetaSchema, type GazetteDocument, type Meeting, ruleIds } from '../model/index.js';
import { parseYaml } from './yaml.js';

/**
 * Splits a whole issue written as one Markdown file into its documents: each `#` heading starts one, its text
 * is the title, and a ```yaml block right under it holds the document's other fields. Without that block, the
 * fields are read off the text as `gazette import` reads a Word file's title block: the kind its title names,
 * the occasion line ("——2024年5月29日在…第二十次会议上"), the speaker line, the adoption note ("（…通过）"),
 * the salutation, a closing signature; the meeting from the occasion or adoption note (else the issue's
 * meeting on the date they name, or its only meeting). What is truly guessed (a kind the title does not
 * name, a meeting carried on from the document before) gets a warning saying how to state it. Each document's
 * VFile keeps the original path and line numbers (text outside its body is blanked, newlines kept), so
 * messages point into the one file. Documents whose fields are wrong come back with fatal messages on their
 * file (and no usable `meta`): the caller must stop on them.
 */
export function splitSingleFileIssue(
  file: VFile,
  bodyOffset: number,
  meetings: readonly Meeting[] = [],
): GazetteDocument[] {
  const text = String(file.value);
  const nodes = unified().use(remarkParse).use(remarkFrontmatter).parse(text).children;
  const documents: GazetteDocument[] = [];
  nodes.forEach((node, index) => {
    if (!isDocumentHeading(node)) return;
    const start = node.position?.start.offset ?? bodyOffset;
    const following = nodes.slice(index + 1);
    const nextHeading = following.findIndex(isDocumentHeading);
    const end = following[nextHeading]?.position?.start.offset ?? text.length;
    const next = nodes[index + 1];
    const metaBlock = next?.type === 'code' && next.lang === 'yaml' ? next : undefined;
    const blocks = nextHeading < 0 ? following : following.slice(0, nextHeading);
    const previous = documents.at(-1)?.meta as DocumentMeta | undefined;
    const stated = metaBlock ? undefined : statedFields(node, blocks, meetings, previous?.meeting);
    const bodyStart = stated ? stated.bodyStart : ((metaBlock ?? node).position?.end.offset ?? start);
    const bodyEnd = stated?.bodyEnd ?? end;
    const documentFile = new VFile({ path: file.path, value: blankOutside(text, bodyStart, bodyEnd) });
    // The YAML text starts on the line after the opening fence.
    const yamlOffset = metaBlock ? text.indexOf('\n', metaBlock.position?.start.offset ?? start) + 1 : start;
    // Fields are checked against the whole file's text (offsets must match it); their messages then go with the
    // document, so the reader reports them and never uses a document without fields.
    const fieldsFile = new VFile({ path: file.path, value: text });
    const meta = parseYaml(
      fieldsFile,
      metaBlock?.value ?? '',
      { offset: yamlOffset, fallbackOffset: start },
      documentMetaSchema,
      ruleIds.schema,
      { ...stated?.meta, title: mdastToString(node) },
    );
    documentFile.messages.push(...fieldsFile.messages);
    for (const guess of stated?.guesses ?? []) {
      const message = documentFile.message(guess, { place: node.position?.start, ruleId: ruleIds.guessedField });
      message.fatal = false;
    }
    documents.push({ id: String(documents.length + 1).padStart(2, '0'), meta: meta as never, file: documentFile });
  });
  return documents;
}

/**
 * The fields a document without a ```yaml block states in its first and last lines, the offsets of its body,
 * and what had to be guessed.
 */
function statedFields(
  heading: Heading,
  blocks: RootContent[],
  meetings: readonly Meeting[],
  previousMeeting: number | undefined,
): { meta: Partial<DocumentMeta>; bodyStart: number; bodyEnd: number; guesses: string[] } {
  const lines: Line[] = [heading, ...blocks].map((block) => {
    const raw = block.type === 'paragraph' || block.type === 'heading' ? mdastToString(block) : '';
    const isText = block.type === 'paragraph' || block === heading;
    return {
      text: normaliseLine(raw),
      raw,
      centred: false,
      right: false,
      bold: false,
      heading: block === heading,
      table: !isText,
    };
  });
  const guessed = guessFrontMatter(lines, { meetings });
  const meta: Partial<DocumentMeta> = { ...guessed.meta };
  delete meta.title;
  const guesses: string[] = [];
  if (meta.kind === 'other') {
    guesses.push(
      'Unexpected title that names no kind of document: add a ```yaml block under it with `kind:` (docs/source-format.md)',
    );
  }
  if (!meta.meeting) {
    if (previousMeeting === undefined) delete meta.meeting;
    else {
      meta.meeting = previousMeeting;
      guesses.push(
        `Unexpected document without a “第…次会议” in an occasion or adoption line: taken as meeting ${previousMeeting}, as the document before it; add a \`\`\`yaml block with \`meeting:\` if that is wrong`,
      );
    }
  }
  const offsetOf = (at: number, edge: 'start' | 'end') => {
    const block = at === 0 ? heading : blocks[at - 1];
    return block?.position?.[edge].offset;
  };
  const lastEnd = offsetOf(blocks.length, 'end') ?? heading.position?.end.offset ?? 0;
  const bodyStart = guessed.bodyStart > blocks.length ? lastEnd : (offsetOf(guessed.bodyStart, 'start') ?? lastEnd);
  const bodyEnd = guessed.bodyEnd > blocks.length ? lastEnd : (offsetOf(guessed.bodyEnd, 'start') ?? lastEnd);
  return { meta, bodyStart, bodyEnd: Math.max(bodyStart, bodyEnd), guesses };
}

function isDocumentHeading(node: RootContent): node is Heading {
  return node.type === 'heading' && node.depth === 1;
}

/** The text with everything outside [start, end) replaced by nothing but its newlines. */
function blankOutside(text: string, start: number, end: number): string {
  const blank = (part: string) => part.replace(/[^\n]/g, '');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}
