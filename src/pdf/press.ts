import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  cmyk,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFDocument as PDFDocumentClass,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFStream,
  PDFString,
} from 'pdf-lib';
import type { BlankPagePlace } from '../model/index.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import { findColourOperators, isNeutral, neutralRgbToGray } from './content-colors.js';
import { decodedContents, rewriteContents } from './content-stream.js';
import type { PdfMetadata } from './finish.js';
import { listFonts } from './fonts.js';
import { ghostscriptPdfWrite, ghostscriptProfile, ghostscriptRead, outputIntentDefinition } from './ghostscript.js';
import { rewriteMetadata, type XmpIdentification } from './pdfa.js';

const run = promisify(execFile);

/** The printing condition the CMYK conversion targets, with its ICC profile. */
export interface PrintingCondition {
  profile: string;
  /** OutputConditionIdentifier: the registered name of the condition (color.org's registry). */
  condition: string;
  info: string;
  registry?: string;
}

/**
 * Ghostscript's own CMYK profile (Debian libgs-common, installed with ghostscript): "Artifex CMYK SWOP
 * Profile", coated web offset, registered as CGATS TR 001. Debian has no FOGRA39 ICC profile
 * (icc-profiles-free ships only FOGRA39's measurement data, colord-data only RGB profiles); a print shop's own
 * profile can be given instead.
 */
export function defaultPrintingCondition(): PrintingCondition {
  return {
    profile: ghostscriptProfile('default_cmyk.icc', 'the press edition'),
    condition: 'CGATS TR 001',
    info: 'Artifex CMYK SWOP Profile (coated web offset)',
    registry: 'http://www.color.org',
  };
}

export const pdfxVersion = 'PDF/X-3:2002';
const mm = 72 / 25.4;
/** Bleed where anything runs to the trim edge. */
export const bleed = 3 * mm;
/** Crop marks: how far from the trim they start (beyond the bleed), how long they are, the slug they need. */
const markOffset = bleed + 2 * mm;
const markLength = 5 * mm;
const slug = markOffset + markLength + 2 * mm;

export interface PressOptions {
  metadata: PdfMetadata;
  blankPages: BlankPagePlace;
  /** Crop marks at the trim corners, in a slug around the bleed. */
  marks?: boolean;
  condition?: PrintingCondition;
}

export interface PressEdition {
  bytes: Uint8Array;
  /** Pages added to make the count a multiple of four, and where (1-based page numbers in the edition). */
  blankPages: number[];
  /** Pages (1-based, of the print PDF) whose content reaches the trim edge: they get a 3 mm bleed box. */
  bleedingPages: number[];
  pageCount: number;
}

const pdfxIdentification: XmpIdentification = {
  namespaces: 'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"\n    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"',
  properties: [
    `<pdfxid:GTS_PDFXVersion>${pdfxVersion}</pdfxid:GTS_PDFXVersion>`,
    `<pdfx:GTS_PDFXVersion>${pdfxVersion}</pdfx:GTS_PDFXVersion>`,
    '<pdf:Trapped>False</pdf:Trapped>',
  ].join('\n   '),
};

/**
 * The print shop's edition of a print PDF: greys in black ink only, every other colour and every image converted
 * to CMYK with the printing condition's profile by Ghostscript (PDF/X-3, which has no transparency: Chromium's
 * pages have none), the page count padded to a multiple of four with blank pages, a TrimBox on every page (the
 * finished size), a BleedBox, crop marks on request, the PDF/X version in the document information and XMP.
 */
