import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
import { escapeHtml } from '../model/index.js';
import { type PdfMetadata, setMetadata } from './finish.js';
import { listFonts } from './fonts.js';
import { ghostscriptPdfWrite, ghostscriptProfile, outputIntentDefinition } from './ghostscript.js';

/**
 * The PDF/A-2b edition of a print PDF: Ghostscript's pdfwrite with an sRGB output intent (Ghostscript's own
 * sRGB profile), then the document information and XMP metadata written again by us. Ghostscript 10.0 drops a
 * non-ASCII title from both ("Text string detected in DOCINFO cannot be represented in XMP for PDF/A1"), and
 * its XMP carries the clock and a random document id; ours carries the fixed date and an id derived from the
 * content.
 */
export async function convertToPdfA(print: Uint8Array, metadata: PdfMetadata): Promise<Uint8Array> {
  const what = 'the PDF/A edition';
  const icc = ghostscriptProfile('default_rgb.icc', what);
  const converted = await ghostscriptPdfWrite(print, {
    args: ['-dPDFA=2', '-dPDFACompatibilityPolicy=1', '-sColorConversionStrategy=RGB'],
    definition: outputIntentDefinition({
      profile: icc,
      channels: 3,
      subtype: 'GTS_PDFA1',
      condition: 'sRGB',
      info: 'sRGB IEC61966-2.1',
    }),
    readable: [icc],
    date: metadata.date,
    what,
  });
  return rewriteMetadata(converted, metadata, pdfaIdentification, print);
}

/** The XMP properties that say which standard a file claims (with their namespace). */
export interface XmpIdentification {
  namespaces: string;
  properties: string;
}

const pdfaIdentification: XmpIdentification = {
  namespaces: 'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"',
  properties: '<pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>',
};

/**
 * The document information and the XMP metadata, ours (fixed date, an id derived from `source`, the PDF the
 * edition was made from, and the standard it claims) with `identification`; `edit` may change the document first.
 * The id does not come from Ghostscript's output, which differs run to run: the same print PDF gives the same
 * edition, byte for byte, so `verify` can rebuild and compare every edition.
 */
export async function rewriteMetadata(
  bytes: Uint8Array,
  metadata: PdfMetadata,
  identification: XmpIdentification,
  source: Uint8Array,
  edit?: (pdf: PDFDocument) => void,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  setMetadata(pdf, metadata);
  edit?.(pdf);
  const id = createHash('md5').update(source).update(identification.properties).digest('hex').toUpperCase();
  const xmp = xmpPacket(metadata, id, identification);
  const stream = pdf.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  return pdf.save({ useObjectStreams: false });
}

/** XMP metadata as PDF/A-2b and PDF/X want it, the same values as the document information dictionary. */
function xmpPacket(metadata: PdfMetadata, id: string, identification: XmpIdentification): string {
  const date = metadata.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const lang = metadata.language;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    ${identification.namespaces}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeHtml(metadata.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${escapeHtml(metadata.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeHtml(metadata.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>${escapeHtml(lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>${escapeHtml(metadata.keywords.join(' '))}</pdf:Keywords>
   <pdf:Producer>${escapeHtml(metadata.creator)}</pdf:Producer>
   <xmp:CreatorTool>${escapeHtml(metadata.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <xmpMM:DocumentID>uuid:${uuidOf(id)}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:${uuidOf(id)}</xmpMM:InstanceID>
   ${identification.properties}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

function uuidOf(hex: string): string {
  const h = hex.toLowerCase().padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * What a PDF/A-2b validator would reject first, checked on the bytes: XMP metadata claiming PDF/A-2B, an
 * output intent with an ICC profile, a trailer ID, every font embedded, no encryption, no JavaScript.
 * Returns the problems found (empty when none). Not a full validator (veraPDF is not packaged for Debian).
 */
export async function inspectPdfA(bytes: Uint8Array): Promise<string[]> {
  const problems: string[] = [];
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const metadata = pdf.catalog.lookupMaybe(PDFName.of('Metadata'), PDFStream);
  const xmp = metadata instanceof PDFRawStream ? new TextDecoder().decode(metadata.contents) : '';
  if (!/<pdfaid:part>2<\/pdfaid:part>/.test(xmp) || !/<pdfaid:conformance>B<\/pdfaid:conformance>/.test(xmp)) {
    problems.push('no XMP metadata claiming PDF/A-2B');
  }
  const intents = pdf.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray);
  const intent = intents?.lookupMaybe(0, PDFDict);
  if (!intent?.has(PDFName.of('DestOutputProfile'))) problems.push('no output intent with an ICC profile');
  if (!pdf.context.trailerInfo.ID) problems.push('no document ID in the trailer');
  if (pdf.context.trailerInfo.Encrypt) problems.push('encrypted');
  if (
    pdf.catalog.has(PDFName.of('JavaScript')) ||
    pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.has(PDFName.of('JavaScript'))
  ) {
    problems.push('JavaScript present');
  }
  for (const font of listFonts(pdf)) {
    if (!font.embedded) problems.push(`font not embedded: ${font.name}`);
  }
  return problems;
}
