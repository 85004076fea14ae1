/**
 * PDF content streams, read with a tokenizer that steps over strings, hex strings, dictionaries and inline
 * image data (a regular expression over the bytes would match inside them), and written back.
 */
import { inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from 'pdf-lib';

/** An operator with the numbers just before it, where it sits in the stream. */
export interface ContentOperator {
  operator: string;
  /** The numbers right before the operator (what a colour or a position is given as). */
  operands: number[];
  /** Byte offset of the numbers before the operator (of the operator where there are none). */
  start: number;
  /** Byte offset of its first operand of any kind: a name, a string, an array, a dictionary. */
  operandsStart: number;
  /** Byte offset just after the operator. */
  end: number;
}

const whitespace = 1;
const delimiter = 2;
/** Each byte's class: white space, a delimiter, or regular (0). A table, as this runs over every byte. */
const byteClass = new Uint8Array(256);
for (const byte of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) byteClass[byte] = whitespace;
for (const char of '()<>[]{}/%') byteClass[char.charCodeAt(0)] = delimiter;

/** Every operator of `content`, in order. */
export function contentOperators(content: Uint8Array): ContentOperator[] {
  const found: ContentOperator[] = [];
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
  let operands: number[] = [];
  let numbersStart = -1;
  let operandsStart = -1;
  let index = 0;
  const length = content.length;
  while (index < length) {
    const byte = content[index] as number;
    const kind = byteClass[byte];
    if (kind === whitespace) {
      index++;
      continue;
    }
    if (byte === 0x25 /* % */) {
      while (index < length && content[index] !== 0x0a && content[index] !== 0x0d) index++;
      continue;
    }
    if (operandsStart < 0) operandsStart = index;
    if (kind === delimiter) {
      if (byte === 0x28 /* ( */) index = skipString(content, index);
      else if (byte === 0x3c /* < */ && content[index + 1] === 0x3c) index += 2;
      else if (byte === 0x3c) index = Math.min(length, text.indexOf('>', index) >>> 0) + 1;
      else {
        // A name (/F1), an array bracket or a dictionary end: not a number, not an operator.
        index++;
        while (byte === 0x2f && index < length && byteClass[content[index] as number] === 0) index++;
      }
      operands = [];
      numbersStart = -1;
      continue;
    }
    const start = index;
    while (index < length && byteClass[content[index] as number] === 0) index++;
    if (isNumber(content, start, index)) {
      if (operands.length === 0) numbersStart = start;
      operands.push(Number(text.slice(start, index)));
      continue;
    }
    const token = text.slice(start, index);
    if (token === 'ID') index = skipInlineImage(content, index);
    const first = numbersStart < 0 ? start : numbersStart;
    found.push({
      operator: token === 'ID' ? 'EI' : token,
      operands,
      start: first,
      operandsStart: Math.min(operandsStart, first),
      end: index,
    });
    operands = [];
    numbersStart = -1;
    operandsStart = -1;
  }
  return found;
}

/** Whether `content[start, end)` is a PDF number: an optional sign, digits with at most one point. */
function isNumber(content: Uint8Array, start: number, end: number): boolean {
  let index = start;
  if (content[index] === 0x2b || content[index] === 0x2d) index++;
  let digits = 0;
  let points = 0;
  for (; index < end; index++) {
    const byte = content[index] as number;
    if (byte >= 0x30 && byte <= 0x39) digits++;
    else if (byte === 0x2e && points === 0) points++;
    else return false;
  }
  return digits > 0;
}

function skipString(content: Uint8Array, from: number): number {
  let depth = 0;
  let index = from;
  while (index < content.length) {
    const byte = content[index];
    if (byte === 0x5c /* \ */) index += 2;
    else {
      if (byte === 0x28) depth++;
      else if (byte === 0x29 && --depth === 0) return index + 1;
      index++;
    }
  }
  return index;
}

/** Inline image data runs from after "ID " to "EI" between white space. */
function skipInlineImage(content: Uint8Array, from: number): number {
  for (let index = from + 1; index + 2 < content.length; index++) {
    if (
      byteClass[content[index] as number] === whitespace &&
      content[index + 1] === 0x45 &&
      content[index + 2] === 0x49 &&
      (index + 3 >= content.length || byteClass[content[index + 3] as number] === whitespace)
    ) {
      return index + 3;
    }
  }
  return content.length;
}

/** `content` with `insertions` (byte offset → text) put in, in offset order. */
export function insertInto(content: Uint8Array, insertions: readonly { at: number; text: string }[]): Uint8Array {
  if (insertions.length === 0) return content;
  const sorted = [...insertions].sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const insertion of sorted) {
    parts.push(content.subarray(at, insertion.at), Buffer.from(insertion.text));
    at = insertion.at;
  }
  parts.push(content.subarray(at));
  return Buffer.concat(parts);
}

