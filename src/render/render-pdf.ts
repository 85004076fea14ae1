import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { confinePage, openTab, stopBrowser } from './browser.js';
import {
  fillContentsPages,
  holdPaged,
  inPageModule,
  loadFonts,
  numberPages,
  readPageMap,
  snapshotPages,
  splicePages,
  startCountAt,
  startPaged,
} from './in-page.js';

const require = createRequire(import.meta.url);
/**
 * This module and the code it runs in the page: what they do to paged.js's pages (numbering, sides, snapshots)
 * is part of a layout.
 */
export const renderModules: readonly string[] = [fileURLToPath(import.meta.url), inPageModule];

/** pagedjs's package exports hide dist/ (and package.json): reach the polyfill by file path from its entry. */
export const pagedPolyfill = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.polyfill.js');

export interface RenderOptions {
  /** Scripts to load after paged.js (its handlers), in order. */
  scripts: readonly string[];
  /** Called with the number of pages laid out so far. */
  onProgress?: (pages: number) => void;
  /** Called as each step of the render ends (page loaded, fonts loaded, laid out, printed): the bench's profile. */
  onStep?: (step: string) => void;
  /** Called with what the page logs as warnings or errors. */
  onPageMessage?: (text: string) => void;
  /** The whole render's time limit, ms, from the call (default ten minutes); `deadline` wins over it. */
  timeoutMs?: number;
  /**
   * When the whole render must be done (`Date.now()` ms): one deadline for every step of every tab of an issue
   * (layout, waiting for the other parts, print), not a fresh limit per step.
   */
  deadline?: number;
  /**
   * The local files the page may load besides the HTML itself (styles, fonts, images). Every other request —
   * the network, other files — is refused and reported: the renderer is offline and sees only the issue.
   */
  allowedFiles: readonly string[];
  /** The HTML is pages laid out before (a `LayoutSnapshot` put together): no paged.js, only fonts and print. */
  paginated?: boolean;
  /**
   * Pages laid out before (from the layout cache), put before and after the pages paged.js lays out, with the
   * frame (`LayoutSnapshot.frame`) they were laid out in.
   */
  splice?: { before: readonly string[]; after: readonly string[]; frame: string };
  /**
   * Where the contents lines sit, known (from the layout cache: their pages are as they were): not read from the
   * pages, which are then laid out only by the print.
   */
  contentsLinks?: ContentsLinkBox[];
}

/** Where a laid-out page starts in the part's flow, if at the start of a block (see BlockPosition). */
export interface PageStart {
  anchor: string;
  block: number;
}

/** A laid-out page as the layout cache keeps it. */
export interface PageSnapshot {
  /** The page element's HTML, as paged.js left it. */
  html: string;
  /** null: the page starts inside a block (a paragraph or table continued from the page before). */
  start: PageStart | null;
}

/** The laid-out part: its pages, and the page around them with every style paged.js made (CSSOM included). */
export interface LayoutSnapshot {
  /** The HTML document with a mark in `.pagedjs_pages` where the pages go (see `paginatedHtml`). */
  frame: string;
  pages: PageSnapshot[];
}

/** Names paged.js gives the attribute rules it makes of "+" and :nth-of-type rules (random per layout). */
const generatedId = '(?:following|nth-of-type)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Marks the place of the pages in a snapshot's frame (inside the empty `.pagedjs_pages`). */
const pagesSlot = '<!--gazette-pages-->';

/** A snapshot's pages in its frame: an HTML file to open with `paginated: true`. */
export function paginatedHtml(frame: string, pages: readonly string[]): string {
  const at = frame.indexOf(pagesSlot);
  if (at < 0) throw new Error('the cached page frame has no place for the pages');
  return `${frame.slice(0, at)}${pages.join('')}${frame.slice(at + pagesSlot.length)}`;
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
  print(options?: { firstPage?: number; whilePrinting?: () => void }): Promise<Uint8Array>;
  /** Writes "（N）" into each contents line's number box, by document anchor (the contents laid out early). */
  fillContentsPages(pages: Record<string, number>): Promise<void>;
  /** The pages and their styles, for the layout cache. */
  snapshot(): Promise<LayoutSnapshot>;
  close(): Promise<void>;
}

/** Lays out an HTML file with paged.js in a new tab of `browser` and prints it to PDF. */
export async function renderPdf(browser: Browser, htmlPath: string, options: RenderOptions): Promise<RenderedPdf> {
  const layout = await layOutPage(browser, htmlPath, options);
  try {
    return { pdf: await layout.print(), pages: layout.pages };
  } finally {
    await layout.close();
  }
}

