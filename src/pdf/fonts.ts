import { PDFArray, PDFDict, type PDFDocument, PDFName } from 'pdf-lib';

/** A font as the PDF embeds it. */
export interface EmbeddedFont {
  name: string;
  /** /Subtype: Type0, TrueType, Type1, Type3, CIDFontType2… */
  subtype: string;
  embedded: boolean;
}

/** Every top-level font of the PDF (descendant CID fonts are judged through their Type0 parent). */
export function listFonts(pdf: PDFDocument): EmbeddedFont[] {
  const fonts: EmbeddedFont[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    if (object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const subtype = nameOf(object.get(PDFName.of('Subtype')));
    if (subtype === 'CIDFontType0' || subtype === 'CIDFontType2') continue;
    const name = nameOf(object.get(PDFName.of('BaseFont'))) || nameOf(object.get(PDFName.of('Name'))) || '(unnamed)';
    fonts.push({ name, subtype, embedded: subtype === 'Type3' || isEmbedded(object) });
  }
  return fonts;
}

function isEmbedded(font: PDFDict): boolean {
  const cidFont = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)?.lookupMaybe(0, PDFDict);
  const descriptor = (cidFont ?? font).lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
  return ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor?.has(PDFName.of(key)) ?? false);
}

function nameOf(value: unknown): string {
  return value instanceof PDFName ? value.decodeText() : '';
}
