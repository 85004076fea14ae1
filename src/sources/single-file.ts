import type { Heading, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { documentMetaSchema, type GazetteDocument, ruleIds } from '../model/index.js';
import { parseYaml } from './yaml.js';

/**
 * Splits a whole issue written as one Markdown file into its documents: each `#` heading starts one, its text
 * is the title, and a ```yaml block right under it holds the document's other fields. Each document's VFile
 * keeps the original path and line numbers (text outside its body is blanked, newlines kept), so messages
 * point into the one file. Documents whose fields are wrong come back with fatal messages on their file (and no
 * usable `meta`): the caller must stop on them.
 */
export function splitSingleFileIssue(file: VFile, bodyOffset: number): GazetteDocument[] {
  const text = String(file.value);
  const nodes = unified().use(remarkParse).use(remarkFrontmatter).parse(text).children;
  const documents: GazetteDocument[] = [];
  nodes.forEach((node, index) => {
    if (!isDocumentHeading(node)) return;
    const start = node.position?.start.offset ?? bodyOffset;
    const end = nodes.slice(index + 1).find(isDocumentHeading)?.position?.start.offset ?? text.length;
    const next = nodes[index + 1];
    const metaBlock = next?.type === 'code' && next.lang === 'yaml' ? next : undefined;
    const bodyStart = (metaBlock ?? node).position?.end.offset ?? start;
    const documentFile = new VFile({ path: file.path, value: blankOutside(text, bodyStart, end) });
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
      { title: mdastToString(node) },
    );
    documentFile.messages.push(...fieldsFile.messages);
    documents.push({ id: String(documents.length + 1).padStart(2, '0'), meta: meta as never, file: documentFile });
  });
  return documents;
}

function isDocumentHeading(node: RootContent): node is Heading {
  return node.type === 'heading' && node.depth === 1;
}

/** The text with everything outside [start, end) replaced by nothing but its newlines. */
function blankOutside(text: string, start: number, end: number): string {
  const blank = (part: string) => part.replace(/[^\n]/g, '');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}
