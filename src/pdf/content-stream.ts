/**
 * PDF content streams, read with a tokenizer that steps over strings, hex strings, dictionaries and inline
 * image data (a regular expression over the bytes would match inside them), and written back.
 */
import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import pako from 'pako';
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

/** zlib's compression levels. */
export type DeflateLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

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

/** Byte classes of PDF syntax (ISO 32000 7.2.2), looked up per byte: regular 0, white space 1, delimiter 2. */
const byteClass = new Uint8Array(256);
for (const byte of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) byteClass[byte] = 1;
for (const char of '()<>[]{}/%') byteClass[char.charCodeAt(0)] = 2;
const isWhitespace = (byte: number) => byteClass[byte] === 1;

/** Every operator of `content`, in order. */
export function contentOperators(content: Uint8Array): ContentOperator[] {
  const found: ContentOperator[] = [];
  let operands: number[] = [];
  let numbersStart = -1;
  let operandsStart: number | undefined;
  let index = 0;
  const length = content.length;
  while (index < length) {
    const byte = content[index] as number;
    const kind = byteClass[byte];
    if (kind === 1) {
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
      operands = [];
      continue;
    }
    if (byte === 0x3c /* < */) {
      if (content[index + 1] === 0x3c) index += 2;
      else while (index < length && content[index] !== 0x3e) index++;
      index++;
      operands = [];
      continue;
    }
    if (kind === 2) {
      // A name (/F1), an array bracket or a dictionary end: not a number, not an operator.
      index++;
      while (byte === 0x2f && index < length && byteClass[content[index] as number] === 0) index++;
      operands = [];
      continue;
    }
    const start = index;
    while (index < length && byteClass[content[index] as number] === 0) index++;
    const value = numberAt(content, start, index);
    if (value !== undefined) {
      if (operands.length === 0) numbersStart = start;
      operands.push(value);
      continue;
    }
    const token = tokenAt(content, start, index);
    if (token === 'ID') index = skipInlineImage(content, index);
    const first = operands.length > 0 ? numbersStart : start;
    found.push({
      operator: token === 'ID' ? 'EI' : token,
      operands,
      start: first,
      operandsStart: Math.min(operandsStart, first),
      end: index,
    });
    operands = [];
    operandsStart = undefined;
  }
  return found;
}

const shortTokens = new Map<number, string>();

/** The token from `start` to `end` as text; the short ones (every operator) made once. */
function tokenAt(content: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > 3) return String.fromCharCode(...content.subarray(start, end));
  let key = length;
  for (let index = start; index < end; index++) key = key * 256 + (content[index] as number);
  let token = shortTokens.get(key);
  if (token === undefined) {
    token = String.fromCharCode(...content.subarray(start, end));
    shortTokens.set(key, token);
  }
  return token;
}

/**
 * The number written from `start` to `end` (`[+-]?(\d+\.?\d*|\.\d+)`), or undefined for any other token. Its
 * digits make one integer divided once by a power of ten: rounded once, as `Number()` rounds the text.
 */
