import { inflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { materialiseNumbering } from './word-numbering.js';
import { type ChangeChoice, type Revision, resolveRevisions } from './word-revisions.js';

/** What mammoth makes of a Word file: HTML, and its warnings ("Unrecognised paragraph style …"). */
export interface DocxHtml {
  html: string;
  warnings: string[];
  /** Tracked changes and comments, as found (before `changes` was applied). */
  revisions: Revision[];
  /** The images, in order, under the names the HTML gives them (`images/<name>`). */
  images: DocxImage[];
}

export interface DocxImage {
  /** The path the HTML's `<img src>` gives, relative to the issue folder: `images/报告-1.png`. */
  path: string;
  bytes: Uint8Array;
}

export interface DocxOptions {
  /** Take the tracked changes or undo them; without a choice they are only listed (and taken, as Word shows). */
  changes?: ChangeChoice;
  /** The images' file name stem (`报告` → `images/报告-1.png`); without it images are left out. */
  imageStem?: string;
}

const imageExtensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/tiff': 'tif',
  'image/svg+xml': 'svg',
  'image/webp': 'webp',
};

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
 * Converts a .docx file to HTML with mammoth: tracked changes listed and resolved (`resolveRevisions`), list
 * numbers written into the text (`materialiseNumbering`), centred and right-aligned paragraphs marked
 * `p.center` / `p.right`, images named `images/<stem>-N.<ext>` with their bytes (or left out, as `<img>`
 * without a source, without a stem).
 */
export async function docxToHtml(docx: Uint8Array, options: DocxOptions = {}): Promise<DocxHtml> {
  await checkUnpackedSize(docx);
  const resolved = await resolveRevisions(docx, options.changes);
  const numbered = await materialiseNumbering(resolved.docx);
  const images: DocxImage[] = [];
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(numbered.docx) },
    {
      styleMap,
      transformDocument: (document: WordElement) => markAlignment(document),
      convertImage: mammoth.images.imgElement(async (image) => {
        const extension = imageExtensions[image.contentType];
        if (options.imageStem === undefined || extension === undefined) return { src: '' };
        const path = `images/${options.imageStem}-${images.length + 1}.${extension}`;
        images.push({ path, bytes: new Uint8Array(await image.readAsBuffer()) });
        return { src: path };
      }),
    },
  );
  const warnings = result.messages.map((message) => message.message);
  return { html: result.value, warnings, revisions: resolved.revisions, images };
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
