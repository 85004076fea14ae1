import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { twoMeetingIssueYml } from '../helpers/fixtures.js';
import { compact, type PdfLine, type ReadPdf, readPdf } from '../helpers/pdf.js';

// The page-fill rules of docs/page-fill.md, read back from the PDF of a generated two-column issue: reports
// of many lengths (so that headings, paragraph ends and documents' last lines fall at every point of a column),
// an agenda, and a report with a five-column 指标 table too wide for a column.

const env = useBrowserAndTempDir('page-fill');

const sentence = '区人大常委会坚持以人民为中心，聚焦群众急难愁盼问题，持续推进各项工作';
const numerals = '一二三四五六七八九十';

/** A paragraph of a given number of sentences, numbered so that each is told apart in the PDF. */
function paragraph(doc: number, n: number, sentences: number): string {
  return `第${doc}篇第${n}段：${Array.from({ length: sentences }, () => sentence).join('，')}。`;
}

interface Report {
  file: string;
  headings: string[];
  paragraphs: string[];
}

function report(doc: number): Report & { text: string } {
  const headings: string[] = [];
  const paragraphs: string[] = [];
  const body: string[] = [];
  for (let section = 0; section < 3 + (doc % 3); section++) {
    const heading = `${numerals[section]}、第${doc}篇第${section + 1}部分的工作情况`;
    headings.push(heading);
    body.push(`## ${heading}`);
    for (let n = 0; n < 4 + ((doc + section) % 4); n++) {
      const text = paragraph(doc, section * 10 + n, 1 + ((doc * 7 + n * 3 + section) % 6));
      paragraphs.push(text);
      body.push(text);
    }
  }
  paragraphs.push('以上报告，请予审议。');
  body.push('以上报告，请予审议。');
  // A glossary after the report, its title a label that heads its entries (wherever it lands on the page).
  body.push(
    ':::glossary{title="名词解释"}',
    ...[1, 2, 3].map((n) => `${n}. 第${doc}篇术语${n}：${sentence}，${sentence}。`),
    ':::',
  );
  const text = [
    '---',
    'kind: report',
    'meeting: 22',
    `title: 关于第${doc}项工作情况的报告`,
    'speaker:',
    '  post: 区政府办公室主任',
    '  name: 张三',
    'salutation: 主任、各位副主任、各位委员：',
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
  return { file: `${String(doc + 1).padStart(2, '0')}-report-${doc}.md`, headings, paragraphs, text };
}

const agendaItem = '审议关于虹口区人民法院审判监督庭副庭长任职的议案并作出决定';
const agenda = [
  '---',
  'kind: agenda',
  'meeting: 21',
  'title: 虹口区第十七届人大常委会第二十一次会议议程',
  '---',
  '',
  ...[1, 2, 3].map((n) => `${n}. ${agendaItem}（第${n}项）\n`),
].join('\n');

const wideCell = '控制在市下达目标数以内';
const indicatorTable = [
  '---',
  'kind: report',
  'meeting: 22',
  'title: 关于主要指标完成情况的报告',
  '---',
  '',
  paragraph(99, 1, 4),
  '',
  '| 序号 | 指标名称 | 年度目标 | 上半年完成情况 | 完成进度说明 |',
  '| --- | --- | --- | --- | --- |',
  `| 0 | 统计口径https://tjj.shanghai.gov.cn/tjgb/20240315/index_statistics.html | 2023年基数6020000000000.00元 | 3010000000000.00元 | ${wideCell} |`,
  ...Array.from(
    { length: 40 },
    (_, n) =>
      `| ${n + 1} | 单位增加值能耗降低率（第${n + 1}项） | ${wideCell} | ${wideCell} | 按序时进度推进，${wideCell} |`,
  ),
  '',
  paragraph(99, 2, 3),
  '',
].join('\n');

// A 专栏 panel whose row groups run over a page break, and an attendance list's name grid that runs over one.
const groups = ['支柱产业', '新兴产业', '现代服务业', '城市更新'];
const panel = [
  '---',
  'kind: report',
  'meeting: 22',
  'title: 关于产业体系发展推进情况的报告',
  '---',
  '',
  ...Array.from({ length: 8 }, (_, n) => `${paragraph(98, n, 5)}\n`),
  ':::panel{title="专栏一：现代化产业体系发展推进情况"}',
  '| 目标分类 | 完成情况 |',
  '| --- | --- |',
  ...groups.flatMap((group, g) =>
    Array.from(
      { length: 9 },
      (_, n) => `| ${n === 0 ? group : ''} | 第${g + 1}组第${n + 1}项：${sentence}，${sentence}。 |`,
    ),
  ),
  ':::',
  '',
].join('\n');

const names = Array.from({ length: 330 }, (_, n) => `委员${String(n + 1).padStart(3, '0')}`);
const attendance = [
  '---',
  'kind: attendance',
  'meeting: 22',
  'title: 虹口区第十七届人大常委会第二十二次会议出席情况',
  '---',
  '',
  '出席会议的委员：',
  '',
  ':::names{columns=6}',
  names.join(' '),
  ':::',
  '',
].join('\n');

const reports = Array.from({ length: 9 }, (_, n) => report(n + 1));

/** A body line of the PDF in reading order: page, column (two-column pages), from the top. */
interface Placed extends PdfLine {
  page: number;
  column: number;
}

const pageWidth = 595.28;

function bodyLines(pdf: ReadPdf): Placed[] {
  const placed: Placed[] = [];
  for (const page of pdf.pages.slice(2)) {
    const lines = page.lines.filter(
      (line) => !/^[–—]\s*\d+\s*[–—]$/.test(line.text.trim()) && !line.text.includes('人民代表大会常务委员会公报'),
    );
    for (const line of lines) placed.push({ ...line, page: page.number, column: line.x < pageWidth / 2 ? 0 : 1 });
  }
  return placed.sort((a, b) => a.page - b.page || a.column - b.column || b.y - a.y);
}

/** The lines a paragraph is printed on, found by its compact text read across lines in order. */
function linesOf(lines: Placed[], text: string): Placed[] {
  const target = compact(text);
  const head = target.slice(0, 8);
  const start = lines.findIndex((line) => compact(line.text).startsWith(head));
  if (start < 0) return [];
  const found: Placed[] = [];
  let read = '';
  for (let i = start; i < lines.length && read.length < target.length; i++) {
    const line = lines[i] as Placed;
    read += compact(line.text);
    found.push(line);
  }
  return found;
}

/** Fragments of a run of lines: the pieces that sit in one column of one page. */
function fragments(lines: Placed[]): Placed[][] {
  const pieces: Placed[][] = [];
  for (const line of lines) {
    const last = pieces.at(-1)?.at(-1);
    if (last && last.page === line.page && last.column === line.column) pieces.at(-1)?.push(line);
    else pieces.push([line]);
  }
  return pieces;
}

describe('page fill in a two-column issue (real Chromium, read back with pdfjs)', () => {
  let result: BuildResult;
  let pdf: ReadPdf;
  let lines: Placed[];

  beforeAll(async () => {
    const dir = path.join(env.dir, 'issue');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'issue.yml'), twoMeetingIssueYml);
    await writeFile(path.join(dir, '01-agenda.md'), agenda);
    for (const { file, text } of reports) await writeFile(path.join(dir, file), text);
    await writeFile(path.join(dir, '90-report-indicators.md'), indicatorTable);
    await writeFile(path.join(dir, '91-report-panel.md'), panel);
    await writeFile(path.join(dir, '92-attendance.md'), attendance);
    result = await buildIssue(dir, { outDir: path.join(env.dir, 'out'), browser: env.browser });
    pdf = await readPdf(result.pdfPath, { gutter: 0.8 });
    lines = bodyLines(pdf);
  }, 240_000);

  it('sets an agenda at full measure: an item is one line across the middle of the page', () => {
    const item = lines.find((line) => compact(line.text).includes(compact(`${agendaItem}（第1项）`)));
    expect(item, 'the whole agenda item on one line').toBeDefined();
    expect(item?.x).toBeLessThan(pageWidth / 2 - 100);
  });

  it('lays out a five-column table with long cells across both columns, over pages, instead of stopping', () => {
    const text = pdf.pages.map((page) => page.compact).join('');
    const rows = Array.from({ length: 40 }, (_, n) => text.indexOf(`（第${n + 1}项）`));
    expect(rows.every((at, n) => at > (rows[n - 1] ?? -1))).toBe(true);
    const lastColumn = pdf.pages.flatMap((page) => page.lines).filter((line) => line.text.startsWith('按序时'));
    expect(lastColumn).toHaveLength(40);
    expect(lastColumn.every((line) => line.x > pageWidth / 2)).toBe(true);
  });

  it('keeps every heading with at least two lines of its text, in the same column of the same page', () => {
    for (const { headings } of reports) {
      for (const heading of headings) {
        const [line] = linesOf(lines, heading);
        expect(line, heading).toBeDefined();
        const after = lines.slice(lines.indexOf(line as Placed) + 1, lines.indexOf(line as Placed) + 3);
        expect(after.length, heading).toBe(2);
        for (const following of after) {
          expect([following.page, following.column], heading).toEqual([line?.page, line?.column]);
        }
      }
    }
  });

  it("keeps each glossary's title with its first entry, in the same column of the same page", () => {
    const titles = lines.filter((line) => compact(line.text) === '名词解释：');
    expect(titles).toHaveLength(reports.length);
    for (const title of titles) {
      const next = lines[lines.indexOf(title) + 1];
      expect([next?.page, next?.column], `名词解释 on p.${title.page}`).toEqual([title.page, title.column]);
      expect(compact(next?.text ?? '')).toMatch(/^1第\d+篇术语1/);
    }
  });

  it('leaves no paragraph a single line at the foot or head of a column or page', () => {
    const lone: string[] = [];
    for (const { paragraphs } of reports) {
      for (const text of paragraphs) {
        const pieces = fragments(linesOf(lines, text));
        if (pieces.length > 1 && pieces.some((piece) => piece.length < 2)) lone.push(text.slice(0, 12));
      }
    }
    expect(lone).toEqual([]);
  });

  it('prints no runt page: every page after the contents carries more than three lines or a title', () => {
    const runts = pdf.pages.slice(2).filter((page) => {
      const body = lines.filter((line) => line.page === page.number);
      return body.length <= 3 && !result.contents.some((entry) => entry.page === page.number);
    });
    expect(runts.map((page) => page.number)).toEqual([]);
  });

  it("balances a document's last page: its two columns end on the same line", () => {
    for (const { paragraphs } of reports) {
      const last = linesOf(lines, paragraphs.at(-1) ?? '').at(-1);
      expect(last).toBeDefined();
      const onPage = lines.filter((line) => line.page === last?.page);
      const feet = [0, 1].map((column) =>
        Math.min(...onPage.filter((line) => line.column === column).map((line) => line.y)),
      );
      const pitch = 10.5 * 1.62;
      expect(Math.abs((feet[0] ?? 0) - (feet[1] ?? 0)), `page ${last?.page}`).toBeLessThan(pitch * 1.1);
    }
  });

  it("repeats a row group's label where a continued 专栏 panel starts inside the group", () => {
    const panelPages = pdf.pages.filter((page) => /第\d组第\d项/.test(page.compact));
    expect(panelPages.length).toBeGreaterThanOrEqual(2);
    expect(panelPages[1]?.compact).toContain('（续表）');
    for (const page of panelPages.slice(1)) {
      const rows = page.lines.filter((line) => /^第\d组第\d项/.test(compact(line.text)));
      const first = compact(rows[0]?.text ?? '').match(/^第(\d)组第(\d)项/);
      expect(first, `page ${page.number}`).not.toBeNull();
      if (first?.[2] !== '1') {
        const label = groups[Number(first?.[1]) - 1] ?? '';
        const above = page.lines.find((line) => compact(line.text) === label);
        expect(above, `${label} repeated on page ${page.number}`).toBeDefined();
        expect(Math.abs((above?.y ?? 0) - (rows[0]?.y ?? 0))).toBeLessThan(30);
      }
    }
  });

  it('prints no （续表） over a name grid that runs over a page', () => {
    const gridPages = pdf.pages.filter((page) => page.compact.includes('委员001') || page.compact.includes('委员330'));
    expect(gridPages).toHaveLength(2);
    expect(gridPages[1]?.number).toBeGreaterThan(gridPages[0]?.number ?? 0);
    for (const page of pdf.pages.filter((page) => page.compact.includes('委员330'))) {
      expect(page.compact).not.toContain('（续表）');
    }
  });
});
