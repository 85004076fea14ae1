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
