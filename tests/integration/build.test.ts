import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { expectContentsMatchTitlePages, expectRunningHeadsAndFolios } from '../helpers/assertions.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { compact, lineBreakViolations, pdffonts, type ReadPdf, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const publication = '上海市示范区人民代表大会常务委员会公报';

const env = useBrowserAndTempDir('build');

describe('a one-column issue through real Chromium', () => {
  let result: BuildResult;
  let pdf: ReadPdf;

  beforeAll(async () => {
    result = await buildIssue(fixture, { outDir: path.join(env.dir, 'one'), browser: env.browser });
    pdf = await readPdf(result.pdfPath);
  });

  it('writes the PDF and the laid-out HTML, and nothing else', async () => {
    expect(result.pdfPath).toBe(path.join(env.dir, 'one', 'mini-2024-01.pdf'));
    expect((await readFile(result.pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');
    const html = await readFile(result.htmlPath, 'utf8');
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain('关于本区老旧小区改造');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(path.join(env.dir, 'one'))).sort()).toEqual(['mini-2024-01.html', 'mini-2024-01.pdf']);
  });

  it('has a cover, a contents page, and the documents from page 3', () => {
    expect(pdf.pages[0]?.compact).toContain(compact(publication));
    expect(pdf.pages[0]?.compact).toContain('2024年');
    expect(pdf.pages[0]?.compact).toContain('第一期');
    expect(pdf.pages[1]?.compact).toContain('目录');
    expect(result.contents[0]?.page).toBe(3);
  });

  it('prints every contents number on the page where that title is printed', async () => {
    const issue = await readIssue(fixture);
    const pages = expectContentsMatchTitlePages(issue, pdf);
    expect(pages).toEqual(result.contents.map((entry) => entry.page));
  });

  it('puts the running head and "– N –" on every content page, none on the cover', () => {
    expectRunningHeadsAndFolios(pdf, publication, 3);
  });

  it('has one bookmark per document, grouped by meeting, each opening its title page', () => {
    const [contents, meeting] = pdf.outline;
    expect(contents).toMatchObject({ title: '目录', page: 2 });
    expect(meeting?.title).toBe('示范区第一届人大常委会第五次会议');
    expect(meeting?.children.map((item) => [item.title, item.page])).toEqual(
      result.contents.map((entry) => [entry.title, entry.page]),
    );
  });

  it('embeds every font with TrueType outlines: no Type 3, nothing unembedded (pdffonts)', () => {
    const fonts = pdffonts(result.pdfPath);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((font) => font.type !== 'CID TrueType' || !font.embedded)).toEqual([]);
  });

  it('carries the metadata: title, author = issuer, subject, language', () => {
    expect(pdf.info).toMatchObject({
      Title: `${publication} 2024年第1期`,
      Author: '上海市示范区人民代表大会常务委员会',
      Subject: '示范区第一届人大常委会第五次会议',
      Language: 'zh-CN',
    });
  });

  it('repeats the header row where the table continues, labelled （续表）', () => {
    const tablePages = pdf.pages.filter(
      (page) => page.compact.includes('第1批改造项目') || page.compact.includes('第40批改造项目'),
    );
    const continued = pdf.pages.filter((page) => page.compact.includes('（续表）'));
    expect(continued.length).toBeGreaterThan(0);
    // Each continued part restarts with its header row: the table's, or the panel's.
    for (const page of continued) {
      for (const after of page.compact.split('（续表）').slice(1)) {
        expect(after.startsWith('项目单位计划完成') || after.startsWith('目标分类完成情况')).toBe(true);
      }
    }
    expect(continued.some((page) => page.compact.includes('（续表）项目单位计划完成'))).toBe(true);
    expect(tablePages.length).toBeGreaterThan(0);
    for (let batch = 1; batch <= 40; batch++) {
      expect(
        pdf.pages.some((page) => page.compact.includes(`第${batch}批改造项目万平方米${batch * 10}${batch * 10 + 1}`)),
      ).toBe(true);
    }
  });

  it('keeps all the text, in reading order', () => {
    const all = pdf.pages.map((page) => page.compact).join('');
    for (const text of [
      '听取和审议区政府关于老旧小区改造工作情况的报告；',
      '以上报告，请予审议。',
      '申请人：张三',
      '特此公告。',
      '凯撒尔·买买提',
    ]) {
      expect(all).toContain(compact(text));
    }
    expect(all.indexOf('一、基本情况')).toBeLessThan(all.indexOf('二、下一步工作'));
  });

  it('breaks no line against the Chinese rules', () => {
    expect(lineBreakViolations(pdf.pages)).toEqual([]);
  });
});

describe('the two-column profile', () => {
  let result: BuildResult;
  let pdf: ReadPdf;

  beforeAll(async () => {
    const source = path.join(env.dir, 'mini-two-column');
    await cp(fixture, source, { recursive: true });
    const config = await readFile(path.join(source, 'issue.yml'), 'utf8');
    await writeFile(path.join(source, 'issue.yml'), config.replace('profile: one-column', 'profile: two-column'));
    result = await buildIssue(source, { outDir: path.join(env.dir, 'two'), browser: env.browser });
    pdf = await readPdf(result.pdfPath);
  });

  it('starts each document on a new page, contents still right', async () => {
    const pages = result.contents.map((entry) => entry.page);
    expect(new Set(pages).size).toBe(pages.length);
    expectContentsMatchTitlePages(await readIssue(path.join(env.dir, 'mini-two-column')), pdf);
  });

  it('sets the body in two columns', () => {
    const reportPage = pdf.pages[result.contents[1]?.page ?? 0];
    const starts = new Set(
      reportPage?.lines.filter((line) => line.text.length > 8).map((line) => Math.round(line.x / 20)),
    );
    expect(starts.size).toBeGreaterThanOrEqual(2);
    const xs = reportPage?.lines.map((line) => line.x) ?? [];
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(150);
  });
});
