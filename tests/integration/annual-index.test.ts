import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/index.js';
import { contentsEntry } from '../../src/layout/contents.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { expectContentsMatchTitlePages } from '../helpers/assertions.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { compact, pdffonts, type ReadPdf, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const publication = '上海市示范区人民代表大会常务委员会公报';
const runningHead = `${publication}　2024年总目录`;
const changedTitle = '关于本区既有住宅加装电梯工作情况的报告';

const env = useBrowserAndTempDir('annual-index');

/** A copy of the fixture as `issues/<id>`, its issue.yml edited. */
async function issueCopy(issuesDir: string, id: string, fields: Record<string, string | number>): Promise<string> {
  const target = path.join(issuesDir, id);
  await cp(fixture, target, { recursive: true });
  const config = path.join(target, 'issue.yml');
  let text = await readFile(config, 'utf8');
  for (const [key, value] of Object.entries(fields))
    text = text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  await writeFile(config, text);
  return target;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const context: CliContext = {
    cwd: env.dir,
    logger: { progress() {}, warn() {}, info() {} },
    stdout: (line) => stdout.push(line),
    stderr: (text) => stderr.push(text),
  };
  const code = await main(argv, context);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('') };
}

/** The CSV's rows as objects (BOM and CRLF removed; no field of the fixture needs quoting). */
function parseCsv(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = text.slice(1).split('\r\n').filter(Boolean);
  const keys = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [keys[index], value])));
}

