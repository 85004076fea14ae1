import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { documentSource } from '../helpers/fixtures.js';
import { compact, type PdfLine, readPdf } from '../helpers/pdf.js';

// Line fitting in the 18-character columns of a two-column issue, read back from the PDF with pdfjs: two
// reports of the Hongkou sample (audit, budget) whose first-fit breaking left a dozen lines letter-spaced before
// a number that does not fit ("数166721万元，完成年初预算的／11.09%。", 0.23 em a character) or before a
// paragraph's glued last word ("履约台账缺失、结算付款审核不严等／情况。").

const sample = path.resolve('issues/hongkou-2024-03');
const reports = ['14-report-audit-2023-budget.md', '15-report-final-accounts-2023-budget-first-half-2024.md'];

// A centred heading of a body (第N方面) wider than a column: first-fit breaks it inside 一体化.
const centredHeading = '第一方面：关于加快推进北外滩区域一体化建设的意见';
// A table whose amount and growth columns hold numbers only: flush right; its text column and headers are not.
const amounts = ['119.77亿元', '97.32亿元', '23.09亿元'];
const growth = ['4.52%', '-9.90%', '262.52%'];
const table = [
  '| 指标 | 上半年完成数 | 同比增长 |',
  '| --- | --- | --- |',
  ...['一般公共预算收入', '其中：税务征收收入', '非税收入'].map(
    (name, n) => `| ${name} | ${amounts[n]} | ${growth[n]} |`,
  ),
].join('\n');
const headingReport = documentSource(
  `## ${centredHeading}\n\n区人大常委会听取和审议了区政府关于城市精细化管理工作情况的报告，提出如下意见建议。\n\n${table}\n`,
  [],
  { meeting: 22, title: '关于城市精细化管理工作的审议意见' },
);

/** A character's advance when set solid, in em (as the checkers count it): CJK and full-width 1, others 0.55. */
function advance(char: string): number {
  if (/\s/.test(char)) return 0;
  return /[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’—…]/u.test(char) ? 1 : 0.55;
}

/** How far a justified line is spread, in em a character gap, beyond its characters set solid. */
function spread(line: PdfLine): number {
  const chars = [...line.text.replace(/\s+/g, '')];
  const solid = chars.reduce((sum, char) => sum + advance(char), 0);
  return (line.right - line.x - solid * line.size) / Math.max(1, chars.length - 1) / line.size;
}

