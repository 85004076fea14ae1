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
    expect(texts, `folio on page ${page.number}`).toContain(`— ${page.number} —`);
  }
  const cover = pdf.pages[0]?.lines.map((line) => line.text.trim()) ?? [];
  expect(cover.some((text) => /^—\s*\d+\s*—$/.test(text))).toBe(false);
}

/** Terms a display line must not break inside (GB/T 9704 keeps each line's words whole). */
const displayTerms = [
  /人民代表大会/gu,
  /常务委员会/gu,
  /人大常委会/gu,
  /人民政府/gu,
  /第[一二三四五六七八九十百]+[届次]/gu,
];

/**
 * Each contents entry that wraps breaks between words: no cut inside a term, a short quoted term or a law's name
 * in 〈…〉, and its last line holds two characters of the title or more. Returns how many wrapped entries were
 * checked.
 */
export function expectContentsBrokenBetweenWords(titles: string[], pdf: ReadPdf, contentsPages: number[]): number {
  const lines = contentsPages.flatMap((number) => pdf.pages[number - 1]?.lines.map((line) => compact(line.text)) ?? []);
  let wrapped = 0;
  for (const title of titles.map(compact)) {
    const start = lines.findIndex((line) => line.length < title.length && title.startsWith(line));
    if (start < 0) continue;
    const cuts: number[] = [];
    let joined = lines[start] as string;
    for (let at = start + 1; at < lines.length && joined.length < title.length; at++) {
      const line = lines[at] as string;
      const rest = title.slice(joined.length);
      if (!title.startsWith(joined + line) && !line.startsWith(rest)) break;
      cuts.push(joined.length);
      joined += line.startsWith(rest) ? rest : line;
    }
    if (joined !== title) continue;
    wrapped++;
    expectCutsBetweenWords(title, cuts, 'contents', [/〈[^〉]{1,16}〉/gu]);
  }
  return wrapped;
}

/**
 * A wrapped display text's cuts (offsets where its lines end): none inside a term or a short quoted term (or
 * one of `moreTerms`), and two characters or more on its last line.
 */
function expectCutsBetweenWords(text: string, cuts: number[], label: string, moreTerms: RegExp[] = []): void {
  const terms = [...displayTerms, /“[^”]{1,4}”/gu, ...moreTerms].flatMap((pattern) => [...text.matchAll(pattern)]);
  for (const cut of cuts) {
    const broken = terms.find((term) => (term.index as number) < cut && cut < (term.index as number) + term[0].length);
    expect(broken?.[0], `${label}: "${text.slice(0, cut)}/${text.slice(cut)}"`).toBeUndefined();
  }
  expect(
    text.slice(cuts.at(-1) ?? 0).replace(/[^\p{L}\p{N}]/gu, '').length,
    `${label}: last line of ${text}`,
  ).toBeGreaterThanOrEqual(2);
}

/**
 * Each document's title, adoption note and occasion line, found in its title page's lines: where it wraps, it
 * wraps between words (no cut inside a term or a short quoted term) and its last line holds two characters or
 * more. Returns how many wrapped display lines were checked.
 */
export function expectDisplayLinesBrokenBetweenWords(issue: Issue, pdf: ReadPdf, titlePages: number[]): number {
  let wrapped = 0;
  issue.documents.forEach((document, index) => {
    const page = pdf.pages[(titlePages[index] as number) - 1];
    const { meta } = document;
    const texts = [
      documentTitle(meta),
      meta.adopted ? `（${meta.adopted}）` : '',
      meta.occasion ? `——${meta.occasion}` : '',
    ];
    for (const text of texts.map(compact).filter((value) => value.length > 0)) {
      const lines = page?.lines.map((line) => compact(line.text)) ?? [];
      const start = lines.findIndex(
        (line, at) => line !== text && text.startsWith(line) && text.startsWith(line + (lines[at + 1] ?? '')),
      );
      if (start < 0) continue;
      const cuts: number[] = [];
      let joined = lines[start] as string;
      for (let at = start + 1; joined.length < text.length && text.startsWith(joined + lines[at]); at++) {
        cuts.push(joined.length);
        joined += lines[at];
      }
      if (joined !== text) continue;
      wrapped++;
      expectCutsBetweenWords(text, cuts, document.id);
    }
  });
  return wrapped;
}