/**
 * Runs `change` over content streams (every page's, and with `forms` the forms they draw) and writes the
 * streams it changed again, compressed anew. Given `always`, writes every stream again: Ghostscript 10.0 ends
 * some content streams without zlib's end mark, which qpdf reports ("input stream is complete but output may
 * still be valid").
 */
export function rewriteContents(
  pdf: PDFDocument,
  change: (content: Uint8Array) => Uint8Array,
  { always = false, forms = true }: { always?: boolean; forms?: boolean } = {},
): void {
  for (const ref of contentStreams(pdf, forms)) {
    const stream = pdf.context.lookup(ref) as PDFRawStream;
    const content = decodedContent(stream);
    const changed = change(content);
    if (changed === content && !always) continue;
    const dict = stream.dict.clone(pdf.context);
    for (const key of ['Filter', 'DecodeParms', 'Length']) dict.delete(PDFName.of(key));
    const entries = dict.entries().map(([key, value]) => [key.decodeText(), value]);
    pdf.context.assign(ref, pdf.context.flateStream(changed, Object.fromEntries(entries)));
  }
}

/** The decoded content of every page and of the forms they draw. */
export function decodedContents(pdf: PDFDocument): Uint8Array[] {
  return contentStreams(pdf, true).map((ref) => decodedContent(pdf.context.lookup(ref) as PDFRawStream));
}

/**
 * A stream's content decoded: by Node's zlib where it is only deflated (Chromium's content streams), which is
 * several times faster than pdf-lib's inflate in JavaScript and gives the same bytes; by pdf-lib otherwise.
 * (Writing stays with pdf-lib's deflate: its output is the same on every machine, which a rebuild compared
 * byte for byte needs.)
 */
function decodedContent(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const flate =
    filter === PDFName.of('FlateDecode') ||
    (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('FlateDecode'));
  if (flate && !stream.dict.has(PDFName.of('DecodeParms'))) {
    try {
      return inflateSync(stream.getContents());
    } catch {
      // A stream zlib refuses (Ghostscript 10.0 leaves out zlib's end mark on some): pdf-lib reads what it can.
    }
  }
  return decodePDFRawStream(stream).decode();
}

/** The content streams of every page and, with `withForms`, of the forms they draw (each once). */
function contentStreams(pdf: PDFDocument, withForms: boolean): PDFRef[] {
  const found = new Set<PDFRef>();
  const add = (ref: unknown) => {
    if (!(ref instanceof PDFRef) || found.has(ref)) return;
    if (!(pdf.context.lookup(ref) instanceof PDFRawStream)) return;
    found.add(ref);
    forms((pdf.context.lookup(ref) as PDFRawStream).dict.lookupMaybe(PDFName.of('Resources'), PDFDict));
  };
  const forms = (resources: PDFDict | undefined) => {
    if (!withForms) return;
    const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    for (const [, ref] of xobjects?.entries() ?? []) {
      if (pdf.context.lookupMaybe(ref, PDFStream)?.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) add(ref);
    }
  };
  for (const page of pdf.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'));
    const list = contents instanceof PDFArray ? contents : pdf.context.lookup(contents);
    for (const ref of list instanceof PDFArray ? list.asArray() : [contents]) add(ref);
    forms(page.node.Resources());
  }
  return [...found];
}