/** The value that occurs most often. */
function commonest(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

const env = useBrowserAndTempDir('line-fit');

describe('line fitting in a two-column issue (real Chromium, read back with pdfjs)', () => {
  let lines: (PdfLine & { page: number; column: number })[];
  let pdfPath: string;

  beforeAll(async () => {
    const dir = path.join(env.dir, 'issue');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(sample, 'issue.yml'), path.join(dir, 'issue.yml'));
    for (const file of reports) await copyFile(path.join(sample, file), path.join(dir, file));
    await writeFile(path.join(dir, '16-opinion-city-management.md'), headingReport);
    const result = await buildIssue(dir, { outDir: path.join(env.dir, 'out'), browser: env.browser });
    pdfPath = result.pdfPath;
    const pdf = await readPdf(result.pdfPath, { gutter: 0.4 });
    // in reading order: page, column, top to bottom (running heads and folios left out)
    lines = pdf.pages
      .slice(2)
      .flatMap((page) => page.lines.map((line) => ({ ...line, page: page.number, column: line.x < 297 ? 0 : 1 })))
      .filter((line) => !/公报$|^[–—]\s*\d+\s*[–—]$/.test(line.text.trim()))
      .sort((a, b) => a.page - b.page || a.column - b.column || b.y - a.y);
  }, 240_000);

  it('sets no full line of the paragraphs letter-spaced by more than 0.2 em a character', () => {
    // the body size: the commonest one
    const size = commonest(lines.map((line) => Math.round(line.size * 10) / 10));
    const body = lines.filter((line) => Math.abs(line.size - size) < 0.5);
    // a column's right edge: where most of its lines end
    const edge = (column: number) =>
      commonest(body.filter((line) => line.column === column).map((line) => Math.round(line.right)));
    const full = body.filter((line) => compact(line.text).length >= 8 && Math.abs(line.right - edge(line.column)) < 2);
    expect(full.length).toBeGreaterThan(200);
    const spreads = full.map((line) => ({ text: line.text, em: Number(spread(line).toFixed(2)) }));
    expect(spreads.filter((line) => line.em > 0.2)).toEqual([]);
    expect(spreads.filter((line) => line.em > 0.12).length).toBeLessThanOrEqual(2);
  });

  it('brings a number that did not fit onto the line by squeezing the line’s marks, never splitting it', () => {
    const texts = lines.map((line) => line.text.replace(/\s+/g, ''));
    expect(texts.some((text) => text.includes('完成年初预算的11.09%'))).toBe(true);
    expect(texts.some((text) => text.includes('完成年初预算的56.70%'))).toBe(true);
    for (const number of [/166721/, /11\.09%/, /2119/, /56\.70%/, /1197654/]) {
      expect(texts.some((text) => number.test(text))).toBe(true);
    }
    // clreq: no line starts with a closing mark, a stop or a dash
    expect(texts.filter((text) => /^[，。、；：？！”’）》〕】—―]/u.test(text) && !/^——/.test(text))).toEqual([]);
  });

  it('prints every paragraph whole, in order', async () => {
    const all = compact(lines.map((line) => line.text).join('')).replace(/―/g, '—');
    let at = 0;
    for (const file of reports) {
      const text = await readFile(path.join(sample, file), 'utf8');
      const body = text.slice(text.indexOf('\n---', 4) + 4);
      for (const paragraph of body.split(/\n\s*\n/).map((block) => block.trim())) {
        if (!/^[\p{Script=Han}\d]/u.test(paragraph) || /[|*#]/.test(paragraph)) continue;
        const found = all.indexOf(compact(paragraph), at);
        expect(found, paragraph.slice(0, 20)).toBeGreaterThanOrEqual(0);
        at = found;
      }
    }
  });

  it('breaks a centred body heading between words, as the title block', () => {
    const texts = lines.map((line) => line.text.replace(/\s+/g, ''));
    const first = texts.findIndex((text) => text.startsWith('第一方面'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(texts[first]).toBe('第一方面：关于加快推进北外滩区域');
    expect(texts[first + 1]).toBe('一体化建设的意见');
  });

  it('sets a column of numbers flush right, its header centred, a text column flush left', () => {
    // poppler's word boxes (a second reader): pdfjs joins a table row's cells into one text item
    const words = [
      ...execFileSync('pdftotext', ['-bbox', pdfPath, '-'], { encoding: 'utf8' }).matchAll(
        /<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g,
      ),
    ].map((match) => ({ x: Number(match[1]), right: Number(match[2]), text: match[3] as string }));
    const cells = (texts: string[]) => texts.map((text) => words.find((word) => word.text === text));
    for (const column of [amounts, growth]) {
      const found = cells(column).filter((word) => word !== undefined);
      expect(found).toHaveLength(3);
      const rights = found.map((word) => word.right);
      expect(Math.max(...rights) - Math.min(...rights)).toBeLessThan(1);
      expect(Math.max(...found.map((word) => word.x)) - Math.min(...found.map((word) => word.x))).toBeGreaterThan(3);
    }
    const [first, last] = cells(['一般公共预算收入', '非税收入']);
    expect(Math.abs((first?.x ?? 0) - (last?.x ?? 99))).toBeLessThan(1);
    // the header over the amounts is centred: the amounts end at the column's right, past the header
    const [header] = cells(['上半年完成数']);
    const [amount] = cells(amounts);
    expect(header).toBeDefined();
    expect(header?.right ?? 0).toBeLessThan((amount?.right ?? 0) - 3);
  });
});
