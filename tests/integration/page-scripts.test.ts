import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { pageScripts } from '../../src/layout/browser/index.js';
import { confinePage, launchBrowser, resolveBrowserExecutable, stopBrowser } from '../../src/render/browser.js';
import { holdPaged, startPaged } from '../../src/render/in-page.js';
import { pagedPolyfill } from '../../src/render/render-pdf.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';

/**
 * paged.js starts right after our handlers are added: a module script that had not run yet by then left some
 * parts of an issue laid out without them (a signature pushed alone onto a page, now and then, under load).
 */
const env = useBrowserAndTempDir('page-scripts');

async function confinedPage(scripts: Record<string, string>) {
  const html = path.join(env.dir, 'page.html');
  await writeFile(html, '<!doctype html><html><head></head><body><p>正文</p></body></html>');
  const files = Object.keys(scripts).map((name) => path.join(env.dir, name));
  for (const [name, text] of Object.entries(scripts)) await writeFile(path.join(env.dir, name), text);
  const page = await env.browser.newPage();
  const confined = await confinePage(page, html, { allowedFiles: files });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  return { page, confined, files };
}

describe('scripts added to a confined page', () => {
  it('a module script has run when addScript returns', async () => {
    const { page, confined, files } = await confinedPage({
      'handlers.js': 'window.registered = (window.registered ?? 0) + 1;\nexport {};\n',
    });
    try {
      await confined.addScript(files[0] as string, 'module');
      // Read in the same task as the return: a module still queued would leave it undefined.
      expect(await page.evaluate(() => (window as unknown as { registered?: number }).registered)).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('a module script that throws makes addScript fail with its message', async () => {
    const { page, confined, files } = await confinedPage({
      'broken.js': "throw new Error('Paged is not defined here');\nexport {};\n",
    });
    try {
      await expect(confined.addScript(files[0] as string, 'module')).rejects.toThrow(/Paged is not defined here/);
    } finally {
      await page.close();
    }
  });
});

describe('paged.js with our handlers', () => {
  it('lays out a page in a tab behind another one, which gets no animation frames', async () => {
    const html = path.join(env.dir, 'behind.html');
    const text = '<p>区人大常委会听取和审议了区人民政府关于本区养老服务标准化建设情况的报告。</p>'.repeat(200);
    await writeFile(
      html,
      `<!doctype html><html><head><style>@page { size: A6; }</style></head><body>${text}</body></html>`,
    );
    // The full browser, as in the office: the headless shell the build uses shows every tab.
    const browser = await launchBrowser({ executablePath: resolveBrowserExecutable(process.env, { shell: false }) });
    const page = await browser.newPage();
    let front: Page | undefined;
    try {
      await page.evaluateOnNewDocument(holdPaged);
      const confined = await confinePage(page, html, { allowedFiles: [pagedPolyfill, ...pageScripts] });
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      await confined.addScript(pagedPolyfill);
      for (const script of pageScripts) await confined.addScript(script, 'module');
      // A tab opened later comes to the front: this one is hidden, and its animation frames stop.
      front = await browser.newPage();
      expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
      expect(
        await page.evaluate(
          () =>
            new Promise((resolve) => {
              requestAnimationFrame(() => resolve('frame'));
              setTimeout(() => resolve('no frame'), 500);
            }),
        ),
      ).toBe('no frame');
      // paged.js's queue ticked on animation frames (pagedjs/pagedjs#287): here it never got past the first page.
      const laidOut = Promise.race([
        page.evaluate(startPaged).then(() => 'laid out'),
        new Promise((resolve) => setTimeout(() => resolve('stalled'), 30_000)),
      ]);
      expect(await laidOut).toBe('laid out');
      expect(await page.evaluate(() => document.querySelectorAll('.pagedjs_page').length)).toBeGreaterThan(10);
    } finally {
      await front?.close();
      await page.close();
      await stopBrowser(browser);
    }
  }, 60_000);
});
