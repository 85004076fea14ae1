import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { confinePage, stopBrowser } from './browser.js';

const require = createRequire(import.meta.url);
/** This module's file: what it does to paged.js's pages (numbering, sides, snapshots) is part of a layout. */
export const renderModule = fileURLToPath(import.meta.url);

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
  /** The HTML is pages laid out before (a `LayoutSnapshot` put together): no paged.js, only fonts and print. */
  paginated?: boolean;
  /**
   * Pages laid out before (from the layout cache), put before and after the pages paged.js lays out, with the
   * frame (`LayoutSnapshot.frame`) they were laid out in.
   */
  splice?: { before: readonly string[]; after: readonly string[]; frame: string };
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
  /** The pages and their styles, for the layout cache. */
  snapshot(): Promise<LayoutSnapshot>;
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
    snapshot: () => guarded(page.evaluate(snapshotPages)),
    close: () => page.close().catch(() => undefined),
  };
}

/** In the page: serializes the pages and the document around them (styles from the CSSOM: paged.js inserts rules). */
function snapshotPages(): LayoutSnapshot {
  const container = document.querySelector('.pagedjs_pages');
  if (!container) throw new Error('no pages to keep');
  const startOf = (element: Element): PageStart | null => {
    const article = element.querySelector<HTMLElement>('.pagedjs_page_content article[data-document]');
    if (!article) return null;
    const anchor = article.dataset.document as string;
    if (!article.hasAttribute('data-split-from')) return { anchor, block: 0 };
    // A continued document: resumable if the page starts with a whole block of its body (its title block, if
    // here, comes after an empty start on the page before, and a fresh start would differ: no margin-top).
    const body = article.firstElementChild;
    if (!body?.classList.contains('document-body')) return null;
    const first = body.firstElementChild as HTMLElement | null;
    if (!first?.dataset.block || first.hasAttribute('data-split-from')) return null;
    return { anchor, block: Number(first.dataset.block) };
  };
  const pages = [...container.children].map((element) => ({ html: element.outerHTML, start: startOf(element) }));
  const html = document.documentElement.cloneNode(false) as HTMLElement;
  const head = document.head.cloneNode(true) as HTMLElement;
  const liveStyles = [...document.head.querySelectorAll('style')];
  head.querySelectorAll('style').forEach((style, index) => {
    const sheet = liveStyles[index]?.sheet;
    if (sheet) style.textContent = [...sheet.cssRules].map((rule) => rule.cssText).join('\n');
  });
  for (const script of head.querySelectorAll('script')) script.remove();
  const body = document.body.cloneNode(false) as HTMLElement;
  const slot = container.cloneNode(false);
  slot.appendChild(document.createComment('gazette-pages'));
  body.append(slot);
  html.append(head, body);
  return { frame: `<!doctype html>\n${html.outerHTML}`, pages };
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
    }, firstPage);
    await page.evaluate(numberPages, firstPage);
  }
  return page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0 });
}

/**
 * In the page: numbers the pages from 1 in order and makes page N a left- or right-hand page as `firstPage + N
 * - 1` is even or odd. paged.js made a part's first page a right-hand page; pages put together from the layout
 * cache, or a part starting on an even page, need their sides flipped: the page's class (which selects the
 * running head's rules) and which margin boxes paged.js marked as having content (it hides the others), with
 * the column widths it gave their row.
 */
function numberPages(firstPage: number): void {
  const elements = document.querySelectorAll<HTMLElement>('.pagedjs_pages > .pagedjs_page');
  elements.forEach((element, index) => {
    element.id = `page-${index + 1}`;
    element.dataset.pageNumber = String(index + 1);
    element.classList.toggle('pagedjs_first_page', index === 0);
    const right = (firstPage + index) % 2 === 1;
    if (element.classList.contains('pagedjs_right_page') === right) return;
    element.classList.toggle('pagedjs_left_page', right === false);
    element.classList.toggle('pagedjs_right_page', right);
    for (const row of ['top', 'bottom']) {
      const group = element.querySelector<HTMLElement>(`.pagedjs_margin-${row}`);
      const leftBox = element.querySelector(`.pagedjs_margin-${row}-left`);
      const rightBox = element.querySelector(`.pagedjs_margin-${row}-right`);
      if (!group || !leftBox || !rightBox) continue;
      const leftHad = leftBox.classList.contains('hasContent');
      leftBox.classList.toggle('hasContent', rightBox.classList.contains('hasContent'));
      rightBox.classList.toggle('hasContent', leftHad);
      const columns = group.style.gridTemplateColumns;
      if (columns && !columns.includes('(')) group.style.gridTemplateColumns = columns.split(/\s+/).reverse().join(' ');
    }
  });
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
  if (!options.paginated) {
    await confined.addScript(pagedPolyfill);
    for (const script of options.scripts) await confined.addScript(script, 'module');
    await page.evaluate(async () => {
      const polyfill = (window as unknown as { PagedPolyfill: { preview: () => Promise<unknown> } }).PagedPolyfill;
      await polyfill.preview();
    });
  }
  if (options.splice) {
    const { before, after, frame } = options.splice;
    await page.evaluate(
      ({ before, after, cachedIds, source }) => {
        // paged.js turns rules with "+" or :nth-of-type into attribute rules named by a random UUID per layout
        // (its Following and NthOfType handlers): the cached pages carry the names of the layout they come from.
        const ids = (text: string) => [...new Set(text.match(new RegExp(source, 'g')) ?? [])];
        const rules = [...document.querySelectorAll('style')].map((style) =>
          [...(style.sheet?.cssRules ?? [])].map((rule) => rule.cssText).join('\n'),
        );
        const liveIds = ids(rules.join('\n'));
        if (liveIds.length !== cachedIds.length) throw new Error('the cached pages do not match the page styles');
        const renamed = new Map(cachedIds.map((id, index) => [id, liveIds[index] as string]));
        const rename = (html: string) => html.replace(new RegExp(source, 'g'), (id) => renamed.get(id) ?? id);
        const container = document.querySelector('.pagedjs_pages') as Element;
        container.insertAdjacentHTML('afterbegin', before.map(rename).join(''));
        container.insertAdjacentHTML('beforeend', after.map(rename).join(''));
      },
      { before, after, cachedIds: [...new Set(frame.match(new RegExp(generatedId, 'g')) ?? [])], source: generatedId },
    );
    await page.evaluate(numberPages, 1);
  }
  const pages = await page.evaluate(async () => {
    // Pages put in from the cache may show characters of font slices not loaded yet: lay out, then wait.
    void document.body.offsetHeight;
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
    const pageCount = document.querySelectorAll('.pagedjs_pages > .pagedjs_page').length;
    return { pageCount, documentPages, laidOutText, contentsLinks };
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
      // setTimeout fires at once past 2^31-1 ms (24.8 days): a longer limit is no limit.
      Math.min(ms, 2 ** 31 - 1),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
