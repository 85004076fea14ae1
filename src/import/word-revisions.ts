import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import JSZip from 'jszip';
import { attribute, elements, insideChoice, W } from './word-xml.js';

/** A tracked change or a comment (批注) of a Word document, where it is: paragraph and character, 1-based. */
export interface Revision {
  kind: 'insertion' | 'deletion' | 'comment';
  /** The text inserted or deleted, or the text a comment is on. */
  text: string;
  /** A comment's own words. */
  comment?: string;
  author?: string;
  paragraph: number;
  column: number;
}

/** What to do with tracked changes: take them (Word's 接受), or keep the text as it was before them (拒绝). */
export type ChangeChoice = 'accept' | 'reject';

const inserted = new Set(['ins', 'moveTo']);
const deleted = new Set(['del', 'moveFrom']);

/**
 * The tracked changes and comments of a .docx, in reading order, and the document with the changes accepted or
 * rejected (`choice`) and the comments' marks removed. mammoth itself would take every insertion and drop every
 * deletion without a word: a deleted name would vanish silently.
 */
export async function resolveRevisions(
  docx: Uint8Array,
  choice: ChangeChoice | undefined,
): Promise<{ docx: Uint8Array; revisions: Revision[] }> {
  const zip = await JSZip.loadAsync(docx);
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (documentXml === undefined) return { docx, revisions: [] };
  const document = new DOMParser().parseFromString(documentXml, 'text/xml');
  const comments = await commentTexts(zip);
  const revisions: Revision[] = [];
  let paragraphNumber = 0;
  for (const paragraph of elements(document, 'p')) {
    if (insideChoice(paragraph)) continue;
    paragraphNumber++;
    let column = 1;
    const open = new Map<string, Revision>();
    const walk = (node: Node) => {
      for (const child of Array.from(node.childNodes)) {
        if (child.nodeType !== 1) continue;
        const element = child as Element;
        if (element.namespaceURI !== W) {
          walk(element);
          continue;
        }
        const name = element.localName;
        if (name === 't' || name === 'delText') {
          const text = element.textContent ?? '';
          for (const revision of open.values()) revision.text += text;
          column += text.length;
        } else if (name === 'p') {
          // a nested paragraph (a text box) is counted on its own
        } else if (inserted.has(name) || deleted.has(name)) {
          const revision: Revision = {
            kind: inserted.has(name) ? 'insertion' : 'deletion',
            text: '',
            author: attribute(element, 'author'),
            paragraph: paragraphNumber,
            column,
          };
          const before = column;
          walk(element);
          revision.text = textOf(element);
          column = before + revision.text.length;
          if (revision.text !== '') revisions.push(revision);
        } else if (name === 'commentRangeStart') {
          const id = attribute(element, 'id') ?? '';
          const comment = comments.get(id);
          const revision: Revision = {
            kind: 'comment',
            text: '',
            comment: comment?.text ?? '',
            author: comment?.author,
            paragraph: paragraphNumber,
            column,
          };
          open.set(id, revision);
          revisions.push(revision);
        } else if (name === 'commentRangeEnd') {
          open.delete(attribute(element, 'id') ?? '');
        } else walk(element);
      }
    };
    walk(paragraph);
  }
  if (revisions.length === 0) return { docx, revisions };

  // The changes taken or undone, the comments' anchors and references dropped (mammoth reads no comments).
  for (const name of [...inserted, ...deleted]) {
    for (const element of elements(document, name)) {
      const keep = inserted.has(name) ? choice !== 'reject' : choice === 'reject';
      if (keep) {
        for (const text of elements(element, 'delText')) renameText(document, text);
        unwrap(element);
      } else element.parentNode?.removeChild(element);
    }
  }
  for (const name of ['commentRangeStart', 'commentRangeEnd', 'commentReference']) {
    for (const element of elements(document, name)) {
      const run = element.parentNode as Element | null;
      element.parentNode?.removeChild(element);
      if (run?.localName === 'r' && run.namespaceURI === W && elements(run, 't').length === 0) {
        run.parentNode?.removeChild(run);
      }
    }
  }
  zip.file('word/document.xml', new XMLSerializer().serializeToString(document));
  return { docx: await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), revisions };
}

/** Each comment's words and author, by id (`word/comments.xml`). */
async function commentTexts(zip: JSZip): Promise<Map<string, { text: string; author?: string }>> {
  const xml = await zip.file('word/comments.xml')?.async('string');
  const found = new Map<string, { text: string; author?: string }>();
  if (xml === undefined) return found;
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  for (const comment of elements(document, 'comment')) {
    found.set(attribute(comment, 'id') ?? '', { text: textOf(comment), author: attribute(comment, 'author') });
  }
  return found;
}

/** The text of an element's runs (`w:t`, and `w:delText` of deleted runs), in document order. */
function textOf(element: Element): string {
  let text = '';
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType !== 1) continue;
    const inner = child as Element;
    const isText = inner.namespaceURI === W && (inner.localName === 't' || inner.localName === 'delText');
    text += isText ? (inner.textContent ?? '') : textOf(inner);
  }
  return text;
}

function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  while (element.firstChild) parent.insertBefore(element.firstChild, element);
  parent.removeChild(element);
}

function renameText(document: Document, element: Element): void {
  const text = document.createElementNS(W, 'w:t');
  text.setAttribute('xml:space', 'preserve');
  text.textContent = element.textContent;
  element.parentNode?.replaceChild(text, element);
}
