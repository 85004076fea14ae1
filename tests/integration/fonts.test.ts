import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { pdffonts, type ReadPdf, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const env = useBrowserAndTempDir('fonts');

/** Our faces, as `fonts.ts` loads them (each a subset: a six-letter tag, then the face's PostScript name). */
const ourFace = /^[A-Z]{6}\+(NotoSerifSC-(Regular|Bold|Black)|NotoSansSC-(Regular|Bold)|LXGWWenKai-(Regular|Bold))$/;

/**
 * The fonts poppler finds on pages `first`–`last`. A character missing from a subset would be printed in a
 * fallback face found by fontconfig: another face's name, or (LXGW WenKai, installed from Debian, is both our
 * 楷体 and a system font) the same name a second time, as a font object of its own.
 */
function fontsOfPages(file: string, first: number, last: number): string[] {
  return pdffonts(file, { first, last }).map((font) => font.name);
}

describe('the cover and contents are printed in the subsets of the part they start, nothing in a fallback face', () => {
  let result: BuildResult;
  let pdf: ReadPdf;
  let frontPages: number;

  beforeAll(async () => {
    const source = path.join(env.dir, 'mini-2024-01');
    await cp(fixture, source, { recursive: true });
    // Characters only the cover and contents show: a meeting's name (cover) and a title (contents) holding
    // characters outside GB 2312, and a page number of two digits.
    const yml = path.join(source, 'issue.yml');
    await writeFile(yml, (await readFile(yml, 'utf8')).replace('name: 示范区', 'name: 喆堃示范区'));
    const report = path.join(source, '02-report-old-housing.md');
    const text = await readFile(report, 'utf8');
    const long = Array.from({ length: 12 }, (_, i) =>
      `第${i + 1}段：依法推进老旧小区改造，逐项落实整改任务。`.repeat(12),
    );
    await writeFile(
      report,
      text
        .replace('  - 工作情况的报告', '  - 工作情况的报告（赟）')
        .replace(/\n---\n/, `\n---\n\n${long.join('\n\n')}\n\n`),
    );
    result = await buildIssue(source, { outDir: path.join(env.dir, 'out'), browser: env.browser });
    pdf = await readPdf(result.pdfPath);
    frontPages = Math.min(...result.contents.map((entry) => entry.page)) - 1;
  });

  it('shows the characters only it holds, and page numbers of two digits', () => {
    const shown = pdf.pages.slice(0, frontPages);
    const front = shown.map((page) => page.compact).join('');
    expect(front).toContain('喆堃示范区');
    expect(front).toContain('（赟）');
    const last = result.contents.at(-1);
    expect(last?.page).toBeGreaterThanOrEqual(10);
    expect(front).toContain(`（${last?.page}）`);
    // The leader before each number, read back as its dots.
    const entries = shown.flatMap((page) => page.lines).filter((line) => line.text.includes('（赟）'));
    expect(entries.map((line) => line.text).join('')).toMatch(/··········/);
  });

  it('uses only our faces on the cover and contents, each once', () => {
    const fonts = fontsOfPages(result.pdfPath, 1, frontPages);
    for (const name of fonts) expect(name).toMatch(ourFace);
    const faces = fonts.map((name) => name.slice(7));
    expect(faces).toEqual([...new Set(faces)]);
    expect(faces).toEqual(expect.arrayContaining(['NotoSerifSC-Regular', 'NotoSansSC-Regular', 'LXGWWenKai-Regular']));
  });

  it('uses only our faces in the body, each once', () => {
    const fonts = fontsOfPages(result.pdfPath, frontPages + 1, result.pageCount);
    for (const name of fonts) expect(name).toMatch(ourFace);
    const faces = fonts.map((name) => name.slice(7));
    expect(faces).toEqual([...new Set(faces)]);
  });
});
