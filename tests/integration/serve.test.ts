import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { readPdf } from '../helpers/pdf.js';
import { password, reportDocx, type ServerFolders, useServerFolders } from '../helpers/server.js';

/**
 * The office page driven in Debian's Chromium as staff use it: sign in, upload a Word file and confirm its
 * fields, fix a finding in the editor, build, download the PDF, sign off as the approver, see the archive.
 */
const folders = useServerFolders('serve');
const chromium = useBrowserAndTempDir('serve-browser');

describe('gazette serve in the browser', () => {
  let found: ServerFolders;
  let server: RunningServer;
  let page: Page;
  const url = (route: string) => new URL(route, server.url).href;

  beforeAll(async () => {
    found = await folders();
    // A finding to fix: a half-width comma in Chinese text (a warning: the build goes on).
    const resolution = path.join(found.issue, '03-resolution.md');
    await writeFile(resolution, (await readFile(resolution, 'utf8')).replace('本人因工作需要，', '本人因工作需要,'));
    server = await startServer({ ...found, port: 0, failedLoginDelayMs: 0 });
    page = await chromium.browser.newPage();
    page.setDefaultTimeout(120_000);
  });
  afterAll(async () => {
    await page?.close();
    await server?.close();
  });

  async function signIn(name: string): Promise<void> {
    await page.goto(url('/login'));
    await page.type('input[name=name]', name);
    await page.type('input[name=password]', password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  }

  const text = (selector: string) => page.$eval(selector, (element) => (element as HTMLElement).innerText);

  it('signs in and lists the issues with their state', async () => {
    await page.goto(server.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn('zhang');
    expect(new URL(page.url()).pathname).toBe('/');
    const row = await text('#issues tr[data-issue="mini-2024-01"]');
    expect(row).toContain('2024年第1期');
    expect(row).toContain('2024-03-15');
    expect(row).toContain('编辑中');
  });

  it('uploads a Word file, confirms the guessed fields, and adds it as the next document', async () => {
    await page.goto(url('/issues/mini-2024-01'));
    const docx = path.join(found.root, '垃圾分类报告.docx');
    await writeFile(docx, await reportDocx());
    const input = await page.$('input[type=file]');
    await input?.uploadFile(docx);
    await Promise.all([page.waitForNavigation(), page.click('form.upload button[type=submit]')]);
    expect(await text('h1')).toContain('核对导入的稿件');
    // The import guessed the kind from the title and the meeting from the occasion line.
    expect(await page.$eval('select[name=kind]', (select) => (select as HTMLSelectElement).value)).toBe('report');
    expect(await page.$eval('select[name=meeting]', (select) => (select as HTMLSelectElement).value)).toBe('5');
    expect(await page.$eval('textarea[name=title]', (area) => (area as HTMLTextAreaElement).value)).toBe(
      '关于本区垃圾分类工作情况的报告',
    );
    // Nothing is written before the fields are confirmed.
    expect((await readdir(found.issue)).filter((name) => name.startsWith('06-'))).toEqual([]);
    await page.$eval('textarea[name=title]', (area) => {
      (area as HTMLTextAreaElement).value = '关于本区生活垃圾分类工作情况的报告';
    });
    await Promise.all([page.waitForNavigation(), page.click('#import-form button[type=submit]')]);
    expect(await text('.flash.ok')).toContain('已加入 06-report.md');
    const written = await readFile(path.join(found.issue, '06-report.md'), 'utf8');
    expect(written).toMatch(/^title: 关于本区生活垃圾分类工作情况的报告$/m);
    expect(written).toMatch(/^kind: report$/m);
    expect(written).not.toContain('# REVIEW');
    expect(written).toContain('全区生活垃圾分类达标率持续保持在95%以上');
    const rows = await page.$$eval('#documents tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.name));
    expect(rows.at(-1)).toBe('06-report.md');
    expect(await text('#documents tr[data-name="06-report.md"]')).toContain('关于本区生活垃圾分类工作情况的报告');
  });

  it('shows a finding at its line in the editor, and the fix saved clears it', async () => {
    expect(await text('#documents tr[data-name="03-resolution.md"] .findings')).toContain('1 个提示');
    await Promise.all([page.waitForNavigation(), page.click('#documents tr[data-name="03-resolution.md"] a')]);
    const finding = await text('#findings li');
    expect(finding).toContain('第 14 行');
    expect(finding).toContain('half-width');
    // The gutter marks line 14, and the finding's link selects that line in the text.
    expect(await page.$eval('#gutter .mark.warning', (mark) => mark.textContent)).toBe('14');
    await page.click('#findings a[data-line="14"]');
    const selected = await page.$eval('#source', (area) => {
      const textarea = area as HTMLTextAreaElement;
      return textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    });
    expect(selected).toContain('本人因工作需要,');
    await page.$eval('#source', (area) => {
      const textarea = area as HTMLTextAreaElement;
      textarea.value = textarea.value.replace('本人因工作需要,', '本人因工作需要，');
    });
    await Promise.all([page.waitForNavigation(), page.click('#editor-form button[type=submit]')]);
    expect(await text('.flash.ok')).toContain('已保存');
    expect(await page.$$('#findings li')).toHaveLength(0);
    expect(await readFile(path.join(found.issue, '03-resolution.md'), 'utf8')).toContain('本人因工作需要，特申请');
  });

  it('builds with a progress bar, previews the pages and downloads the PDF', async () => {
    await page.goto(url('/issues/mini-2024-01'));
    await page.click('#build-form button');
    await page.waitForSelector('#build[data-state="running"], #build[data-state="queued"]');
    expect(await page.$eval('.progress', (bar) => (bar as HTMLElement).hidden)).toBe(false);
    await page.waitForSelector('#build[data-state="done"], #build[data-state="failed"]', { timeout: 170_000 });
    expect(await page.$eval('#build', (build) => (build as HTMLElement).dataset.state)).toBe('done');
    const pages = Number(await text('#page-count'));
    expect(await text('#issue-state')).toBe('待签发');

    const pdfPath = path.join(found.root, 'download.pdf');
    const bytes = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return Array.from(new Uint8Array(await response.arrayBuffer()));
    }, url('/issues/mini-2024-01/download/pdf'));
    await writeFile(pdfPath, Uint8Array.from(bytes));
    const pdf = await readPdf(pdfPath);
    expect(pdf.pages).toHaveLength(pages);
    const all = pdf.pages.map((item) => item.compact).join('');
    expect(all).toContain('关于本区生活垃圾分类工作情况的报告');
    expect(all).toContain('本人因工作需要，特申请');
    expect(all).not.toContain('本人因工作需要,');

    const csv = await page.evaluate(
      async (href) => (await fetch(href)).text(),
      url('/issues/mini-2024-01/download/contents.csv'),
    );
    expect(csv).toContain('关于本区生活垃圾分类工作情况的报告');

    await page.goto(url('/issues/mini-2024-01/preview'));
    expect(await page.$$('#pages img')).toHaveLength(pages);
    const first = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
    }, url('/issues/mini-2024-01/pages/1.png'));
    expect(first.type).toBe('image/png');
    expect(first.size).toBeGreaterThan(2000);
  });

  it('lets the approver sign off, which archives the issue, and lists the edition as verified', async () => {
    // The editor has no sign-off button.
    expect(await page.$('#sign-form')).toBeNull();
    await page.goto(url('/issues/mini-2024-01'));
    await Promise.all([page.waitForNavigation(), page.click('form.who button')]);
    await signIn('wang');
    await page.goto(url('/issues/mini-2024-01'));
    page.once('dialog', (dialog) => dialog.accept());
    await Promise.all([page.waitForNavigation({ timeout: 170_000 }), page.click('#sign-form button')]);
    expect(new URL(page.url()).pathname).toBe('/archive');
    const row = await text('#archive tr[data-issue="mini-2024-01"]');
    expect(row).toContain('第 1 版');
    expect(row).toContain('完好');
    const manifest = JSON.parse(await readFile(path.join(found.archiveRoot, 'mini-2024-01', 'manifest.json'), 'utf8'));
    expect(manifest.revisions).toHaveLength(1);
    expect(Object.keys(manifest.files)).toContain('r1/mini-2024-01.pdfa.pdf');
    await page.goto(server.url);
    expect(await text('#issues tr[data-issue="mini-2024-01"]')).toContain('已签发');
    await page.goto(url('/audit'));
    const log = await text('table.audit');
    for (const action of ['签发', '排版', '下载', '保存稿件', '导入 Word', '登录']) expect(log).toContain(action);
  });
});
