import { expect } from 'vitest';
import { contentsEntry } from '../../src/layout/contents.js';
import { documentTitle, type Issue, speakersOf, unpadName } from '../../src/model/index.js';
import { compact, contentsEntries, type ReadPdf } from './pdf.js';

/**
 * The contents read from the PDF has one entry per document, in order, with the document's title and
 * speaker; the page it names is the page on which that title block is printed (title and speaker found
 * there, and not on an earlier page since the previous document's).
 */
export function expectContentsMatchTitlePages(issue: Issue, pdf: ReadPdf): number[] {
  const entries = contentsEntries(pdf.pages);
  expect(entries.map((entry) => entry.text.slice(0, 6))).toEqual(
    issue.documents.map((document) => compact(contentsEntry(document).title).slice(0, 6)),
  );
  let previous = 0;
  return issue.documents.map((document, index) => {
    const entry = entries[index] as { text: string; page: number };
    const title = compact(documentTitle(document.meta));
    const page = pdf.pages[entry.page - 1];
    expect(page, `page ${entry.page} of ${document.id}`).toBeDefined();
    expect(page?.compact, `${document.id}: title on page ${entry.page}`).toContain(title.slice(0, 14));
    for (const speaker of speakersOf(document.meta)) {
      expect(page?.compact, `${document.id}: speaker on page ${entry.page}`).toContain(unpadName(speaker.name));
    }
    expect(entry.page).toBeGreaterThanOrEqual(previous);
    previous = entry.page;
    return entry.page;
  });
}

/**
 * Every page from the first document on carries the running head and its own page number as "– N –", but for
 * blank pages (left empty so a part starts on a right-hand page), which carry nothing.
 */
export function expectRunningHeadsAndFolios(pdf: ReadPdf, publication: string, firstContentPage: number): void {
  for (const page of pdf.pages.slice(firstContentPage - 1)) {
    if (page.lines.length === 0) continue;
    const texts = page.lines.map((line) => line.text.trim());
    expect(texts, `running head on page ${page.number}`).toContain(publication);
    expect(texts, `folio on page ${page.number}`).toContain(`– ${page.number} –`);
  }
  const cover = pdf.pages[0]?.lines.map((line) => line.text.trim()) ?? [];
  expect(cover.some((text) => /^–\s*\d+\s*–$/.test(text))).toBe(false);
}
