import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { twoMeetingIssueYml } from '../helpers/fixtures.js';
import { readPdf } from '../helpers/pdf.js';

const env = useBrowserAndTempDir('draft');

function doc(meeting: number, title: string, body: string): string {
  return ['---', 'kind: report', `meeting: ${meeting}`, `title: ${title}`, '---', '', body, ''].join('\n');
}

/** Two meetings, one document with a placeholder left in it. */
async function unfinishedIssue(): Promise<string> {
  const dir = path.join(env.dir, 'hk-2024-03');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'issue.yml'), twoMeetingIssueYml);
  await writeFile(path.join(dir, '21-01-report.md'), doc(21, '关于第一项工作的报告', '出席人数：（待填写）人。'));
  await writeFile(path.join(dir, '21-02-report.md'), doc(21, '关于第二项工作的报告', '第二项工作正文。'));
  await writeFile(path.join(dir, '22-01-report.md'), doc(22, '关于第三项工作的报告', '第三项工作正文。'));
  return dir;
}

describe('build refuses unfinished sources; --draft marks every page 样稿', () => {
  it('refuses to print a placeholder, naming it, and writes nothing', async () => {
    const dir = await unfinishedIssue();
    const out = path.join(env.dir, 'refused');
    const result = await runCli(['build', dir, '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/21-01-report\.md:7:7: error placeholder .*待填写/);
    expect(result.stderr).toMatch(/--draft/);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('a draft: every page carries 样稿, bookmarks follow the contents order', async () => {
    const dir = await unfinishedIssue();
    const built = await buildIssue(dir, { outDir: path.join(env.dir, 'draft'), browser: env.browser, draft: true });
    expect(path.basename(built.pdfPath)).toBe('hk-2024-03.draft.pdf');
    const pdf = await readPdf(built.pdfPath);
    expect(pdf.pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pdf.pages) expect(page.compact, `page ${page.number}`).toContain('样稿');
    const bookmarks = pdf.outline.slice(1).flatMap((meeting) => meeting.children.map((item) => item.title));
    expect(bookmarks).toEqual(built.contents.map((entry) => entry.title));
    expect(pdf.outline.slice(1).map((meeting) => meeting.title)).toEqual([
      '虹口区第十七届人大常委会第二十一次会议',
      '虹口区第十七届人大常委会第二十二次会议',
    ]);
  });
});
