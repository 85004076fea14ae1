import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { stopBrowser } from './browser.js';

const require = createRequire(import.meta.url);
/** pagedjs's package exports hide dist/ (and package.json): reach the polyfill by file path from its entry. */
export const pagedPolyfill = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.polyfill.js');

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
  /**
   * The local files the page may load besides the HTML itself (styles, fonts, images). Every other request —
   * the network, other files — is refused and reported: the renderer is offline and sees only the issue.
   */
  allowedFiles: readonly string[];
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

/** Where a contents line sits on its page, in CSS pixels of the page box, for the PDF's link annotations. */
export interface ContentsLinkBox {
  anchor: string;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  pageWidth: number;
  pageHeight: number;
}

/** A page laid out by paged.js and still open, so it can be renumbered before it is printed. */
export interface PagedLayout {
  pages: PageMap & { contentsLinks: ContentsLinkBox[] };
  /**
   * Prints the pages, numbered from `firstPage` (the folio and the left/right running heads follow the real
   * page numbers when the layout is a part of a longer issue).
   */
  print(options?: { firstPage?: number }): Promise<Uint8Array>;
  /** Writes "（N）" into each contents line's number box, by document anchor (the contents laid out early). */
  fillContentsPages(pages: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

/** Lays out an HTML file with paged.js in a new tab of `browser` and prints it to PDF. */
export async function renderPdf(browser: Browser, htmlPath: string, options: RenderOptions): Promise<RenderedPdf> {
  const layout = await layOutPage(browser, htmlPath, options);
  try {
    const pdf = options.print === false ? new Uint8Array() : await layout.print();
    return { pdf, pages: layout.pages };
  } finally {
    await layout.close();
  }
}

/** Lays out an HTML file with paged.js in a new tab of `browser`; the tab stays open until `close()`. */
export async function layOutPage(browser: Browser, htmlPath: string, options: RenderOptions): Promise<PagedLayout> {
  const exited = () =>
    new Error(`Chromium exited while laying out ${htmlPath} (it crashed or was killed); no PDF was written`);
  if (!browser.connected) throw exited();
  const page = await browser.newPage().catch((error: Error) => {
    throw browser.connected ? error : exited();
  });
  const ms = options.timeoutMs ?? 10 * 60_000;
  // A crashed renderer or a browser that went away ends the render at once, saying so.
  const crashed = new Promise<never>((_, reject) => {
    page.once('error', (error) =>
      reject(new Error(`Chromium's renderer crashed while laying out ${htmlPath}: ${error.message}`)),
    );
    browser.once('disconnected', () => reject(exited()));
  });
  crashed.catch(() => undefined);
  const guarded = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await withTimeout(Promise.race([work, crashed]), ms, htmlPath);
    } catch (error) {
      if (error instanceof RenderTimeoutError) {
        // A page stuck in layout does not answer close(): stop the whole browser rather than leave it behind.
        await stopBrowser(browser, 1000);
      }
      await page.close().catch(() => undefined);
      throw error;
    }
  };
  const pages = await guarded(layOut(page, htmlPath, options));
  return {
    pages,
    print: (printOptions = {}) => guarded(printPages(page, printOptions.firstPage ?? 1)),
    fillContentsPages: (numbers) =>
      guarded(
        page.evaluate((byAnchor: Record<string, number>) => {
          for (const entry of document.querySelectorAll<HTMLElement>('.pagedjs_page .contents-entry[data-anchor]')) {
            const box = entry.querySelector('.contents-page');
            const number = byAnchor[entry.dataset.anchor as string];
            if (box && number !== undefined) box.textContent = `（${number}）`;
          }
        }, numbers),
      ),
    close: () => page.close().catch(() => undefined),
  };
}

export class RenderTimeoutError extends Error {
  override name = 'RenderTimeoutError';
}

