import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { pdffonts, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const env = useBrowserAndTempDir('layout-cache');

/** A copy of the fixture issue to edit, with a cache folder and a folder for builds without the cache. */
async function copyFixture(name: string, profile: 'one-column' | 'two-column') {
  const source = path.join(env.dir, name, 'mini-2024-01');
  await cp(fixture, source, { recursive: true });
  if (profile === 'two-column') {
    const yml = await readFile(path.join(source, 'issue.yml'), 'utf8');
    await writeFile(path.join(source, 'issue.yml'), yml.replace('profile: one-column', 'profile: two-column'));
  }
  /** What the last cached build said it did (its progress lines). */
  const said: string[] = [];
  const logger = { progress: (line: string) => said.push(line), warn() {}, info() {} };
  const cached = (): Promise<BuildResult> => {
    said.length = 0;
    return buildIssue(source, {
      outDir: path.join(env.dir, name, 'out'),
      cacheDir: path.join(env.dir, name, 'cache'),
      browser: env.browser,
      logger,
    });
  };
  const uncached = (): Promise<BuildResult> =>
    buildIssue(source, { outDir: path.join(env.dir, name, 'fresh'), browser: env.browser });
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(path.join(source, file), 'utf8');
    expect(text).toContain(from);
    await writeFile(path.join(source, file), text.replace(from, to));
  };
  return { source, cached, uncached, edit, said };
}

/** The same PDF, to the byte (the build's PDF has fixed dates and a content-derived ID). */
async function expectSamePdf(a: BuildResult, b: BuildResult): Promise<void> {
  expect(a.pageCount).toBe(b.pageCount);
  expect(a.contents.map((entry) => entry.page)).toEqual(b.contents.map((entry) => entry.page));
  expect(Buffer.compare(await readFile(a.pdfPath), await readFile(b.pdfPath))).toBe(0);
}

describe('the layout cache', () => {
  it('lays out a run-on issue again from the page before an edit, giving the PDF a full layout gives', async () => {
    const issue = await copyFixture('run-on', 'one-column');
    const first = await issue.cached();
    expect(first.reusedPages).toBe(0);

    const again = await issue.cached();
    expect(again.reusedPages).toBe(first.pageCount);
    expect(issue.said).toContain(`mini-2024-01: part 1: all ${first.pageCount} pages from the layout cache`);
    await expectSamePdf(again, first);

    // An edit in the last block: the pages before the last one that starts at or before that block are kept.
    await issue.edit('05-attendance.md', '金江波', '金江波 张三丰');
    const edited = await issue.cached();
    expect(edited.reusedPages).toBeGreaterThan(0);
    expect(edited.reusedPages).toBeLessThan(first.pageCount);
    await expectSamePdf(edited, await issue.uncached());

    // An edit in an earlier block of the same document: the page laid out from block 4 in the last build is kept
    // as starting at block 4 (not at the document's start), so the layout resumes before the edit.
    await issue.edit('05-attendance.md', '顾瑾', '顾瑾瑜');
    const earlier = await issue.cached();
    expect(earlier.reusedPages).toBeGreaterThan(0);
    await expectSamePdf(earlier, await issue.uncached());

    // A longer paragraph: the pages after it move on, and their numbers with them; the contents' numbers change
    // on the cached contents page.
    await issue.edit('04-announcement.md', '特此公告。', `${'依法公告如上，请各方知悉。'.repeat(160)}\n\n特此公告。`);
    const longer = await issue.cached();
    expect(longer.pageCount).toBeGreaterThan(first.pageCount);
    expect(longer.reusedPages).toBeGreaterThan(2);
    expect(longer.contents.at(-1)?.page).toBeGreaterThan(first.contents.at(-1)?.page ?? 0);
    await expectSamePdf(longer, await issue.uncached());
  });

  it('lays out only the edited document of an issue whose documents each start a page', async () => {
    const issue = await copyFixture('new-page', 'two-column');
    const first = await issue.cached();

    await issue.edit('03-resolution.md', '决定：接受', '决定：同意接受');
    const edited = await issue.cached();
    expect(edited.reusedPages).toBeGreaterThanOrEqual(first.pageCount - 2);
    await expectSamePdf(edited, await issue.uncached());

    // A new character on the cover only (the issuer's name): the cover and contents are laid out again with the
    // first document (the blank page before it comes from such a layout), the other documents' pages come from
    // the cache, printed in the subsets made anew, and no face is in the PDF twice (a glyph missing from a
    // subset would come from a fallback font).
    const config = path.join(issue.source, 'issue.yml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('issuer: 上海市示范区', 'issuer: 上海市堃示范区'));
    const cover = await issue.cached();
    expect(issue.said.join('\n')).toContain('laying out from front through doc-01-agenda');
    expect(cover.reusedPages).toBeGreaterThanOrEqual(first.pageCount - 4);
    expect((await readPdf(cover.pdfPath)).pages[0]?.compact).toContain('上海市堃示范区');
    const faces = pdffonts(cover.pdfPath).map((font) => font.name.slice(7));
    expect(faces).toEqual([...new Set(faces)]);
    await expectSamePdf(cover, await issue.uncached());

    // A document removed: the contents, shorter, are laid out again with the document now first; the others keep
    // their pages under new page numbers.
    const yml = await readFile(path.join(issue.source, 'issue.yml'), 'utf8');
    expect(yml).not.toContain('documents:');
    await rm(path.join(issue.source, '01-agenda.md'));
    const removed = await issue.cached();
    expect(removed.contents).toHaveLength(4);
    expect(issue.said.join('\n')).toContain('laying out from front through doc-02-report-old-housing');
    await expectSamePdf(removed, await issue.uncached());
  });

  it('keeps the cached pages after an edit that brings in a character the issue did not hold', async () => {
    const issue = await copyFixture('new-character', 'one-column');
    const first = await issue.cached();
    const fontsOf = async (result: BuildResult) =>
      (await readFile(result.htmlPath, 'utf8')).match(/[^/']+\.ttf/g)?.sort() ?? [];
    const firstFonts = await fontsOf(first);
    expect(firstFonts).toHaveLength(7);

    // 喆 (outside GB 2312): the body's font subsets are made anew with it, the pages before the edit are kept.
    await issue.edit('05-attendance.md', '金江波', '金江波 李喆');
    const edited = await issue.cached();
    expect((await readPdf(edited.pdfPath)).pages.map((page) => page.compact).join('')).toContain('金江波李喆');
    const editedFonts = await fontsOf(edited);
    expect(editedFonts).toHaveLength(7);
    for (const font of editedFonts) expect(firstFonts).not.toContain(font);
    expect(edited.reusedPages).toBeGreaterThan(0);
    await expectSamePdf(edited, await issue.uncached());

    // One subset per face for the whole issue, the cover and contents included.
    const faces = pdffonts(edited.pdfPath).map((font) => font.name.slice(7));
    expect(faces).toEqual([...new Set(faces)]);
  });

  it('ignores a damaged cache file and lays out anew', async () => {
    const issue = await copyFixture('damaged', 'one-column');
    const first = await issue.cached();
    await writeFile(path.join(env.dir, 'damaged', 'cache', 'mini-2024-01', 'part-0.json'), '{"format": 1, "pa');
    const again = await issue.cached();
    expect(again.reusedPages).toBe(0);
    await expectSamePdf(again, first);
  });
});
