/**
 * PDF content streams, read with a tokenizer that steps over strings, hex strings, dictionaries and inline
 * image data (a regular expression over the bytes would match inside them), and written back.
 */
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

const whitespace = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const delimiters = new Set([...'()<>[]{}/%'].map((char) => char.charCodeAt(0)));

/** Every operator of `content`, in order. */
export function contentOperators(content: Uint8Array): ContentOperator[] {
  const found: ContentOperator[] = [];
  let numbers: { value: number; start: number }[] = [];
  let operandsStart: number | undefined;
  let index = 0;
  const length = content.length;
  const isRegular = (byte: number) => !whitespace.has(byte) && !delimiters.has(byte);
  while (index < length) {
    const byte = content[index] as number;
    if (whitespace.has(byte)) {
      index++;
      continue;
    }
    if (byte === 0x25 /* % */) {
      while (index < length && content[index] !== 0x0a && content[index] !== 0x0d) index++;
      continue;
    }
    operandsStart ??= index;
    if (byte === 0x28 /* ( */) {
      index = skipString(content, index);
      numbers = [];
      continue;
    }
    if (byte === 0x3c /* < */) {
      if (content[index + 1] === 0x3c) index += 2;
      else while (index < length && content[index] !== 0x3e) index++;
      index++;
      numbers = [];
      continue;
    }
    if (delimiters.has(byte)) {
      // A name (/F1), an array bracket or a dictionary end: not a number, not an operator.
      index++;
      while (byte === 0x2f && index < length && isRegular(content[index] as number)) index++;
      numbers = [];
      continue;
    }
    const start = index;
    while (index < length && isRegular(content[index] as number)) index++;
    const token = String.fromCharCode(...content.subarray(start, index));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      numbers.push({ value: Number(token), start });
      continue;
    }
    if (token === 'ID') index = skipInlineImage(content, index);
    found.push({
      operator: token === 'ID' ? 'EI' : token,
      operands: numbers.map((number) => number.value),
      start: numbers[0]?.start ?? start,
      operandsStart: Math.min(operandsStart, numbers[0]?.start ?? start),
      end: index,
    });
    numbers = [];
    operandsStart = undefined;
  }
  return found;
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
      whitespace.has(content[index] as number) &&
      content[index + 1] === 0x45 &&
      content[index + 2] === 0x49 &&
      (index + 3 >= content.length || whitespace.has(content[index + 3] as number))
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
    parts.push(content.subarray(at, insertion.at), new TextEncoder().encode(insertion.text));
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
    const content = decodePDFRawStream(stream).decode();
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
  return contentStreams(pdf, true).map((ref) => decodePDFRawStream(pdf.context.lookup(ref) as PDFRawStream).decode());
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
