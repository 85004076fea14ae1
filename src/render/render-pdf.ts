import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';

const require = createRequire(import.meta.url);
/** pagedjs's package exports hide dist/ (and package.json): reach the polyfill by file path from its entry. */
const pagedPolyfill = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.polyfill.js');

export interface RenderOptions {
  /** Scripts to load after paged.js (its handlers), in order. */
  scripts: readonly string[];
  /** Called with the number of pages laid out so far. */
  onProgress?: (pages: number) => void;
  /** Called with what the page logs as warnings or errors. */
  onPageMessage?: (text: string) => void;
  /** The whole render's time limit. */
  timeoutMs?: number;
  /** false: lay out only (the contents' page numbers), no PDF. */
  print?: boolean;
}

/** What the page tells after layout: where each document's title landed. */
export interface PageMap {
  pageCount: number;
  /** Document anchor → the page (1-based, counting the cover) on which its title block is printed. */
  documentPages: Record<string, number>;
  /** Document anchor → length of its text as laid out in pages, without white space (for the completeness check). */
  laidOutText: Record<string, number>;
}

export interface RenderedPdf {
  /** Empty when rendered with `print: false`. */
  pdf: Uint8Array;
  pages: PageMap;
}

/** Lays out an HTML file with paged.js in a new tab of `browser` and prints it to PDF. */
export async function renderPdf(browser: Browser, htmlPath: string, options: RenderOptions): Promise<RenderedPdf> {
  const page = await browser.newPage();
  try {
    return await withTimeout(render(page, htmlPath, options), options.timeoutMs ?? 10 * 60_000, htmlPath);
  } finally {
    await page.close().catch(() => undefined);
  }
}

async function render(page: Page, htmlPath: string, options: RenderOptions): Promise<RenderedPdf> {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') options.onPageMessage?.(message.text());
  });
  page.on('pageerror', (error) => options.onPageMessage?.(`page error: ${(error as Error).message}`));
  await page.exposeFunction('gazetteProgress', (pages: number) => options.onProgress?.(pages));
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { PagedConfig: object }).PagedConfig = { auto: false };
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 0 });
  // Every face the page declares is one it needs (the layout stage keeps only the slices the text uses):
  // load them all before paged.js measures anything, or lines are measured in a fallback face.
  await page.evaluate(async () => {
    await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)));
    await document.fonts.ready;
  });
  await page.addScriptTag({ path: pagedPolyfill });
  for (const script of options.scripts) await page.addScriptTag({ path: script, type: 'module' });
  const pages = await page.evaluate(async () => {
    const polyfill = (window as unknown as { PagedPolyfill: { preview: () => Promise<{ total: number }> } })
      .PagedPolyfill;
    const flow = await polyfill.preview();
    await document.fonts.ready;
    const documentPages: Record<string, number> = {};
    const laidOutText: Record<string, number> = {};
    for (const header of document.querySelectorAll<HTMLElement>('.pagedjs_page .document-header')) {
      const anchor = header.id || header.dataset.id;
      const pageElement = header.closest<HTMLElement>('.pagedjs_page');
      if (anchor && pageElement && !(anchor in documentPages))
        documentPages[anchor] = Number(pageElement.dataset.pageNumber);
    }
    for (const fragment of document.querySelectorAll<HTMLElement>('.pagedjs_page article[data-document]')) {
      const anchor = fragment.dataset.document as string;
      laidOutText[anchor] = (laidOutText[anchor] ?? 0) + (fragment.textContent ?? '').replace(/\s/g, '').length;
    }
    return { pageCount: flow.total, documentPages, laidOutText };
  });
  if (options.print === false) return { pdf: new Uint8Array(), pages };
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
  return { pdf, pages };
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Rendering ${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
