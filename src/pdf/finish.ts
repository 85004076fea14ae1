import { PDFDocument } from 'pdf-lib';
import { type EmbeddedFont, listFonts } from './fonts.js';
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

/** The PDF stage: outline and metadata onto Chromium's PDF, fonts read back for the print-shop check. */
export async function finishPdf(raw: Uint8Array, metadata: PdfMetadata, outline: OutlineItem[]): Promise<FinishedPdf> {
  const pdf = await PDFDocument.load(raw, { updateMetadata: false });
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  pdf.setAuthor(metadata.author);
  pdf.setSubject(metadata.subject);
  pdf.setKeywords(metadata.keywords);
  pdf.setCreator(metadata.creator);
  pdf.setProducer(metadata.creator);
  pdf.setCreationDate(metadata.date);
  pdf.setModificationDate(metadata.date);
  pdf.setLanguage(metadata.language);
  setOutline(pdf, outline);
  const bytes = await pdf.save({ useObjectStreams: false });
  return { bytes, fonts: listFonts(pdf), pageCount: pdf.getPageCount() };
}
