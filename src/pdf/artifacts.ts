import type { PDFDocument } from 'pdf-lib';
import { contentOperators, insertInto, RewrittenStreams, rewriteContents } from './content-stream.js';

const pathConstruction = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const pathPainting = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);

/**
 * A tagged PDF (PDF/UA) has every mark on a page either in the structure tree or marked as an artifact.
 * Chromium tags what its accessibility tree holds and leaves the rest outside any marked content: paged.js's
 * margin boxes (running heads, folios), rules and table borders, the page's background. Those are marked
 * /Artifact here, so that a screen reader skips them and a checker finds no untagged content.
 */
export function markArtifacts(pdf: PDFDocument): void {
  // zlib's fastest level: every page's stream is compressed anew on each build, and at pako's default level that
  // was the finishing's largest cost. The streams come out larger; the PDF a little (its fonts are most of it).
  rewriteContents(pdf, artifactsMarked, { forms: false, rewritten: markedBefore, level: 1 });
}

/**
 * Page streams marked before in this process: a rebuild (the preview's, the office page's) prints the pages it
 * did not lay out anew as they were printed before, byte for byte, and their marks are not looked for again.
 */
const markedBefore = new RewrittenStreams(32 * 1024 * 1024);

/**
 * `content` with each text object, painted path and image drawn outside marked content wrapped in
 * `/Artifact BMC … EMC`. A text object or path that holds marked content of its own is left as it is.
 */
export function artifactsMarked(content: Uint8Array): Uint8Array {
  const insertions: { at: number; text: string }[] = [];
  const wrap = (start: number, end: number) => {
    insertions.push({ at: start, text: '/Artifact BMC\n' }, { at: end, text: '\nEMC' });
  };
  let depth = 0;
  let open: { kind: 'text' | 'path' | 'image'; start: number; tagged: boolean } | undefined;
  for (const found of contentOperators(content)) {
    const { operator } = found;
    if (operator === 'BDC' || operator === 'BMC') {
      depth++;
      if (open) open.tagged = true;
      continue;
    }
    if (operator === 'EMC') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (open?.kind === 'text') {
      if (operator === 'ET') {
        if (!open.tagged) wrap(open.start, found.end);
        open = undefined;
      }
      continue;
    }
    if (open?.kind === 'image') {
      if (operator === 'EI') {
        if (!open.tagged) wrap(open.start, found.end);
        open = undefined;
      }
      continue;
    }
    if (depth > 0) continue;
    if (operator === 'BT') open = { kind: 'text', start: found.operandsStart, tagged: false };
    else if (operator === 'BI') open = { kind: 'image', start: found.operandsStart, tagged: false };
    else if (pathConstruction.has(operator)) open ??= { kind: 'path', start: found.operandsStart, tagged: false };
    else if (open?.kind === 'path' && (pathPainting.has(operator) || operator === 'n')) {
      // A path ended by `n` paints nothing (a clip): no mark to hide.
      if (operator !== 'n' && !open.tagged) wrap(open.start, found.end);
      open = undefined;
    } else if (operator === 'Do' || operator === 'sh') wrap(found.operandsStart, found.end);
  }
  return insertInto(content, insertions);
}
