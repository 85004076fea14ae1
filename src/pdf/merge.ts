import { PDFDocument } from 'pdf-lib';

/** A blank page (left empty so the next part starts on a right-hand page). */
export const blankPage = 'blank' as const;

/**
 * Joins the separately printed parts of an issue, in order, into one document; a `blank` entry adds an empty
 * page of the previous page's size.
 */
export async function mergeParts(parts: (Uint8Array | typeof blankPage)[]): Promise<PDFDocument> {
  const merged = await PDFDocument.create({ updateMetadata: false });
  for (const part of parts) {
    if (part === blankPage) {
      const last = merged.getPages().at(-1);
      merged.addPage(last ? [last.getWidth(), last.getHeight()] : undefined);
      continue;
    }
    const source = await PDFDocument.load(part, { updateMetadata: false });
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
  }
  return merged;
}
