import { appendFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/api/document-cache.js';
import type { Logger } from '../../src/api/logger.js';
import { previewPages, startPreview } from '../../src/preview/server.js';
import { useTempDirs } from '../helpers/fixtures.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const tempDir = useTempDirs('warm-rebuild');
const allDocuments = [
  '01-agenda.md',
  '02-report-old-housing.md',
  '03-resolution.md',
  '04-announcement.md',
  '05-attendance.md',
];
/** A 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
);

async function copyOfFixture(): Promise<string> {
  const issueDir = path.join(await tempDir(), 'mini-2024-01');
  await cp(fixture, issueDir, { recursive: true });
  return issueDir;
}

/** A logger that keeps the documents made into HTML (its "markdown <file>" progress lines) and the warnings. */
function recordingLogger() {
  const seen = { processed: [] as string[], warnings: [] as string[] };
  const logger: Logger = {
    progress: (message) => {
      const file = /: markdown (.+)$/.exec(message)?.[1];
      if (file) seen.processed.push(file);
    },
    warn: (message) => seen.warnings.push(message.replace(/^preview: .*$/, '')),
    info() {},
  };
  return { logger, seen };
}

/** A page's text: tags (the glue spans and break opportunities the HTML stage adds) removed. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

async function editFile(file: string, edit: (text: string) => string): Promise<void> {
  await writeFile(file, edit(await readFile(file, 'utf8')));
}

describe('warm rebuild: per-document cache of check and Markdown → HTML', () => {
  it('gives the page a cold build of the edited sources gives, processing only the documents that changed', async () => {
    const issueDir = await copyOfFixture();
    const documents = new DocumentCache();
    const warm = recordingLogger();
    /** The warm pages after an edit, against a cold build of the same sources; returns the documents processed. */
    const rebuild = async (version: string) => {
      warm.seen.processed = [];
      warm.seen.warnings = [];
      const pages = await previewPages(issueDir, version, { documents, logger: warm.logger });
      const cold = recordingLogger();
      const coldPages = await previewPages(issueDir, version, { logger: cold.logger });
      expect(pages.body.html).toBe(coldPages.body.html);
      expect(pages.front?.html).toBe(coldPages.front?.html);
      expect(pages.prepared?.().laidOut.html).toBe(coldPages.prepared?.().laidOut.html);
      expect(warm.seen.warnings).toEqual(cold.seen.warnings);
      expect(cold.seen.processed.length).toBe(pages.prepared ? allDocuments.length : cold.seen.processed.length);
      return { pages, processed: [...warm.seen.processed].sort() };
    };

    expect((await rebuild('1')).processed).toEqual(allDocuments);
    // Nothing changed: nothing is processed again.
    expect((await rebuild('2')).processed).toEqual([]);
    // An editor's swap file beside the sources is no change either.
    await writeFile(path.join(issueDir, '.02-report-old-housing.md.swp'), 'swap');
    expect((await rebuild('2')).processed).toEqual([]);

    // A paragraph appended to one report, with a half-width comma (a warning of the check).
    await appendFile(path.join(issueDir, '02-report-old-housing.md'), '\n新增的一段,用于测试。\n');
    const appended = await rebuild('3');
    expect(appended.processed).toEqual(['02-report-old-housing.md']);
    expect(textOf(appended.pages.body.html)).toContain('新增的一段,用于测试。');
    expect(warm.seen.warnings.some((message) => message.includes('02-report-old-housing.md'))).toBe(true);

    // A title other documents depend on: the contents on the cover's page list it.
    await editFile(path.join(issueDir, '04-announcement.md'), (text) =>
      text.replace('contents: 示范区人民代表大会常务委员会公告', 'contents: 示范区人大常委会公告（更正）'),
    );
    const retitled = await rebuild('4');
    expect(retitled.processed).toEqual(['04-announcement.md']);
    expect(textOf(retitled.pages.front?.html ?? '')).toContain('示范区人大常委会公告（更正）');

    // The order of the documents (which one comes first decides the first page's layout).
    await cp(path.join(issueDir, '01-agenda.md'), path.join(issueDir, '06-agenda.md'));
    await rm(path.join(issueDir, '01-agenda.md'));
    const reordered = await rebuild('5');
    expect(reordered.processed).toEqual(['06-agenda.md']);
    await cp(path.join(issueDir, '06-agenda.md'), path.join(issueDir, '01-agenda.md'));
    await rm(path.join(issueDir, '06-agenda.md'));
    expect((await rebuild('6')).processed).toEqual(['01-agenda.md']);

    // issue.yml: every document's check reads it (its meetings), so every document is processed again.
    await editFile(path.join(issueDir, 'issue.yml'), (text) => text.replace('number: 1', 'number: 2'));
    const renumbered = await rebuild('7');
    expect(renumbered.processed).toEqual(allDocuments);
    expect(textOf(renumbered.pages.front?.html ?? '')).toContain('第2期');

    // An image that is missing is an error; the same sources with the image added give the page again.
    await appendFile(path.join(issueDir, '03-resolution.md'), '\n![](images/seal.png)\n');
    const missing = await rebuild('8');
    expect(missing.pages.prepared).toBeUndefined();
    expect(missing.pages.body.html).toContain('images/seal.png');
    await mkdir(path.join(issueDir, 'images'));
    await writeFile(path.join(issueDir, 'images', 'seal.png'), png);
    const found = await rebuild('9');
    expect(found.pages.prepared).toBeDefined();
    expect(found.pages.body.html).toMatch(/<img[^>]*seal\.png/);
  });

  it('in the running preview, a save makes only the saved document into HTML again', async () => {
    const issueDir = await copyOfFixture();
    const { logger, seen } = recordingLogger();
    const preview = await startPreview(issueDir, { port: 0, watchStyles: false, logger, debounceMs: 20 });
    try {
      const page = async () => (await fetch(preview.url)).text();
      expect(await page()).toContain('示范区第一届人大常委会第五次会议议程');
      // The first build made every document (the warm-up after it logs nothing and keeps no cache).
      expect([...seen.processed].sort()).toEqual(allDocuments);
      seen.processed = [];
      await appendFile(path.join(issueDir, '03-resolution.md'), '\n第九十九段。\n');
      let html = '';
      for (let tries = 0; tries < 100 && !textOf(html).includes('第九十九段'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        html = await page();
      }
      expect(textOf(html)).toContain('第九十九段');
      expect(seen.processed).toEqual(['03-resolution.md']);
    } finally {
      await preview.close();
    }
  });
});