export async function makePressEdition(print: Uint8Array, options: PressOptions): Promise<PressEdition> {
  const condition = options.condition ?? defaultPrintingCondition();
  const what = 'the press edition';
  const prepared = await blackInkOnly(print);
  const [converted, bleeding] = await Promise.all([
    ghostscriptPdfWrite(prepared, {
      args: ['-dPDFX', '-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK'],
      definition: `${outputIntentDefinition({ ...condition, channels: 4, subtype: 'GTS_PDFX' })}[ /GTS_PDFXVersion (${pdfxVersion}) /Trapped /False /DOCINFO pdfmark\n`,
      readable: [condition.profile],
      date: options.metadata.date,
      what,
    }),
    pagesReachingTheEdge(print),
  ]);
  let blankPages: number[] = [];
  let pageCount = 0;
  const bytes = await rewriteMetadata(converted, options.metadata, pdfxIdentification, print, (pdf) => {
    rewriteContents(pdf, (content) => content, { always: true });
    blankPages = padToFour(pdf, options.blankPages);
    setBoxes(pdf, bleeding, blankPages, options.marks === true);
    infoOf(pdf).set(PDFName.of('GTS_PDFXVersion'), PDFString.of(pdfxVersion));
    infoOf(pdf).set(PDFName.of('Trapped'), PDFName.of('False'));
    pageCount = pdf.getPageCount();
  });
  // PDF/X-3:2002 is PDF 1.3, the header Ghostscript wrote; pdf-lib always writes 1.7 (same length: the offsets hold).
  bytes.set(new TextEncoder().encode('%PDF-1.3'), 0);
  return { bytes, blankPages, bleedingPages: bleeding, pageCount };
}

/**
 * Greys as DeviceGray in every page's content and form (see neutralRgbToGray), and no annotations (the contents
 * links: PDF/X allows none on the page).
 */
async function blackInkOnly(print: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocumentClass.load(print, { updateMetadata: false });
  rewriteContents(pdf, neutralRgbToGray);
  for (const page of pdf.getPages()) page.node.delete(PDFName.of('Annots'));
  return pdf.save({ useObjectStreams: false });
}

/** The document information dictionary (pdf-lib keeps its getter private). */
function infoOf(pdf: PDFDocument): PDFDict {
  return pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
}

/** Pages whose marks reach the page edge, from Ghostscript's bbox device (what is painted, white included). */
async function pagesReachingTheEdge(print: Uint8Array): Promise<number[]> {
  const pdf = await PDFDocumentClass.load(print, { updateMetadata: false });
  const output = await ghostscriptRead(print, ['-sDEVICE=bbox'], 'the press edition');
  const boxes = [...output.matchAll(/%%HiResBoundingBox: ([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+)/g)];
  const reaching: number[] = [];
  boxes.forEach((match, index) => {
    const page = pdf.getPage(index);
    const { width, height } = page.getSize();
    const [x0, y0, x1, y1] = match.slice(1).map(Number) as [number, number, number, number];
    const tolerance = 0.5;
    if (x1 <= x0 || y1 <= y0) return;
    if (x0 <= tolerance || y0 <= tolerance || x1 >= width - tolerance || y1 >= height - tolerance) {
      reaching.push(index + 1);
    }
  });
  return reaching;
}

/** Adds blank pages of the last page's size so that the count is a multiple of four; returns their numbers. */
function padToFour(pdf: PDFDocument, place: BlankPagePlace): number[] {
  const count = pdf.getPageCount();
  const missing = (4 - (count % 4)) % 4;
  const last = pdf.getPage(count - 1);
  const size: [number, number] = [last.getWidth(), last.getHeight()];
  const at = place === 'before-last' && count > 1 ? count - 1 : count;
  const added: number[] = [];
  for (let index = 0; index < missing; index++) {
    pdf.insertPage(at + index, size);
    added.push(at + index + 1);
  }
  return added;
}

/**
 * TrimBox = the page as laid out (A4 or 16K); BleedBox 3 mm beyond it on pages whose content reaches the edge
 * (`bleeding`, numbered before the blank pages were added), the TrimBox elsewhere; the MediaBox holds the bleed
 * and, with marks, a slug with crop marks in black ink.
 */
function setBoxes(pdf: PDFDocument, bleeding: number[], blankPages: number[], marks: boolean): void {
  let printed = 0;
  pdf.getPages().forEach((page, index) => {
    const blank = blankPages.includes(index + 1);
    if (!blank) printed++;
    const { x, y, width, height } = page.getMediaBox();
    const out = blank || !bleeding.includes(printed) ? 0 : bleed;
    const media = marks ? slug : out;
    page.setTrimBox(x, y, width, height);
    page.setBleedBox(x - out, y - out, width + 2 * out, height + 2 * out);
    page.setMediaBox(x - media, y - media, width + 2 * media, height + 2 * media);
    page.node.delete(PDFName.of('CropBox'));
    if (marks) drawCropMarks(pdf, page, { x, y, width, height });
    // pdf-lib leaves an empty /Annots on a page it draws on.
    if (page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size() === 0) page.node.delete(PDFName.of('Annots'));
  });
}

function drawCropMarks(
  pdf: PDFDocument,
  page: ReturnType<PDFDocument['getPage']>,
  trim: { x: number; y: number; width: number; height: number },
): void {
  // The page's own content in q … Q, so that no state it leaves set moves the marks.
  page.node.wrapContentStreams(
    pdf.context.register(pdf.context.stream('q\n')),
    pdf.context.register(pdf.context.stream('\nQ\n')),
  );
  const black = cmyk(0, 0, 0, 1);
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: black });
  for (const cornerX of [trim.x, trim.x + trim.width]) {
    for (const cornerY of [trim.y, trim.y + trim.height]) {
      const sx = cornerX === trim.x ? -1 : 1;
      const sy = cornerY === trim.y ? -1 : 1;
      line(cornerX + sx * markOffset, cornerY, cornerX + sx * (markOffset + markLength), cornerY);
      line(cornerX, cornerY + sy * markOffset, cornerX, cornerY + sy * (markOffset + markLength));
    }
  }
}