describe('gazette index <year>', () => {
  let first: string;
  let second: string;
  let rows: Record<string, string>[];
  let pdf: ReadPdf;

  beforeAll(async () => {
    const issuesDir = path.join(env.dir, 'issues');
    first = await issueCopy(issuesDir, 'mini-2024-01', { number: 1 });
    second = await issueCopy(issuesDir, 'mini-2024-02', { number: 2, date: '2024-06-20' });
    const report = path.join(second, '02-report-old-housing.md');
    await writeFile(
      report,
      (await readFile(report, 'utf8')).replace('  - 关于本区老旧小区改造\n  - 工作情况的报告', `  - ${changedTitle}`),
    );
    await issueCopy(issuesDir, 'mini-2023-04', { year: 2023, number: 4, date: '2023-11-20' });

    const result = await run(['index', '2024', '--issues', 'issues', '-o', 'out']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^out/index-2024\\.pdf: ${publication}, \\d+ pages, issues 1, 2, 10 documents$`, 'm'),
    );
    expect((await readdir(path.join(env.dir, 'out'))).sort()).toEqual(['index-2024.csv', 'index-2024.pdf']);
    rows = parseCsv(await readFile(path.join(env.dir, 'out', 'index-2024.csv'), 'utf8'));
    pdf = await readPdf(path.join(env.dir, 'out', 'index-2024.pdf'));
  });

  it('lists both issues of the year in the CSV, none of another year, with the pages of a real layout pass', async () => {
    expect(Object.keys(rows[0] ?? {})).toEqual(['year', 'issue', 'kind', 'title', 'speaker', 'page', 'file']);
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.year === '2024')).toBe(true);
    expect(rows.some((row) => row.file?.includes('mini-2023-04'))).toBe(false);
    for (const [number, source] of [
      ['1', first],
      ['2', second],
    ] as const) {
      // Against the issue built for real: the page its printed contents gives, checked against the page each
      // title is printed on; the titles and files from the sources.
      const issue = await readIssue(source);
      const built = await buildIssue(source, { outDir: path.join(env.dir, 'built'), browser: env.browser });
      const printed = expectContentsMatchTitlePages(issue, await readPdf(built.pdfPath));
      const ofIssue = rows.filter((row) => row.issue === number);
      expect(ofIssue.map((row) => row.title)).toEqual(issue.documents.map((document) => contentsEntry(document).title));
      expect(ofIssue.map((row) => Number(row.page))).toEqual(printed);
      expect(ofIssue.map((row) => row.file)).toEqual(
        issue.documents.map((document) => path.relative(env.dir, document.file.path).split(path.sep).join('/')),
      );
    }
    expect(rows[1]).toMatchObject({
      issue: '1',
      kind: '报告',
      title: '关于本区老旧小区改造工作情况的报告',
      speaker: '王甯',
    });
    expect(rows[6]).toMatchObject({ issue: '2', kind: '报告', title: changedTitle });
  });

  it('prints the title, every entry by issue and by kind, the running head and the folios', () => {
    const titlePage = pdf.pages[0];
    expect(titlePage?.lines.slice(0, 2).map((line) => line.text.trim())).toEqual([publication, '2024年总目录']);
    expect(titlePage?.lines.map((line) => compact(line.text))).not.toContain(compact(runningHead));
    const all = pdf.pages.map((page) => page.compact).join('');
    const byKind = all.slice(all.indexOf('二、分类目录'));
    expect(byKind).not.toBe('');
    for (const row of rows) {
      expect(all).toContain(compact(row.title as string));
      expect(byKind).toContain(compact(`第${row.issue}期　第${row.page}页`));
    }
    expect(all).toContain(compact(`第1期（2024年3月15日）`));
    expect(all).toContain(compact(`第2期（2024年6月20日）`));
    for (const page of pdf.pages) {
      const texts = page.lines.map((line) => line.text.trim());
      expect(texts, `folio on page ${page.number}`).toContain(`— ${page.number} —`);
      if (page.number > 1) {
        expect(texts.map(compact), `running head on page ${page.number}`).toContain(compact(runningHead));
      }
    }
    expect(pdffonts(path.join(env.dir, 'out', 'index-2024.pdf')).filter((font) => font.type === 'Type 3')).toEqual([]);
  });

  it('has one bookmark per issue, opening the page of its group, and one per kind', () => {
    expect(pdf.outline.map((item) => item.title)).toEqual(['2024年第1期', '2024年第2期', '分类目录']);
    for (const [index, item] of pdf.outline.slice(0, 2).entries()) {
      expect(pdf.pages[item.page - 1]?.compact).toContain(`第${index + 1}期`);
    }
    expect(pdf.outline[2]?.children.map((item) => item.title)).toEqual(['议程', '报告', '决议', '公告', '出席情况']);
    expect(pdf.info.Title).toBe(`${publication} 2024年总目录`);
  });

  it('refuses a year without issues, writing nothing', async () => {
    const none = await run(['index', '2030', '--issues', 'issues', '-o', 'refused']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No issue of 2030 under issues \(its issues are of 2023, 2024\)/);
    expect(await readdir(env.dir)).not.toContain('refused');
    expect((await run(['index', '24'])).code).toBe(2);
  });

  it('makes one index per publication where publications share the folder (as the samples share issues/)', async () => {
    const mixedDir = path.join(env.dir, 'mixed');
    const other = '上海市样板区人民代表大会常务委员会公报';
    await issueCopy(mixedDir, 'mini-2024-01', { number: 1 });
    await issueCopy(mixedDir, 'other-2024-02', { number: 2, publication: other });
    const mixed = await run(['index', '2024', '--issues', 'mixed', '-o', 'mixed-out']);
    expect(mixed.stderr).toBe('');
    expect(mixed.code).toBe(0);
    expect((await readdir(path.join(env.dir, 'mixed-out'))).sort()).toEqual([
      'index-2024-mini.csv',
      'index-2024-mini.pdf',
      'index-2024-other.csv',
      'index-2024-other.pdf',
    ]);
    const mini = await readPdf(path.join(env.dir, 'mixed-out', 'index-2024-mini.pdf'));
    const sample = await readPdf(path.join(env.dir, 'mixed-out', 'index-2024-other.pdf'));
    expect(mini.info.Title).toBe(`${publication} 2024年总目录`);
    expect(sample.info.Title).toBe(`${other} 2024年总目录`);
    expect(mini.outline.map((item) => item.title)).toContain('2024年第1期');
    expect(mini.outline.map((item) => item.title)).not.toContain('2024年第2期');
    expect(sample.outline.map((item) => item.title)).toContain('2024年第2期');
  });
});
