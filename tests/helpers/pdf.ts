import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A printed line: the text items that share a baseline, split where a column gap separates them. */
export interface PdfLine {
  text: string;
  x: number;
  y: number;
  /** Where the line's last glyph ends. */
  right: number;
  /** The font size of its first text item. */
  size: number;
}

export interface PdfPage {
  /** 1-based. */
  number: number;
  lines: PdfLine[];
  /** All text, white space and dot leaders removed, for "is this title printed here" checks. */
  compact: string;
}

export interface PdfOutlineItem {
  title: string;
  page: number;
  children: PdfOutlineItem[];
}

export interface ReadPdf {
  pages: PdfPage[];
  outline: PdfOutlineItem[];
  info: Record<string, unknown>;
}

/** Removes what layout adds between characters: white space, U+3000 padding, leader dots, joiners. */
export function compact(text: string): string {
  return text.replace(/[\s\u3000\u2060\u200b·・.…]+/gu, '');
}

/**
 * Reads a PDF back with pdfjs-dist (independent of the code that wrote it): lines per page, outline, info.
 * `gutter`: the least gap, in characters, that separates two columns' lines on one baseline (two-column
 * pages set their columns 1em apart).
 */
export async function readPdf(file: string, { gutter = 2 }: { gutter?: number } = {}): Promise<ReadPdf> {
  const data = new Uint8Array(await readFile(file));
  const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    const items = content.items
      .filter(
        (item): item is typeof item & { str: string; transform: number[]; width: number; height: number } =>
          'str' in item,
      )
      .filter((item) => item.str.length > 0)
      .map((item) => ({
        text: item.str,
        x: item.transform[4] ?? 0,
        y: item.transform[5] ?? 0,
        width: item.width,
        size: Math.abs(item.transform[0] ?? 10),
      }));
    pages.push({ number, lines: toLines(items, gutter), compact: compact(items.map((item) => item.text).join('')) });
  }
  const outline = await readOutline(pdf, (await pdf.getOutline()) ?? []);
  const metadata = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, outline, info: metadata.info as Record<string, unknown> };
}

type Item = { text: string; x: number; y: number; width: number; size: number };

function toLines(items: Item[], gutter: number): PdfLine[] {
  const rows = new Map<number, Item[]>();
  for (const item of items) {
    const key = [...rows.keys()].find((y) => Math.abs(y - item.y) < 2) ?? item.y;
    rows.set(key, [...(rows.get(key) ?? []), item]);
  }
  const lines: PdfLine[] = [];
  for (const [y, row] of [...rows.entries()].sort((a, b) => b[0] - a[0])) {
    row.sort((a, b) => a.x - b.x);
    let current: Item[] = [];
    const flush = () => {
      if (current.length === 0) return;
      const last = current.at(-1) as Item;
      lines.push({
        text: current.map((item) => item.text).join(''),
        x: current[0]?.x ?? 0,
        y,
        right: last.x + last.width,
        size: current[0]?.size ?? 0,
      });
      current = [];
    };
    for (const item of row) {
      const previous = current.at(-1);
      // A gap wider than the gutter is one: the next item starts another line.
      if (previous && item.x - (previous.x + previous.width) > gutter * item.size) flush();
      current.push(item);
    }
    flush();
  }
  return lines;
}

async function readOutline(
  pdf: Awaited<ReturnType<typeof getDocument>['promise']>,
  items: Awaited<ReturnType<Awaited<ReturnType<typeof getDocument>['promise']>['getOutline']>>,
): Promise<PdfOutlineItem[]> {
  const result: PdfOutlineItem[] = [];
  for (const item of items ?? []) {
    const dest = typeof item.dest === 'string' ? await pdf.getDestination(item.dest) : item.dest;
    const ref = Array.isArray(dest) ? dest[0] : undefined;
    const page = ref && typeof ref === 'object' ? (await pdf.getPageIndex(ref as never)) + 1 : 0;
    result.push({ title: item.title, page, children: await readOutline(pdf, item.items) });
  }
  return result;
}

/** Font rows of poppler's `pdffonts` (a second, independent reader): name and type; of pages `first`–`last` if given. */
export function pdffonts(
  file: string,
  pages?: { first: number; last: number },
): { name: string; type: string; embedded: boolean }[] {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  const output = execFileSync('pdffonts', [...range, file], { encoding: 'utf8' });
  return output
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((row) => {
      const type = /(Type 3|CID TrueType|TrueType|Type 1C?|CID Type 0C?|Type 0)/.exec(row)?.[1] ?? 'unknown';
      const flags = row.slice(row.indexOf(type) + type.length).match(/\b(yes|no)\b/g) ?? [];
      return { name: row.split(/\s+/)[0] ?? '', type, embedded: flags[0] === 'yes' };
    });
}

/** The link annotations of a PDF read back with pdfjs-dist: the page each is on and the page it opens. */
export async function readLinks(file: string): Promise<{ page: number; target: number }[]> {
  const data = new Uint8Array(await readFile(file));
  const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const links: { page: number; target: number }[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    for (const annotation of await (await pdf.getPage(number)).getAnnotations()) {
      if (annotation.subtype !== 'Link') continue;
      const dest = typeof annotation.dest === 'string' ? await pdf.getDestination(annotation.dest) : annotation.dest;
      const ref = Array.isArray(dest) ? dest[0] : undefined;
      links.push({ page: number, target: ref ? (await pdf.getPageIndex(ref)) + 1 : 0 });
    }
  }
  await pdf.destroy();
  return links;
}

