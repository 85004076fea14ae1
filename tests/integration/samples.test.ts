import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { launchBrowser } from '../../src/render/browser.js';
import { expectContentsMatchTitlePages, expectRunningHeadsAndFolios } from '../helpers/assertions.js';
import { lineBreakViolations, pdffonts, type ReadPdf, readPdf } from '../helpers/pdf.js';

/** The two real issues, built whole: what the office would send to the print shop. */
const samples = [
  { id: 'baoshan-2024-03', documents: 39 },
  { id: 'hongkou-2024-03', documents: 26 },
];

let browser: Browser;
let outDir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'gazette-samples-'));
});

afterAll(async () => {
  await browser?.close();
  await rm(outDir, { recursive: true, force: true });
});

describe.each(samples)('sample issue $id', ({ id, documents }) => {
  let result: BuildResult;
  let pdf: ReadPdf;

  beforeAll(async () => {
    result = await buildIssue(path.resolve('issues', id), { outDir, browser });
    pdf = await readPdf(result.pdfPath);
  });

  it('has every document, each contents number on the page its title is printed on', () => {
    expect(result.issue.documents).toHaveLength(documents);
    expectContentsMatchTitlePages(result.issue, pdf);
  });

  it('has the running head and page number on every content page', () => {
    expectRunningHeadsAndFolios(pdf, result.issue.config.publication, result.contents[0]?.page ?? 3);
  });

  it('has a bookmark per document, on its title page', () => {
    const bookmarks = pdf.outline.flatMap((item) => item.children);
    expect(bookmarks.map((item) => item.page)).toEqual(result.contents.map((entry) => entry.page));
  });

  it('has no Type 3 and no unembedded font', () => {
    expect(pdffonts(result.pdfPath).filter((font) => font.type !== 'CID TrueType' || !font.embedded)).toEqual([]);
  });

  it('breaks no line against the Chinese rules', () => {
    expect(lineBreakViolations(pdf.pages)).toEqual([]);
  });
});
