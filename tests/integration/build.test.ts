import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { BrowserPool } from '../../src/render/pool.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { expectContentsMatchTitlePages, expectRunningHeadsAndFolios } from '../helpers/assertions.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import {
  compact,
  contentsEntries,
  lineBreakViolations,
  pdffonts,
  type ReadPdf,
  readLinks,
  readPdf,
} from '../helpers/pdf.js';

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

  it('has one bookmark per document, grouped by meeting, each opening the page its title is printed on', async () => {
    const [contents, meeting] = pdf.outline;
    expect(contents).toMatchObject({ title: '目录', page: 2 });
    expect(pdf.pages[1]?.compact).toContain('目录');
    expect(meeting?.title).toBe('示范区第一届人大常委会第五次会议');
    const issue = await readIssue(fixture);
    // The pages the printed contents gives, each checked against the page the title is printed on.
    const printed = expectContentsMatchTitlePages(issue, pdf);
    expect(meeting?.children.map((item) => item.title)).toEqual(
      issue.documents.map((document) => document.meta.contents ?? [document.meta.title].flat().join('')),
    );
    expect(meeting?.children.map((item) => item.page)).toEqual(printed);
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

describe('an issue laid out in several parts, side by side in two browsers, and joined', () => {
  const documents = 36;
  let parts: BuildResult;
  let browsersConnected: boolean[] = [];
  let whole: BuildResult;
  let pdf: ReadPdf;
  let progress: string[];
  const epoch = '1700000000';

  beforeAll(async () => {
    // Two-column (each document on a new page), with enough documents that the contents takes two pages: the
    // cover and contents are three pages, so a blank page comes before the body's first right-hand page.
    const source = path.join(env.dir, 'many-2024-01');
    await mkdir(source, { recursive: true });
    const config = await readFile(path.join(fixture, 'issue.yml'), 'utf8');
    await writeFile(path.join(source, 'issue.yml'), config.replace('profile: one-column', 'profile: two-column'));
    for (let n = 1; n <= documents; n++) {
      const number = String(n).padStart(2, '0');
      await writeFile(
        path.join(source, `${number}-announcement.md`),
        [
          '---',
          'kind: announcement',
          'meeting: 5',
          `title: 示范区人民代表大会常务委员会公告`,
          `contents: 示范区人民代表大会常务委员会关于第${n}项事项的决定和有关工作情况的公告（〔一届〕第${n}号）`,
          `number: 〔一届〕第${n}号`,
          'signature:',
          '  - 示范区人民代表大会常务委员会',
          '  - 2024年2月28日',
          '---',
          '',
          `示范区第一届人民代表大会常务委员会第五次会议决定第${n}项事项。`.repeat(n % 5 === 0 ? 40 : 3),
          '',
          '特此公告。',
          '',
        ].join('\n'),
      );
    }
    progress = [];
    const logger = { progress: (message: string) => progress.push(message), warn() {}, info() {} };
    const pool = new BrowserPool(2);
    try {
      parts = await buildIssue(source, {
        outDir: path.join(env.dir, 'parts'),
        browser: pool,
        logger,
        partCharacters: 2000,
        env: { SOURCE_DATE_EPOCH: epoch },
        // as the CLI does after the last issue's print: the join and finishing need no browser
        onPrinted: () => void pool.close(),
      });
      browsersConnected = await Promise.all([0, 1].map(async (slot) => (await pool.browser(slot)).connected));
    } finally {
      await pool.close();
    }
    whole = await buildIssue(source, { outDir: path.join(env.dir, 'whole'), browser: env.browser });
    pdf = await readPdf(parts.pdfPath);
  });

  it('was laid out in several parts, its browsers stopped once every part was printed', () => {
    expect(browsersConnected).toEqual([false, false]);
    expect(progress.find((message) => message.includes('paged.js layout in'))).toMatch(/in ([3-9]|\d\d) parts$/);
  });

  it('prints the same pages as the issue laid out in one part, a blank page before the body', async () => {
    const one = await readPdf(whole.pdfPath);
    expect(pdf.pages.map((page) => page.compact)).toEqual(one.pages.map((page) => page.compact));
    // The contents runs over pages 2 and 3 (its lines are long): the body starts on page 5, after a blank page.
    expect(pdf.pages[2]?.compact).toContain('第36项事项');
    expect(pdf.pages[3]?.lines).toEqual([]);
    expect(parts.contents[0]?.page).toBe(5);
    expect(parts.pageCount).toBe(pdf.pages.length);
    expectContentsMatchTitlePages(await readIssue(path.join(env.dir, 'many-2024-01')), pdf);
    expectRunningHeadsAndFolios(pdf, publication, 5);
  });

  it('links each contents line to the page its title is printed on (annotations read back)', async () => {
    const printed = contentsEntries(pdf.pages).map((entry) => entry.page);
    const links = await readLinks(parts.pdfPath);
    expect(links).toHaveLength(documents);
    expect(new Set(links.map((link) => link.page))).toEqual(new Set([2, 3]));
    expect(links.map((link) => link.target)).toEqual(printed);
  });

  it('dates the PDF from SOURCE_DATE_EPOCH', () => {
    const expected = new Date(Number(epoch) * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    expect(String(pdf.info.CreationDate)).toMatch(new RegExp(`^D:${expected}`));
    expect(String(pdf.info.ModDate)).toMatch(new RegExp(`^D:${expected}`));
  });
});

describe('16K pages and a running head of its own', () => {
  const runningHead = '示范区人大常委会公报';
  let result: BuildResult;
  let pdf: ReadPdf;

  beforeAll(async () => {
    const source = path.join(env.dir, 'mini-16k');
    await cp(fixture, source, { recursive: true });
    const config = await readFile(path.join(source, 'issue.yml'), 'utf8');
    await writeFile(
      path.join(source, 'issue.yml'),
      config.replace('pageSize: A4', `pageSize: 16K\nrunningHead: ${runningHead}`),
    );
    result = await buildIssue(source, { outDir: path.join(env.dir, '16k'), browser: env.browser });
    pdf = await readPdf(result.pdfPath);
  });

  it('prints every page 185 × 260 mm (pdfinfo)', () => {
    const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', String(result.pageCount), result.pdfPath], {
      encoding: 'utf8',
    }).match(/Page +\d+ size: +[\d.]+ x [\d.]+ pts/g);
    expect(sizes).toHaveLength(result.pageCount);
    for (const line of sizes ?? []) {
      const [width, height] = (line.match(/([\d.]+) x ([\d.]+)/) ?? []).slice(1).map(Number);
      expect(Math.abs((width as number) - (185 / 25.4) * 72)).toBeLessThan(1);
      expect(Math.abs((height as number) - (260 / 25.4) * 72)).toBeLessThan(1);
    }
  });

  it('carries its own running head and "– N –" on every content page, and the contents still right', async () => {
    expectRunningHeadsAndFolios(pdf, runningHead, 3);
    expect(pdf.pages.some((page) => page.compact.includes(compact(publication)) && page.number > 2)).toBe(false);
    expectContentsMatchTitlePages(await readIssue(path.join(env.dir, 'mini-16k')), pdf);
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