async function printPages(page: Page, firstPage: number): Promise<Uint8Array> {
  if (firstPage !== 1) {
    await page.evaluate((first: number) => {
      // paged.js counts pages from its .pagedjs_pages container; start the count where this part starts.
      const style = document.createElement('style');
      style.textContent = `.pagedjs_pages { counter-reset: page ${first - 1} !important; }`;
      document.head.append(style);
      // paged.js made the part's first page a right-hand page; starting on an even page, every side flips: the
      // page's class (which selects the running head's rules) and which margin boxes paged.js marked as having
      // content (it hides the others) with the column widths it gave their row.
      if (first % 2 === 0) {
        for (const element of document.querySelectorAll('.pagedjs_page')) {
          const left = element.classList.contains('pagedjs_left_page');
          element.classList.toggle('pagedjs_left_page', !left);
          element.classList.toggle('pagedjs_right_page', left);
          for (const row of ['top', 'bottom']) {
            const group = element.querySelector<HTMLElement>(`.pagedjs_margin-${row}`);
            const leftBox = element.querySelector(`.pagedjs_margin-${row}-left`);
            const rightBox = element.querySelector(`.pagedjs_margin-${row}-right`);
            if (!group || !leftBox || !rightBox) continue;
            const leftHad = leftBox.classList.contains('hasContent');
            leftBox.classList.toggle('hasContent', rightBox.classList.contains('hasContent'));
            rightBox.classList.toggle('hasContent', leftHad);
            const columns = group.style.gridTemplateColumns;
            if (columns && !columns.includes('('))
              group.style.gridTemplateColumns = columns.split(/\s+/).reverse().join(' ');
          }
        }
      }
    }, firstPage);
  }
  return page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
}

async function layOut(page: Page, htmlPath: string, options: RenderOptions): Promise<PagedLayout['pages']> {
  // paged.js says "Unable to layout item" when it gives up on an element: what it could not place is missing
  // from the pages, so the render fails rather than print an incomplete PDF.
  const unplaced: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('Unable to layout item')) unplaced.push(message.text());
    else if (message.type() === 'error' || message.type() === 'warn') options.onPageMessage?.(message.text());
  });
  page.on('pageerror', (error) => options.onPageMessage?.(`page error: ${(error as Error).message}`));
  await page.exposeFunction('gazetteProgress', (pages: number) => options.onProgress?.(pages));
  const allowed = new Set([path.resolve(htmlPath), ...options.allowedFiles.map((file) => path.resolve(file))]);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (
      url.startsWith('data:') ||
      (url.startsWith('file:') && allowed.has(fileURLToPath(url.split('#')[0] as string)))
    ) {
      void request.continue();
      return;
    }
    options.onPageMessage?.(`refused request to ${url.slice(0, 200)}`);
    void request.abort('accessdenied');
  });
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
      if (anchor && pageElement && !(anchor in documentPages)) {
        documentPages[anchor] = Number(pageElement.dataset.pageNumber);
      }
    }
    for (const fragment of document.querySelectorAll<HTMLElement>('.pagedjs_page article[data-document]')) {
      const anchor = fragment.dataset.document as string;
      laidOutText[anchor] = (laidOutText[anchor] ?? 0) + (fragment.textContent ?? '').replace(/\s/g, '').length;
    }
    const contentsLinks: ContentsLinkBox[] = [];
    for (const entry of document.querySelectorAll<HTMLElement>('.pagedjs_page .contents-entry[data-anchor]')) {
      const pageElement = entry.closest<HTMLElement>('.pagedjs_page');
      if (!pageElement) continue;
      const box = entry.getBoundingClientRect();
      const pageBox = pageElement.getBoundingClientRect();
      contentsLinks.push({
        anchor: entry.dataset.anchor as string,
        page: Number(pageElement.dataset.pageNumber),
        x: box.left - pageBox.left,
        y: box.top - pageBox.top,
        width: box.width,
        height: box.height,
        pageWidth: pageBox.width,
        pageHeight: pageBox.height,
      });
    }
    return { pageCount: flow.total, documentPages, laidOutText, contentsLinks };
  });
  if (unplaced.length > 0) {
    throw new Error(
      `paged.js could not place some content of ${htmlPath} on any page (${unplaced[0]}); the PDF would be incomplete`,
    );
  }
  return pages;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RenderTimeoutError(
            `Rendering ${what} took longer than ${Math.round(ms / 1000)} s (raise it with --timeout); the browser was stopped`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
