/**
 * The code the render runs inside the page (passed to `page.evaluate`, so each function stands alone: no
 * imports, no outside names). render-pdf.ts keeps the tab's life, the allow-list and the deadline.
 */
import { fileURLToPath } from 'node:url';
import type { ContentsLinkBox, LayoutSnapshot, PageMap, PageStart } from './render-pdf.js';

/** This module's file (part of the layout cache's key). */
export const inPageModule = fileURLToPath(import.meta.url);

/**
 * Before the page's own scripts: paged.js waits to be started (by `startPaged`), and looks for a page's end
 * every 1,500 characters laid out (its own default for the first page). Left to itself it keeps, for every
 * later page, the length of the first one (pagedjs/pagedjs#159): after a cover's few characters it measured the
 * page after nearly every paragraph, each time laying out two columns again.
 */
export function holdPaged(): void {
  (window as unknown as { PagedConfig: object }).PagedConfig = { auto: false, settings: { maxChars: 1500 } };
}

/**
 * Every face the page declares is one it needs (the layout stage keeps only the slices the text uses): load
 * them all before paged.js measures anything, or lines are measured in a fallback face.
 */
export async function loadFonts(): Promise<void> {
  await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)));
  await document.fonts.ready;
}

/** Runs paged.js over the page (its polyfill and our handlers are loaded). */
export async function startPaged(): Promise<void> {
  const polyfill = (window as unknown as { PagedPolyfill: { preview: () => Promise<unknown> } }).PagedPolyfill;
  await polyfill.preview();
}

/** Writes "（N）" into each contents line's number box, by document anchor. */
export function fillContentsPages(byAnchor: Record<string, number>): void {
  for (const entry of document.querySelectorAll<HTMLElement>('.pagedjs_page .contents-entry[data-anchor]')) {
    const box = entry.querySelector('.contents-page');
    const number = byAnchor[entry.dataset.anchor as string];
    if (box && number !== undefined) box.textContent = `（${number}）`;
  }
}

/** paged.js counts pages from its .pagedjs_pages container: start the count where this part starts. */
export function startCountAt(first: number): void {
  const style = document.createElement('style');
  style.textContent = `.pagedjs_pages { counter-reset: page ${first - 1} !important; }`;
  document.head.append(style);
}

/**
 * Puts cached pages before and after the pages paged.js laid out. paged.js turns rules with "+" or
 * :nth-of-type into attribute rules named by a random UUID per layout (its Following and NthOfType handlers):
 * the cached pages carry the names of the layout they come from, renamed here to the live ones.
 */
export function splicePages(cached: {
  before: readonly string[];
  after: readonly string[];
  cachedIds: string[];
  source: string;
}): void {
  const { before, after, cachedIds, source } = cached;
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
}

/**
 * Where each document's title landed, how much of its text is in the pages, and (with `readLinks`) where the
 * contents lines are: reading a box lays out every page, which the print does again in print media.
 */
export function readPageMap(readLinks = true): PageMap & { contentsLinks: ContentsLinkBox[] } {
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
  // Every face is loaded before (loadFonts): reading a box lays out with the fonts it prints in.
  const entries = readLinks ? document.querySelectorAll<HTMLElement>('.pagedjs_page .contents-entry[data-anchor]') : [];
  for (const entry of entries) {
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
}

/** Serializes the pages and the document around them (styles from the CSSOM: paged.js inserts rules). */
export function snapshotPages(): LayoutSnapshot {
  const container = document.querySelector('.pagedjs_pages');
  if (!container) throw new Error('no pages to keep');
  const startOf = (element: Element): PageStart | null => {
    // The cover, which starts the first part's flow (compose.ts, frontAnchor).
    const flowStart = element.querySelector<HTMLElement>('.pagedjs_page_content [data-flow-start]');
    if (flowStart) return { anchor: flowStart.dataset.flowStart as string, block: 0 };
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

/**
 * Numbers the pages from 1 in order and makes page N a left- or right-hand page as `firstPage + N
 * - 1` is even or odd. paged.js made a part's first page a right-hand page; pages put together from the layout
 * cache, or a part starting on an even page, need their sides flipped: the page's class (which selects the
 * running head's rules) and which margin boxes paged.js marked as having content (it hides the others), with
 * the column widths it gave their row.
 */
export function numberPages(firstPage: number): void {
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