/** Contents entries read from the contents pages: the text of each entry and the page number it gives. */
export function contentsEntries(pages: PdfPage[]): { text: string; page: number }[] {
  const start = pages.findIndex((page) => page.compact.includes('目录'));
  if (start < 0) return [];
  const entries: { text: string; page: number }[] = [];
  let pending = '';
  for (const page of pages.slice(start)) {
    if (page.number > start + 1 && !page.lines.some((line) => /[（(]\d+[）)]$/.test(line.text.trim()))) break;
    for (const line of page.lines) {
      const text = line.text.trim();
      if (compact(text) === '目录' || /^—\s*\d+\s*—$/.test(text)) continue;
      const match = /^(.*?)[（(](\d+)[）)]$/.exec(text);
      if (match) {
        entries.push({ text: compact(pending + (match[1] ?? '')), page: Number(match[2]) });
        pending = '';
      } else {
        pending += text;
      }
    }
  }
  return entries;
}

/** Characters that may not start or end a line (clreq, GB/T 15834). */
export const lineStartForbidden = new Set([...'。，、；：？！）》”』」〕】']);
export const lineEndForbidden = new Set([...'（《“『「〔【']);

/** Lines of body text that break a clreq rule; running heads and folios are not body text. */
export function lineBreakViolations(pages: PdfPage[]): { page: number; line: string }[] {
  const found: { page: number; line: string }[] = [];
  for (const page of pages) {
    for (const line of page.lines) {
      const text = line.text.replace(/[\s\u2060]+$/u, '').replace(/^[\s\u2060]+/u, '');
      if (!text || /^—\s*\d+\s*—$/u.test(text)) continue; // the folio "— 12 —"
      const first = text[0] as string;
      const last = text.at(-1) as string;
      const splitDash =
        (text.startsWith('—') && !text.startsWith('——')) || (text.endsWith('—') && !text.endsWith('——'));
      const splitEllipsis = text.endsWith('…') && !text.endsWith('……');
      const middleDot = text.startsWith('·') || text.endsWith('·');
      if (lineStartForbidden.has(first) || lineEndForbidden.has(last) || splitDash || splitEllipsis || middleDot) {
        found.push({ page: page.number, line: text.slice(0, 40) });
      }
    }
  }
  return found;
}

/** Ghostscript's ink coverage per page (the share of the page each ink covers), an independent reader. */
export function inkCoverage(file: string): { c: number; m: number; y: number; k: number }[] {
  const output = execFileSync('gs', ['-q', '-o', '-', '-sDEVICE=inkcov', '-r36', file], { encoding: 'utf8' });
  return [...output.matchAll(/^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+CMYK/gm)].map((match) => {
    const [c, m, y, k] = match.slice(1).map(Number) as [number, number, number, number];
    return { c, m, y, k };
  });
}

type Box = [number, number, number, number];

/** poppler's `pdfinfo -box`: each page's boxes (x0 y0 x1 y1, points). */
export function pageBoxes(file: string): { media: Box; bleed: Box; trim: Box }[] {
  const output = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '100000', file], { encoding: 'utf8' });
  const pages: { media: Box; bleed: Box; trim: Box }[] = [];
  for (const match of output.matchAll(/^Page\s+(\d+) (MediaBox|BleedBox|TrimBox):\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/gm)) {
    const index = Number(match[1]) - 1;
    const key = ({ MediaBox: 'media', BleedBox: 'bleed', TrimBox: 'trim' } as const)[match[2] as 'MediaBox'];
    pages[index] ??= { media: [0, 0, 0, 0], bleed: [0, 0, 0, 0], trim: [0, 0, 0, 0] };
    (pages[index] as Record<string, Box>)[key] = match.slice(3, 7).map(Number) as Box;
  }
  return pages;
}

/** An element of a page's structure tree as pdf.js gives it (getStructTree). */
export interface StructNode {
  role?: string;
  alt?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

/** Each page's structure tree and the text of its marked content, read with pdf.js. */
export async function readTags(file: string) {
  const pdf = await getDocument({ data: new Uint8Array(await readFile(file)), verbosity: 0 }).promise;
  const pages: { tree: StructNode | null; text: Map<string, { text: string; x: number; y: number }>; width: number }[] =
    [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const text = new Map<string, { text: string; x: number; y: number }>();
    let current: string | undefined;
    for (const item of (await page.getTextContent({ includeMarkedContent: true })).items) {
      if ('type' in item && item.type === 'beginMarkedContentProps') current = item.id ?? undefined;
      else if ('type' in item && item.type === 'endMarkedContent') current = undefined;
      else if ('str' in item && current) {
        const known = text.get(current);
        text.set(current, {
          text: (known?.text ?? '') + item.str,
          x: known?.x ?? (item.transform[4] as number),
          y: known?.y ?? (item.transform[5] as number),
        });
      }
    }
    pages.push({ tree: (await page.getStructTree()) as StructNode | null, text, width: page.view[2] as number });
  }
  await pdf.destroy();
  return pages;
}

export function walk(node: StructNode | null, visit: (node: StructNode) => void): void {
  if (!node) return;
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

/** Every object of the file as qpdf reads it (qpdf's JSON), keyed "12 0 R". */
export function qpdfObjects(file: string): Map<string, Record<string, unknown>> {
  const json = JSON.parse(
    execFileSync('qpdf', ['--json', '--json-key=qpdf', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 }),
  );
  const objects = Object.entries(json.qpdf[1] as Record<string, { value?: Record<string, unknown> }>);
  return new Map(objects.map(([key, object]) => [key.replace(/^obj:/, ''), object.value ?? {}]));
}

export function qpdfObject(objects: Map<string, Record<string, unknown>>, value: unknown): Record<string, unknown> {
  return typeof value === 'string' ? (objects.get(value) ?? {}) : ((value as Record<string, unknown>) ?? {});
}
