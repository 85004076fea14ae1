import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { pageScripts } from '../../src/layout/browser/index.js';
import { confinePage, launchBrowser, resolveBrowserExecutable, stopBrowser } from '../../src/render/browser.js';
import { holdPaged, startPaged } from '../../src/render/in-page.js';
import { pagedPolyfill } from '../../src/render/render-pdf.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { readPdf } from '../helpers/pdf.js';

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

  it('a script file that is not there makes addScript fail, naming it', async () => {
    const { page, confined } = await confinedPage({});
    try {
      await expect(confined.addScript(path.join(env.dir, 'missing.js'))).rejects.toThrow(
        /could not load .*missing\.js/,
      );
    } finally {
      await page.close();
    }
  });
});

describe('paged.js with our handlers', () => {
  /** Opens `html` in `page` as the render does: paged.js held, then its polyfill and our handlers added. */
  async function loadWithOurScripts(page: Page, html: string, after: string[] = []) {
    await page.evaluateOnNewDocument(holdPaged);
    const scripts = [...pageScripts, ...after];
    const confined = await confinePage(page, html, { allowedFiles: [pagedPolyfill, ...scripts] });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    await confined.addScript(pagedPolyfill);
    for (const script of scripts) await confined.addScript(script, 'module');
  }

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
      await loadWithOurScripts(page, html);
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

  /** Dark pixels in the `size`×`size` corner at the top left of the PDF's first page, drawn by poppler at 72 dpi. */
  function darkPixelsAtTopLeft(pdf: string, size: number): number {
    const pgm = execFileSync('pdftoppm', ['-r', '72', '-gray', '-f', '1', '-l', '1', pdf]);
    // P5 <width> <height> 255, then one byte a pixel, row after row.
    const header = /^P5\s+(\d+)\s+\d+\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    if (!header) throw new Error(`pdftoppm did not draw ${pdf}`);
    const width = Number(header[1]);
    const start = header[0].length;
    let dark = 0;
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        if ((pgm[start + row * width + column] ?? 255) < 128) dark++;
      }
    }
    return dark;
  }

  const paragraphs = '<p>区人大常委会听取和审议了区人民政府关于本区养老服务标准化建设情况的报告。</p>'.repeat(60);

  /**
   * Lays out `body` (sixty paragraphs unless told) under `pageRules` with paged.js, our handlers and the `after`
   * scripts in a new tab, lets `inspect` read the laid-out tab, and prints it to `pdf`.
   */
  async function layOutAndPrint(
    pageRules: string,
    pdf: string,
    options: { body?: string; after?: string[]; inspect?: (page: Page) => Promise<void> } = {},
  ) {
    const html = path.join(env.dir, `${path.basename(pdf, '.pdf')}.html`);
    const body = options.body ?? paragraphs;
    await writeFile(html, `<!doctype html><html><head><style>${pageRules}</style></head><body>${body}</body></html>`);
    const page = await env.browser.newPage();
    try {
      await loadWithOurScripts(page, html, options.after);
      await page.evaluate(startPaged);
      await options.inspect?.(page);
      const pages = await page.evaluate(() =>
        [...document.querySelectorAll('.pagedjs_pages > .pagedjs_page')].map((element) => ({
          bleeds: element.querySelectorAll('.pagedjs_bleed').length,
          areas: [...element.querySelectorAll('.pagedjs_pagebox > [class^="pagedjs_margin-"]')]
            .filter((area) => getComputedStyle(area).display !== 'none')
            .map((area) => area.className.replace('pagedjs_margin-', '')),
        })),
      );
      await writeFile(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      return pages;
    } finally {
      await page.close();
    }
  }

  it('keeps on each page only the furniture that prints, and the folios still print', async () => {
    const pdfPath = path.join(env.dir, 'furniture.pdf');
    const pages = await layOutAndPrint(
      '@page { size: A6; margin: 15mm; @bottom-center { content: "第" counter(page) "页"; } }',
      pdfPath,
    );
    expect(pages.length).toBeGreaterThan(3);
    // No marks: no bleed strips. Only the bottom row has a box with content: no top, left or right row, no corner.
    for (const page of pages) expect(page).toEqual({ bleeds: 0, areas: ['bottom'] });
    const printed = await readPdf(pdfPath);
    expect(printed.pages.map((page) => page.compact.includes(`第${page.number}页`))).toEqual(
      printed.pages.map(() => true),
    );
    expect(printed.pages).toHaveLength(pages.length);
  }, 60_000);

  it('keeps the bleed strips where crop marks are asked for, and prints them', async () => {
    const withMarks = path.join(env.dir, 'marks.pdf');
    const pages = await layOutAndPrint(
      '@page { size: A6; margin: 15mm; bleed: 3mm; marks: crop; @top-left { content: "公报"; } }',
      withMarks,
    );
    for (const page of pages) expect(page).toEqual({ bleeds: 4, areas: ['top'] });
    // The crop marks print: dark pixels in the bleed at the first page's top left corner (3 mm: 8 px at 72 dpi).
    expect(darkPixelsAtTopLeft(withMarks, 8)).toBeGreaterThan(3);
    const without = path.join(env.dir, 'no-marks.pdf');
    await layOutAndPrint('@page { size: A6; margin: 15mm; bleed: 3mm; @top-left { content: "公报"; } }', without);
    expect(darkPixelsAtTopLeft(without, 8)).toBe(0);
  }, 60_000);

  it('steps no page counter while it lays pages out, and prints each folio from the counter', async () => {
    // A handler registered after ours: what each page's style is once paged.js has laid it out.
    const probe = path.join(env.dir, 'counter-probe.js');
    await writeFile(
      probe,
      `window.laidOut = [];
      Paged.registerHandlers(class extends Paged.Handler {
        afterPageLayout(pageElement) {
          window.laidOut.push(getComputedStyle(pageElement).counterIncrement);
        }
      });`,
    );
    const pdfPath = path.join(env.dir, 'counters.pdf');
    // As in gazette.css: a rule for contents links that no element of these pages matches.
    const rules = `@page { size: A6; margin: 15mm; @bottom-center { content: "第" counter(page) "页"; } }
      a.contents-link::after { content: "（" target-counter(attr(href), page) "）"; }`;
    let during: string[] = [];
    let after: { step: string; marked: number }[] = [];
    const pages = await layOutAndPrint(rules, pdfPath, {
      after: [probe],
      inspect: async (page) => {
        during = await page.evaluate(() => (window as unknown as { laidOut: string[] }).laidOut);
        after = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.pagedjs_pages > .pagedjs_page')].map((element) => ({
            step: getComputedStyle(element).counterIncrement,
            marked: element.querySelectorAll('[data-gazette-page]').length,
          })),
        );
      },
    });
    expect(pages.length).toBeGreaterThan(3);
    // Chromium walks the whole document to update counters each time an element that steps one comes in.
    expect(during).toEqual(pages.map(() => 'none'));
    expect(after).toEqual(pages.map(() => ({ step: 'page 1', marked: 0 })));
    const printed = await readPdf(pdfPath);
    expect(printed.pages.map((printedPage) => printedPage.compact.includes(`第${printedPage.number}页`))).toEqual(
      printed.pages.map(() => true),
    );
  }, 60_000);

  it('prints a folio in another counter style from the counter, which it keeps while it lays out', async () => {
    const pdfPath = path.join(env.dir, 'roman.pdf');
    await layOutAndPrint(
      '@page { size: A6; margin: 15mm; @bottom-center { content: "第" counter(page, upper-roman) "页"; } }',
      pdfPath,
    );
    const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
    const printed = await readPdf(pdfPath);
    expect(printed.pages.length).toBeGreaterThan(3);
    expect(
      printed.pages.map((printedPage) => printedPage.compact.includes(`第${roman[printedPage.number - 1]}页`)),
    ).toEqual(printed.pages.map(() => true));
  }, 60_000);

  it('keeps the page counter while it lays out a page that shows target-counter(), whose page paged.js counts', async () => {
    const pdfPath = path.join(env.dir, 'target.pdf');
    await layOutAndPrint(
      `@page { size: A6; margin: 15mm; @bottom-center { content: "第" counter(page) "页"; } }
      a::after { content: "见第" target-counter(attr(href), page) "页"; }`,
      pdfPath,
      { body: `<p><a href="#end">附件</a></p>${paragraphs}<p id="end">附件全文</p>` },
    );
    const printed = await readPdf(pdfPath);
    const last = printed.pages.length;
    expect(last).toBeGreaterThan(3);
    expect(printed.pages[last - 1]?.compact).toContain('附件全文');
    expect(printed.pages[0]?.compact).toContain(`附件见第${last}页`);
  }, 60_000);
});
