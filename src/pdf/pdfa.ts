import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
import { escapeHtml } from '../model/index.js';
import { type PdfMetadata, setMetadata } from './finish.js';
import { listFonts } from './fonts.js';

const run = promisify(execFile);

/** The sRGB profile Ghostscript ships, for the PDF/A output intent. */
function iccProfile(): string {
  const root = '/usr/share/ghostscript';
  const versions = existsSync(root) ? readdirSync(root) : [];
  for (const version of versions.sort().reverse()) {
    const file = path.join(root, version, 'iccprofiles', 'default_rgb.icc');
    if (existsSync(file)) return file;
  }
  throw new Error('Missing Ghostscript (for the PDF/A edition): install it with `apt-get install ghostscript`');
}

/**
 * The PDF/A-2b edition of a print PDF: Ghostscript's pdfwrite with an sRGB output intent, then the document
 * information and XMP metadata written again by us. Ghostscript 10.0 drops a non-ASCII title from both
 * ("Text string detected in DOCINFO cannot be represented in XMP for PDF/A1"), and its XMP carries the clock
 * and a random document id; ours carries the fixed date and an id derived from the content.
 */
export async function convertToPdfA(print: Uint8Array, metadata: PdfMetadata): Promise<Uint8Array> {
  const icc = iccProfile();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gazette-pdfa-'));
  try {
    const input = path.join(scratch, 'print.pdf');
    const output = path.join(scratch, 'pdfa.pdf');
    const definition = path.join(scratch, 'pdfa-def.ps');
    await writeFile(input, print);
    await writeFile(definition, pdfaDefinition(icc));
    await run(
      'gs',
      [
        '-q',
        '-dPDFA=2',
        '-dBATCH',
        '-dNOPAUSE',
        '-dNOOUTERSAVE',
        '-dPDFACompatibilityPolicy=1',
        '-sColorConversionStrategy=RGB',
        '-sDEVICE=pdfwrite',
        `--permit-file-read=${icc}`,
        `-sOutputFile=${output}`,
        definition,
        input,
      ],
      { env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(metadata.date.getTime() / 1000)) } },
    ).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      if (error.code === 'ENOENT') {
        throw new Error('Missing Ghostscript (for the PDF/A edition): install it with `apt-get install ghostscript`');
      }
      throw new Error(`Ghostscript could not make the PDF/A edition: ${error.stderr || error.message}`);
    });
    return await rewriteMetadata(new Uint8Array(await readFile(output)), metadata, print);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function pdfaDefinition(icc: string): string {
  const ps = (text: string) => `(${text.replace(/[()\\]/g, (char) => `\\${char}`)})`;
  return `%!
/ICCProfile ${ps(icc)} def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {icc_PDFA} /OutputConditionIdentifier (sRGB) /Info (sRGB IEC61966-2.1) >> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
`;
}

async function rewriteMetadata(bytes: Uint8Array, metadata: PdfMetadata, print: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  setMetadata(pdf, metadata);
  // The ID comes from the print edition, not from Ghostscript's output (which differs run to run): the same print
  // PDF gives the same PDF/A bytes, so `verify` can rebuild and compare the PDF/A edition too.
  const id = createHash('md5').update(print).digest('hex').toUpperCase();
  const xmp = xmpPacket(metadata, id);
  const stream = pdf.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  return pdf.save({ useObjectStreams: false });
}

/** XMP metadata as PDF/A-2b wants it, the same values as the document information dictionary. */
function xmpPacket(metadata: PdfMetadata, id: string): string {
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
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
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
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
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
