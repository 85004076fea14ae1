import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { markArtifacts } from './artifacts.js';
import { type EmbeddedFont, listFonts } from './fonts.js';
import { addLinks, type PageLink } from './links.js';
import { type OutlineItem, setOutline } from './outline.js';

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  /** BCP 47 language tag of the text. */
  language: string;
  /** Creation and modification date: fixed (from the issue or SOURCE_DATE_EPOCH), never the clock. */
  date: Date;
  creator: string;
}

export interface FinishedPdf {
  bytes: Uint8Array;
  fonts: EmbeddedFont[];
  pageCount: number;
}

/** The document information dictionary, every value fixed (no clock), the title shown in the window. */
export function setMetadata(pdf: PDFDocument, metadata: PdfMetadata): void {
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  pdf.setAuthor(metadata.author);
  pdf.setSubject(metadata.subject);
  pdf.setKeywords(metadata.keywords);
  pdf.setCreator(metadata.creator);
  pdf.setProducer(metadata.creator);
  pdf.setCreationDate(metadata.date);
  pdf.setModificationDate(metadata.date);
  pdf.setLanguage(metadata.language);
}

/**
 * pdf-lib yields to the event loop every 50 objects unless told (a timer each, about 90 for a 70-page issue,
 * most of the save's time); every 1,000 still lets a server answer between them.
 */
const saveOptions = { useObjectStreams: false, objectsPerTick: 1000 };

/** The PDF stage: outline and metadata onto Chromium's PDF, fonts read back for the print-shop check. */
export async function finishPdf(
  input: Uint8Array | PDFDocument,
  metadata: PdfMetadata,
  outline: OutlineItem[],
  links: PageLink[] = [],
): Promise<FinishedPdf> {
  const pdf = input instanceof PDFDocument ? input : await PDFDocument.load(input, { updateMetadata: false });
  markArtifacts(pdf);
  addLinks(pdf, links);
  setMetadata(pdf, metadata);
  setOutline(pdf, outline);
  // A file identifier that depends on the finished content only (Chromium's own Info and trailer carry the
  // clock, so they cannot be the source): hash the file without an ID, then write it with that ID.
  pdf.context.trailerInfo.ID = undefined;
  const withoutId = await pdf.save(saveOptions);
  const id = createHash('md5').update(withoutId).digest('hex');
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  const bytes = withTrailerId(withoutId, id) ?? (await pdf.save(saveOptions));
  return { bytes, fonts: listFonts(pdf), pageCount: pdf.getPageCount() };
}

/**
 * The file with the ID in its trailer, as pdf-lib writes it: the trailer follows the cross-reference table, so
 * adding the entry moves no object (saving the whole file again took a third of a second per 70 pages). undefined
 * if the end of the file is not the trailer pdf-lib writes.
 */
function withTrailerId(bytes: Uint8Array, id: string): Uint8Array | undefined {
  const tailStart = Math.max(0, bytes.length - 512);
  const tail = Buffer.from(bytes.subarray(tailStart)).toString('latin1');
  const end = tail.lastIndexOf('\n>>\n\nstartxref\n');
  if (end < 0 || tail.lastIndexOf('\ntrailer\n<<\n') < 0 || tail.includes('/ID')) return undefined;
  const at = tailStart + end;
  const entry = Buffer.from(`\n/ID [ <${id}> <${id}> ]`, 'latin1');
  return Buffer.concat([bytes.subarray(0, at), entry, bytes.subarray(at)]);
}
