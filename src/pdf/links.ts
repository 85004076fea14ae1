import { type PDFDocument, PDFName } from 'pdf-lib';

/** A clickable area: a box on a page, in the page's own CSS pixels, that opens another page. */
export interface PageLink {
  /** 1-based page the area is on. */
  page: number;
  box: { x: number; y: number; width: number; height: number; pageWidth: number; pageHeight: number };
  /** 1-based page it opens. */
  target: number;
}

/** Adds link annotations (the contents lines opening their documents' pages). */
export function addLinks(pdf: PDFDocument, links: PageLink[]): void {
  const pages = pdf.getPages();
  for (const link of links) {
    const page = pages[link.page - 1];
    const target = pages[link.target - 1];
    if (!page || !target) continue;
    const { width, height } = page.getSize();
    const sx = width / link.box.pageWidth;
    const sy = height / link.box.pageHeight;
    const x1 = link.box.x * sx;
    const y2 = height - link.box.y * sy;
    const annotation = pdf.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [x1, y2 - link.box.height * sy, x1 + link.box.width * sx, y2],
      Border: [0, 0, 0],
      Dest: [target.ref, 'XYZ', null, null, null],
    });
    const ref = pdf.context.register(annotation);
    const existing = page.node.Annots();
    if (existing) existing.push(ref);
    else page.node.set(PDFName.of('Annots'), pdf.context.obj([ref]));
  }
}