/** Lays out an HTML file with paged.js in a new tab of `browser`; the tab stays open until `close()`. */
export async function layOutPage(browser: Browser, htmlPath: string, options: RenderOptions): Promise<PagedLayout> {
  const exited = () =>
    new Error(`Chromium exited while laying out ${htmlPath} (it crashed or was killed); no PDF was written`);
  if (!browser.connected) throw exited();
  const page = await openTab(browser).catch(async (error: Error) => {
    throw (await goneAfterFailure(browser)) ? exited() : error;
  });
  const limit = renderLimit(options);
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
      return await withDeadline(Promise.race([work, crashed]), limit, htmlPath);
    } catch (error) {
      if (error instanceof RenderTimeoutError) {
        // A page stuck in layout does not answer close(): stop the whole browser rather than leave it behind.
        await stopBrowser(browser, 1000);
      } else if (await goneAfterFailure(browser)) {
        throw exited();
      }
      await page.close().catch(() => undefined);
      throw error;
    }
  };
  const pages = await guarded(layOut(page, htmlPath, options));
  return {
    pages,
    print: async (printOptions = {}) => {
      const pdf = await guarded(printPages(page, printOptions.firstPage ?? 1, printOptions.whilePrinting));
      options.onStep?.('printed');
      return pdf;
    },
    fillContentsPages: (numbers) => guarded(page.evaluate(fillContentsPages, numbers)),
    snapshot: () => guarded(page.evaluate(snapshotPages)),
    close: () => page.close().catch(() => undefined),
  };
}

/**
 * Whether the browser is gone, given a moment after a call to it failed: killed, it fails the calls under way
 * (puppeteer says "Requesting main frame too early!" or "Target closed") a little before its pipe's end is read.
 */
async function goneAfterFailure(browser: Browser, ms = 300): Promise<boolean> {
  if (!browser.connected) return true;
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      browser.off('disconnected', gone);
      resolve(!browser.connected);
    }, ms);
    browser.once('disconnected', gone);
  });
}

export class RenderTimeoutError extends Error {
  override name = 'RenderTimeoutError';
}

async function printPages(page: Page, firstPage: number, whilePrinting?: () => void): Promise<Uint8Array> {
  if (firstPage !== 1) {
    await page.evaluate(startCountAt, firstPage);
    await page.evaluate(numberPages, firstPage);
  }
  // Printing switches the tab to print media and back, restyling every element each time; already on print
  // media, it restyles once fewer and lays out less (the tab closes after the print).
  await page.emulateMediaType('print');
  // The layout leaves much garbage in the tab (what paged.js took off each page, its measures): collected before
  // the print builds the PDF, the tab's memory peaks lower (a build's peak is its print). One full collection
  // through the page's gc() (a layout browser's, LaunchOptions.animationFrames); CDP's collects until nothing is
  // left, three times over, for a few MiB more.
  const collected = await page.evaluate(() => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    return gc !== undefined;
  });
  if (!collected) await collectGarbage(page);
  // Every face was loaded before the layout (`loadFonts`): puppeteer's own wait for the fonts would first create
  // an isolated world in the page, and the print would be asked for only after that round trip.
  const pdf = page.pdf({ preferCSSPageSize: true, printBackground: true, waitForFonts: false, timeout: 0 });
  try {
    whilePrinting?.();
  } catch (error) {
    pdf.catch(() => undefined); // the tab is closed on this error: its print fails unheard
    throw error;
  }
  return pdf;
}

async function collectGarbage(page: Page): Promise<void> {
  const session = await page.createCDPSession();
  try {
    await session.send('HeapProfiler.collectGarbage');
  } finally {
    await session.detach().catch(() => undefined);
  }
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
  const confined = await confinePage(page, htmlPath, {
    allowedFiles: options.allowedFiles,
    onRefused: (url) => options.onPageMessage?.(`refused request to ${url}`),
  });
  await page.evaluateOnNewDocument(holdPaged);
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 0 });
  options.onStep?.('page loaded');
  await page.evaluate(loadFonts);
  options.onStep?.('fonts loaded');
  if (!options.paginated) {
    await confined.addScript(pagedPolyfill);
    for (const script of options.scripts) await confined.addScript(script, 'module');
    options.onStep?.('scripts added');
    await page.evaluate(startPaged);
    options.onStep?.('paged.js laid out');
  }
  if (options.splice) {
    const { before, after, frame } = options.splice;
    await page.evaluate(splicePages, {
      before,
      after,
      cachedIds: [...new Set(frame.match(new RegExp(generatedId, 'g')) ?? [])],
      source: generatedId,
    });
    await page.evaluate(numberPages, 1);
  }
  const pages = await page.evaluate(readPageMap, !options.contentsLinks);
  if (options.contentsLinks) pages.contentsLinks = options.contentsLinks;
  if (unplaced.length > 0) {
    throw new Error(
      `paged.js could not place some content of ${htmlPath} on any page (${unplaced[0]}); the PDF would be incomplete`,
    );
  }
  return pages;
}

/** The render's deadline, and the limit it was set from (for the message). */
export function renderLimit(options: Pick<RenderOptions, 'timeoutMs' | 'deadline'>): { deadline: number; ms: number } {
  const ms = options.timeoutMs ?? 10 * 60_000;
  return { deadline: options.deadline ?? Date.now() + ms, ms };
}

async function withDeadline<T>(work: Promise<T>, limit: { deadline: number; ms: number }, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RenderTimeoutError(
            `Rendering ${what} took longer than ${Math.round(limit.ms / 1000)} s (raise it with --timeout); the browser was stopped`,
          ),
        ),
      // setTimeout fires at once past 2^31-1 ms (24.8 days): a longer limit is no limit.
      Math.min(Math.max(0, limit.deadline - Date.now()), 2 ** 31 - 1),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
