import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import {
  expectContentsBrokenBetweenWords,
  expectContentsMatchTitlePages,
  expectDisplayLinesBrokenBetweenWords,
  expectRunningHeadsAndFolios,
} from '../helpers/assertions.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { lineBreakViolations, pdffonts, type ReadPdf, readPdf } from '../helpers/pdf.js';

/** The two real issues, built whole: what the office would send to the print shop. */
const samples = [
  { id: 'baoshan-2024-03', documents: 39, wrappedDisplayLines: 25, wrappedContents: 3 },
  { id: 'hongkou-2024-03', documents: 26, wrappedDisplayLines: 30, wrappedContents: 2 },
];

const env = useBrowserAndTempDir('samples');

describe.each(samples)('sample issue $id', ({ id, documents, wrappedDisplayLines, wrappedContents }) => {
  let result: BuildResult;
  let pdf: ReadPdf;

  beforeAll(async () => {
    result = await buildIssue(path.resolve('issues', id), { outDir: env.dir, browser: env.browser });
    pdf = await readPdf(result.pdfPath);
  });

  it('has every document, each contents number on the page its title is printed on', () => {
    expect(result.issue.documents).toHaveLength(documents);
    expectContentsMatchTitlePages(result.issue, pdf);
  });

  it('breaks its wrapped titles, adoption notes and occasion lines between words', () => {
    const titlePages = result.contents.map((entry) => entry.page);
    expect(expectDisplayLinesBrokenBetweenWords(result.issue, pdf, titlePages)).toBeGreaterThanOrEqual(
      wrappedDisplayLines,
    );
  });

  it('breaks its wrapped contents entries between words', () => {
    const contentsPages = Array.from({ length: (result.contents[0]?.page ?? 3) - 2 }, (_, index) => index + 2);
    const titles = result.contents.map((entry) => entry.title);
    expect(expectContentsBrokenBetweenWords(titles, pdf, contentsPages)).toBeGreaterThanOrEqual(wrappedContents);
  });

  it('has the running head and page number on every content page', () => {
    expectRunningHeadsAndFolios(pdf, result.issue.config.publication, result.contents[0]?.page ?? 3);
  });

  it('has a bookmark per document, on the page its title is printed on', () => {
    const bookmarks = pdf.outline.flatMap((item) => item.children);
    // The pages the printed contents gives, each checked against the page the title is printed on.
    expect(bookmarks.map((item) => item.page)).toEqual(expectContentsMatchTitlePages(result.issue, pdf));
  });

  it('has no Type 3 and no unembedded font', () => {
    expect(pdffonts(result.pdfPath).filter((font) => font.type !== 'CID TrueType' || !font.embedded)).toEqual([]);
  });

  it('embeds one font per face and weight, named after its face', () => {
    const fonts = pdffonts(result.pdfPath);
    expect(fonts.length).toBeLessThanOrEqual(16);
    for (const font of fonts) {
      expect(font.name).toMatch(
        /^[A-Z]{6}\+(NotoSerifSC-(Regular|Bold|Black)|NotoSansSC-(Regular|Bold)|LXGWWenKai-(Regular|Bold))$/,
      );
    }
    // The body's faces: no text falls back to another font (DejaVu) or to a slice of one.
    const names = new Set(fonts.map((font) => font.name.slice(7)));
    expect([...names].sort()).toEqual(
      expect.arrayContaining(['LXGWWenKai-Regular', 'NotoSansSC-Regular', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']),
    );
  });

  it('breaks no line against the Chinese rules', () => {
    expect(lineBreakViolations(pdf.pages)).toEqual([]);
  });
});