function numberAt(content: Uint8Array, start: number, end: number): number | undefined {
  let index = start;
  const sign = content[index] === 0x2d ? -1 : 1;
  if (content[index] === 0x2b || content[index] === 0x2d) index++;
  let digits = 0;
  let decimals = -1;
  let mantissa = 0;
  for (; index < end; index++) {
    const byte = content[index] as number;
    if (byte >= 0x30 && byte <= 0x39) {
      mantissa = mantissa * 10 + (byte - 0x30);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (byte === 0x2e && decimals < 0) decimals = 0;
    else return undefined;
  }
  if (digits === 0) return undefined;
  if (digits > 15) return Number(String.fromCharCode(...content.subarray(start, end)));
  return (sign * mantissa) / 10 ** Math.max(0, decimals);
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
      isWhitespace(content[index] as number) &&
      content[index + 1] === 0x45 &&
      content[index + 2] === 0x49 &&
      (index + 3 >= content.length || isWhitespace(content[index + 3] as number))
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
  // The same few texts go in hundreds of times a page: each encoded once.
  const encoded = new Map<string, Uint8Array>();
  let at = 0;
  for (const { at: next, text } of sorted) {
    const bytes = encoded.get(text) ?? Buffer.from(text, 'utf8');
    encoded.set(text, bytes);
    parts.push(content.subarray(at, next), bytes);
    at = next;
  }
  parts.push(content.subarray(at));
  return Buffer.concat(parts);
}

/** What an entry of RewrittenStreams holds besides its stream: its key and the map's own. */
const entryBytes = 128;

/**
 * Content streams rewritten by one `change`, by what they were (their filters and stored bytes): what a
 * rebuild prints again as it was printed before is not decoded, changed and compressed again. Past `maxBytes`
 * of rewritten streams the least recently used go.
 */
export class RewrittenStreams {
  private readonly entries: LRUCache<string, { rewritten: Uint8Array | null }>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (entry) => entryBytes + (entry.rewritten?.length ?? 0),
    });
  }

  /** The stream's key: its filters and stored bytes; none when a filter is an indirect object (its value unknown). */
  keyOf(stream: PDFRawStream): string | undefined {
    const filters = [stream.dict.get(PDFName.of('Filter')), stream.dict.get(PDFName.of('DecodeParms'))];
    if (filters.some((filter) => filter instanceof PDFRef)) return undefined;
    return createHash('sha256').update(filters.join(' ')).update(stream.getContents()).digest('base64');
  }

  /** The stream's content as rewritten (compressed), null if `change` left it as it was, undefined if unknown. */
  get(key: string): Uint8Array | null | undefined {
    return this.entries.get(key)?.rewritten;
  }

  set(key: string, rewritten: Uint8Array | null): void {
    this.entries.set(key, { rewritten });
  }
}

/**
 * Runs `change` over content streams (every page's, and with `forms` the forms they draw) and writes the
 * streams it changed again, compressed anew. Given `always`, writes every stream again: Ghostscript 10.0 ends
 * some content streams without zlib's end mark, which qpdf reports ("input stream is complete but output may
 * still be valid"). `rewritten`: the streams `change` rewrote before, in this process. `level`: zlib's compression
 * level (pako's default, 6, unless told).
 */
export function rewriteContents(
  pdf: PDFDocument,
  change: (content: Uint8Array) => Uint8Array,
  {
    always = false,
    forms = true,
    rewritten,
    level = 6,
  }: { always?: boolean; forms?: boolean; rewritten?: RewrittenStreams; level?: DeflateLevel } = {},
): void {
  for (const ref of contentStreams(pdf, forms)) {
    const stream = pdf.context.lookup(ref) as PDFRawStream;
    // `always` writes what `change` left as it was: not what the memo holds of it.
    const key = always ? undefined : rewritten?.keyOf(stream);
    let deflated = key === undefined ? undefined : rewritten?.get(key);
    if (deflated === undefined) {
      const content = decoded(stream);
      const changed = change(content);
      // pako (JavaScript, pdf-lib's own deflate): the same bytes on every machine, which `archive verify` relies
      // on; Node's zlib is Chromium's, whose output may differ with the processor's features.
      deflated = changed === content && !always ? null : pako.deflate(changed, { level });
      if (key !== undefined) rewritten?.set(key, deflated);
    }
    if (deflated === null) continue;
    const dict = stream.dict.clone(pdf.context);
    for (const key of ['Filter', 'DecodeParms', 'Length']) dict.delete(PDFName.of(key));
    const entries = dict.entries().map(([key, value]) => [key.decodeText(), value]);
    pdf.context.assign(ref, pdf.context.stream(deflated, { ...Object.fromEntries(entries), Filter: 'FlateDecode' }));
  }
}

/** The decoded content of every page and of the forms they draw. */
export function decodedContents(pdf: PDFDocument): Uint8Array[] {
  return contentStreams(pdf, true).map((ref) => decoded(pdf.context.lookup(ref) as PDFRawStream));
}

/**
 * A stream's content, decoded. Flate alone (what Chromium and Ghostscript write) goes to Node's zlib, several
 * times faster than pdf-lib's JavaScript inflate; a sync flush takes a stream without zlib's end mark too.
 */
function decoded(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const flate =
    filter === PDFName.of('FlateDecode') ||
    (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('FlateDecode'));
  if (flate && !stream.dict.has(PDFName.of('DecodeParms'))) {
    return inflateSync(stream.getContents(), { finishFlush: constants.Z_SYNC_FLUSH });
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
