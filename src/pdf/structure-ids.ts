import { PDFArray, PDFDict, type PDFDocument, PDFHexString, PDFName, type PDFObject, PDFString } from 'pdf-lib';

/**
 * Chromium tags its PDFs (a structure tree for accessibility) and names structure elements after DOM node ids
 * ("node00000412"); those depend on how many nodes the renderer happened to create before, so two builds of
 * the same sources differ. Renames them in their own order ("node00000001", …), everywhere they occur (the
 * elements' /ID, table cells' /Headers, the /IDTree), which keeps the tags and makes the bytes reproducible.
 */
export function normalizeStructureIds(pdf: PDFDocument): void {
  const ids = new Set<string>();
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('StructElem')) continue;
    const id = object.get(PDFName.of('ID'));
    if (id instanceof PDFString || id instanceof PDFHexString) ids.add(id.decodeText());
  }
  if (ids.size === 0) return;
  const width = Math.max(8, String(ids.size).length);
  const renamed = new Map(
    [...ids].sort(compareIds).map((id, index) => [id, `node${String(index + 1).padStart(width, '0')}`]),
  );
  const rename = (value: PDFObject): PDFObject => {
    if (value instanceof PDFString || value instanceof PDFHexString) {
      const next = renamed.get(value.decodeText());
      return next ? PDFString.of(next) : value;
    }
    if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) value.set(i, rename(value.get(i)));
    } else if (value instanceof PDFDict) {
      for (const [key, inner] of value.entries()) value.set(key, rename(inner));
    }
    return value;
  };
  for (const [, object] of pdf.context.enumerateIndirectObjects()) rename(object);
}

/** Orders "node00000412"-style ids by their number, others after them by text. */
function compareIds(a: string, b: string): number {
  const na = Number(/\d+$/.exec(a)?.[0] ?? Number.NaN);
  const nb = Number(/\d+$/.exec(b)?.[0] ?? Number.NaN);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}
