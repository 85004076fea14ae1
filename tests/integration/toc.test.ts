import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { issueContents } from '../../src/api/contents.js';
import { formatContents } from '../../src/export/contents.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { contentsEntries, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');

const env = useBrowserAndTempDir('toc');

describe('gazette toc', () => {
  it('gives the pages the built PDF prints the titles on, and follows an edit (sharing the layout cache)', async () => {
    const source = path.join(env.dir, 'issue');
    await cp(fixture, source, { recursive: true });
    const cacheDir = path.join(env.dir, 'out', '.cache');
    const before = await issueContents(source, { browser: env.browser, cacheDir });
    const built = await buildIssue(source, { outDir: path.join(env.dir, 'out'), browser: env.browser, cacheDir });
    expect(built.reusedPages).toBe(built.pageCount);
    const printed = contentsEntries((await readPdf(built.pdfPath)).pages).map((entry) => entry.page);
    expect(before.entries.map((entry) => entry.page)).toEqual(printed);

    // Two more pages of text in the report push everything after it on.
    const report = path.join(source, '02-report-old-housing.md');
    const paragraph = '今年以来，区住房保障和房屋管理局按照区委、区政府的部署，持续推进老旧小区综合改造。'.repeat(6);
    await writeFile(report, `${await readFile(report, 'utf8')}\n${`${paragraph}\n\n`.repeat(20)}`);
    const after = await issueContents(source, { browser: env.browser, cacheDir });
    expect(after.entries[0]?.page).toBe(before.entries[0]?.page);
    expect(after.entries[2]?.page).toBeGreaterThan(before.entries[2]?.page ?? 0);
    const rebuilt = await buildIssue(source, { outDir: path.join(env.dir, 'out'), browser: env.browser, cacheDir });
    expect(rebuilt.reusedPages).toBe(rebuilt.pageCount);
    const reprinted = contentsEntries((await readPdf(rebuilt.pdfPath)).pages).map((entry) => entry.page);
    expect(after.entries.map((entry) => entry.page)).toEqual(reprinted);
  });

  it('exports every format with the same entries', async () => {
    const { issue, entries } = await issueContents(fixture, { browser: env.browser });
    const context = {
      publication: issue.config.publication,
      title: '示范公报 2024年第1期',
      cwd: path.resolve('.'),
      pdfHref: 'mini-2024-01.pdf',
    };

    const json = JSON.parse(String(await formatContents(entries, 'json', context)));
    expect(json[1]).toEqual({
      title: '关于本区老旧小区改造工作情况的报告',
      speaker: '王甯',
      kind: 'report',
      page: entries[1]?.page,
      file: 'tests/fixtures/issues/mini-2024-01/02-report-old-housing.md',
    });
    expect(json.map((entry: { page: number }) => entry.page)).toEqual(entries.map((entry) => entry.page));

    const text = String(await formatContents(entries, 'text', context));
    expect(text).toMatch(/^关于本区老旧小区改造工作情况的报告 ·+ 王　甯 （\d+）$/m);
    expect(text).toContain('示范区人民代表大会常务委员会公告（〔一届〕第三号）');

    const csv = String(await formatContents(entries, 'csv', context));
    expect(csv.startsWith('\uFEFFtitle,speaker,kind,page,file\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(entries.length + 2);

    const html = String(await formatContents(entries, 'html', context));
    expect(html).toContain(
      `<a href="mini-2024-01.pdf#page=${entries[1]?.page}">关于本区老旧小区改造工作情况的报告</a>`,
    );

    const markdown = String(await formatContents(entries, 'md', context));
    expect(markdown).toContain(`| 关于本区老旧小区改造工作情况的报告 | 王　甯 | ${entries[1]?.page} |`);

    const docx = (await formatContents(entries, 'docx', context)) as Uint8Array;
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(docx) });
    expect(value).toContain('目　录');
    for (const entry of entries) expect(value).toContain(`${entry.title}\t`);
  });
});
