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