/**
 * What a print shop's preflight would refuse first, read back from the written bytes: the PDF/X version in
 * the document information and the XMP, a CMYK output intent with its profile, a trailer ID, no encryption, no
 * annotations, the page count a multiple of four, TrimBox ⊆ BleedBox ⊆ MediaBox on every page, fonts embedded
 * and subset, no RGB colour left, no grey or black made of four inks, and qpdf's structural check. Returns
 * the problems (empty when none). Not a full PDF/X validator (none is packaged for Debian).
 */
export async function inspectPress(bytes: Uint8Array): Promise<string[]> {
  const problems: string[] = [];
  const pdf = await PDFDocumentClass.load(bytes, { updateMetadata: false });
  const info = infoOf(pdf);
  const version = info.lookupMaybe(PDFName.of('GTS_PDFXVersion'), PDFString)?.decodeText();
  if (version !== pdfxVersion) problems.push(`document information without GTS_PDFXVersion ${pdfxVersion}`);
  if (info.get(PDFName.of('Trapped')) !== PDFName.of('False')) problems.push('Trapped is not False');
  const metadata = pdf.catalog.lookupMaybe(PDFName.of('Metadata'), PDFStream);
  const xmp = metadata instanceof PDFRawStream ? new TextDecoder().decode(metadata.contents) : '';
  if (!xmp.includes(`<pdfxid:GTS_PDFXVersion>${pdfxVersion}</pdfxid:GTS_PDFXVersion>`)) {
    problems.push('no XMP metadata with the PDF/X version');
  }
  const intent = pdf.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray)?.lookupMaybe(0, PDFDict);
  const profile = intent?.lookupMaybe(PDFName.of('DestOutputProfile'), PDFStream);
  if (intent?.get(PDFName.of('S')) !== PDFName.of('GTS_PDFX') || !profile) {
    problems.push('no GTS_PDFX output intent with an ICC profile');
  } else if (profile.dict.lookupMaybe(PDFName.of('N'), PDFNumber)?.asNumber() !== 4) {
    problems.push('the output intent profile is not CMYK');
  }
  if (!pdf.context.trailerInfo.ID) problems.push('no document ID in the trailer');
  if (pdf.context.trailerInfo.Encrypt) problems.push('encrypted');
  const header = new TextDecoder().decode(bytes.subarray(0, 8));
  if (header !== '%PDF-1.3') problems.push(`${header}: PDF/X-3:2002 wants PDF 1.3`);
  if (pdf.getPageCount() % 4 !== 0) problems.push(`${pdf.getPageCount()} pages, not a multiple of 4`);
  pdf.getPages().forEach((page, index) => {
    const where = `page ${index + 1}`;
    if (!page.node.has(PDFName.of('TrimBox'))) problems.push(`${where}: no TrimBox`);
    if (!page.node.has(PDFName.of('BleedBox'))) problems.push(`${where}: no BleedBox`);
    if (!inside(page.getTrimBox(), page.getBleedBox()) || !inside(page.getBleedBox(), page.getMediaBox())) {
      problems.push(`${where}: the TrimBox is not inside the BleedBox inside the MediaBox`);
    }
    if ((page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size() ?? 0) > 0)
      problems.push(`${where}: annotations`);
  });
  for (const font of listFonts(pdf)) {
    if (!font.embedded) problems.push(`font not embedded: ${font.name}`);
    else if (!/^[A-Z]{6}\+/.test(font.name)) problems.push(`font not subset: ${font.name}`);
    if (font.subtype === 'Type3') problems.push(`Type 3 font: ${font.name}`);
  }
  problems.push(...colourProblems(pdf));
  problems.push(...(await qpdfCheck(bytes)));
  return problems;
}

