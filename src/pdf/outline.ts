import { type PDFDocument, PDFHexString, PDFName, PDFNumber, type PDFRef } from 'pdf-lib';

/** A bookmark: a title, the 1-based page it opens, and its children. */
export interface OutlineItem {
  title: string;
  page: number;
  children?: OutlineItem[];
}

/**
 * Writes the PDF outline (bookmarks) with pdf-lib's low-level objects (it has no outline API): the catalog's
 * /Outlines, each item linked to its parent and siblings, opening its page at the top-left.
 */
export function setOutline(pdf: PDFDocument, items: OutlineItem[]): void {
  if (items.length === 0) return;
  const { context } = pdf;
  const pages = pdf.getPages();
  const rootRef = context.nextRef();

  const writeLevel = (level: OutlineItem[], parentRef: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = level.map(() => context.nextRef());
    let count = 0;
    level.forEach((item, index) => {
      const ref = refs[index] as PDFRef;
      const page = pages[Math.min(Math.max(item.page, 1), pages.length) - 1];
      const dict = context.obj({ Title: PDFHexString.fromText(item.title), Parent: parentRef });
      if (page) dict.set(PDFName.of('Dest'), context.obj([page.ref, 'XYZ', null, null, null]));
      if (index > 0) dict.set(PDFName.of('Prev'), refs[index - 1] as PDFRef);
      if (index < refs.length - 1) dict.set(PDFName.of('Next'), refs[index + 1] as PDFRef);
      if (item.children && item.children.length > 0) {
        const children = writeLevel(item.children, ref);
        dict.set(PDFName.of('First'), children.first);
        dict.set(PDFName.of('Last'), children.last);
        dict.set(PDFName.of('Count'), PDFNumber.of(children.count));
        count += children.count;
      }
      count += 1;
      context.assign(ref, dict);
    });
    return { first: refs[0] as PDFRef, last: refs.at(-1) as PDFRef, count };
  };

  const top = writeLevel(items, rootRef);
  context.assign(
    rootRef,
    context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: PDFNumber.of(top.count) }),
  );
  pdf.catalog.set(PDFName.of('Outlines'), rootRef);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
