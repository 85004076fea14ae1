import { inflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { materialiseNumbering } from './word-numbering.js';

/** What mammoth makes of a Word file: HTML, and its warnings ("Unrecognised paragraph style …"). */
export interface DocxHtml {
  html: string;
  warnings: string[];
}

/** Paragraph styles the HTML keeps as classes: the title block is centred, signatures set right. */
const styleMap = [
  "p[style-name='gazette-center'] => p.center:fresh",
  "p[style-name='gazette-right'] => p.right:fresh",
  "p[style-name='Title'] => p.center:fresh",
  "p[style-name='Subtitle'] => p.center:fresh",
  // Word's style for list items: their numbers are text by now (materialiseNumbering).
  "p[style-name='List Paragraph'] => p:fresh",
];

interface WordElement {
  type: string;
  children?: WordElement[];
  styleId?: string | null;
  styleName?: string | null;
  alignment?: string | null;
}

/**
 * Converts a .docx file to HTML with mammoth: list numbers written into the text first
 * (`materialiseNumbering`), centred and right-aligned paragraphs marked `p.center` / `p.right`, images left
 * out (as `<img>` without a source, which the Markdown step reports).
 */
export async function docxToHtml(docx: Uint8Array): Promise<DocxHtml> {
  await checkUnpackedSize(docx);
  const numbered = await materialiseNumbering(docx);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(numbered.docx) },
    {
      styleMap,
      transformDocument: (document: WordElement) => markAlignment(document),
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
    },
  );
  const warnings = result.messages.map((message) => message.message);
  return { html: result.value, warnings };
}

function markAlignment(element: WordElement): WordElement {
  if (element.type === 'paragraph' && !isHeadingStyle(element)) {
    if (element.alignment === 'center') element.styleName = 'gazette-center';
    else if (element.alignment === 'right' || element.alignment === 'end') element.styleName = 'gazette-right';
  }
  for (const child of element.children ?? []) markAlignment(child);
  return element;
}

function isHeadingStyle(paragraph: WordElement): boolean {
  return /^heading\s*\d$/i.test(paragraph.styleName ?? '') || /^Heading\d$/.test(paragraph.styleId ?? '');
}

/** What a Word file may unpack to: far above any real document (text and images), far below a zip bomb. */
export const docxLimits = { unpackedBytes: 200 * 2 ** 20, ratio: 100, ratioFloorBytes: 16 * 2 ** 20 };

/** A Word file refused before it is unpacked (a "zip bomb", or a damaged archive that lies about its sizes). */
export class DocxTooLargeError extends Error {
  override name = 'DocxTooLargeError';
}

interface ZipEntryData {
  compressedSize: number;
  uncompressedSize: number;
  compression: { magic: string };
  compressedContent: Uint8Array;
}

/**
 * Bounds what the Word file unpacks to before anything unpacks it: the sizes its central directory declares
 * (at most `unpackedBytes` in all; more than `ratio` times the file only for small totals), then each deflated
 * entry is inflated with a cap at its declared size, so an entry that lies about its size stops there.
 */
async function checkUnpackedSize(docx: Uint8Array): Promise<void> {
  const zip = await JSZip.loadAsync(docx);
  const entries = Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => ({ name: entry.name, data: (entry as unknown as { _data: ZipEntryData })._data }));
  const declared = entries.reduce((sum, entry) => sum + entry.data.uncompressedSize, 0);
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  if (declared > docxLimits.unpackedBytes) {
    throw new DocxTooLargeError(
      `the Word file would unpack to ${mb(declared)}, more than the ${mb(docxLimits.unpackedBytes)} a document may hold (a damaged or malicious file: ask the sender for it again)`,
    );
  }
  if (declared > docxLimits.ratioFloorBytes && declared > docxLimits.ratio * docx.length) {
    throw new DocxTooLargeError(
      `the Word file would unpack to ${mb(declared)} from ${Math.ceil(docx.length / 1024)} KB, ${Math.round(declared / docx.length)} times its size (a "zip bomb"): not imported`,
    );
  }
  for (const { name, data } of entries) {
    if (data.compression.magic !== '\x08\x00') continue; // stored entries are as large as they are
    try {
      inflateRawSync(data.compressedContent, { maxOutputLength: Math.max(1, data.uncompressedSize) });
    } catch {
      throw new DocxTooLargeError(
        `the Word file's part ${name} unpacks to more than it declares (${data.uncompressedSize} bytes) or is damaged: not imported`,
      );
    }
  }
}