function inside(
  inner: { x: number; y: number; width: number; height: number },
  outer: { x: number; y: number; width: number; height: number },
): boolean {
  const e = 0.01;
  return (
    inner.x >= outer.x - e &&
    inner.y >= outer.y - e &&
    inner.x + inner.width <= outer.x + outer.width + e &&
    inner.y + inner.height <= outer.y + outer.height + e
  );
}

/** RGB colour (operators, colour spaces, images) and four-ink greys anywhere in the file's content. */
function colourProblems(pdf: PDFDocument): string[] {
  const problems = new Set<string>();
  for (const [ref, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const space = object.dict.get(PDFName.of('ColorSpace'));
    if (space === PDFName.of('DeviceRGB')) problems.add(`RGB image ${ref.toString()}`);
    if (object.dict.has(PDFName.of('SMask'))) problems.add(`image with transparency ${ref.toString()}`);
  }
  for (const content of decodedContents(pdf)) {
    for (const found of findColourOperators(content)) {
      if (found.operator === 'rg' || found.operator === 'RG') problems.add('RGB colour in the page content');
      if ((found.operator === 'k' || found.operator === 'K') && found.operands.length === 4) {
        const [c = 0, m = 0, y = 0, k = 0] = found.operands;
        if (c > 0 && isNeutral([c, m, y]) && k > 0.5) problems.add('a grey or black made of four inks');
      }
    }
  }
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('ExtGState')) {
      if (object.has(PDFName.of('SMask')) && object.get(PDFName.of('SMask')) !== PDFName.of('None')) {
        problems.add('a soft mask (transparency)');
      }
    }
  }
  return [...problems];
}

async function qpdfCheck(bytes: Uint8Array): Promise<string[]> {
  const scratch = await makeScratchDir('press');
  try {
    const file = path.join(scratch, 'press.pdf');
    await writeFile(file, bytes);
    await run('qpdf', ['--check', file]);
    return [];
  } catch (error) {
    const failure = error as Error & { stdout?: string; code?: number | string };
    if (failure.code === 'ENOENT') return ['qpdf is missing (apt-get install qpdf): the file was not checked'];
    return [`qpdf --check: ${(failure.stdout ?? failure.message).trim().split('\n').slice(-3).join(' ')}`];
  } finally {
    await removeScratchDir(scratch);
  }
}
