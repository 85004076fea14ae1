import { documentAnchor, type GazetteDocument, type Issue } from '../model/index.js';

/**
 * Characters of text a part of a two-column issue holds at most (about 100 pages) unless told: a part costs
 * about two seconds of its own (page load, fonts, paged.js start), so parts pay off on long issues only (see
 * the README's figures).
 */
export const defaultPartCharacters = 150_000;

/**
 * Which documents are laid out together. Where each document starts on a new page (the two-column profile),
 * the documents are cut into parts of about `partCharacters`, laid out side by side in separate browsers:
 * paged.js's time grows faster than the page count, so smaller parts are faster even on one core. Where
 * documents run on, a page can hold the end of one and the start of the next: one part.
 */
export function planParts(
  issue: Issue,
  textLength: Record<string, number>,
  partCharacters = defaultPartCharacters,
): GazetteDocument[][] {
  if (issue.config.profile !== 'two-column') return [issue.documents];
  const parts: GazetteDocument[][] = [];
  let current: GazetteDocument[] = [];
  let size = 0;
  for (const document of issue.documents) {
    const length = textLength[documentAnchor(document)] ?? 0;
    if (current.length > 0 && size + length > partCharacters) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(document);
    size += length;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** Where the parts of an issue land once joined, one after the other. */
export interface PartPlacement {
  /** Each part's first page. */
  starts: number[];
  /** The whole issue's page count. */
  pageCount: number;
  /** Document anchor → the page its title block is printed on, in the whole issue. */
  documentPages: Record<string, number>;
}

/**
 * Numbers the parts' pages in the whole issue: the first part (which starts with the cover and contents) from
 * page 1, each other part where the previous one ended. `parts` holds each part's page count, its documents'
 * anchors and their pages counted from 1.
 */
export function placeParts(
  parts: readonly { pageCount: number; anchors: readonly string[]; documentPages: Record<string, number> }[],
): PartPlacement {
  const starts: number[] = [];
  const documentPages: Record<string, number> = {};
  let next = 1;
  for (const part of parts) {
    starts.push(next);
    for (const anchor of part.anchors) documentPages[anchor] = next + (part.documentPages[anchor] ?? 1) - 1;
    next += part.pageCount;
  }
  return { starts, pageCount: next - 1, documentPages };
}
