import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type { PDFDocument } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { pageScripts } from '../layout/browser/index.js';
import { composeBodyPart, type LaidOutIssue } from '../layout/compose.js';
import type { ContentsEntry, PagedContentsEntry } from '../layout/contents.js';
import { documentAnchor, type GazetteDocument, type Issue } from '../model/index.js';
import type { PageLink } from '../pdf/links.js';
import { BrowserPool } from '../render/pool.js';
import {
  type LayoutSnapshot,
  layOutPage,
  type PagedLayout,
  type PageMap,
  paginatedHtml,
  type RenderOptions,
  renderLimit,
} from '../render/render-pdf.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { keptLinks, type LayoutCache, type LayoutPlan, layoutKey, planLayout } from './layout-cache.js';
import type { Logger } from './logger.js';
import { placeParts, planParts } from './parts.js';

export type { PagedContentsEntry } from '../layout/contents.js';
export { planParts } from './parts.js';
export { type PreparedIssue, prepareIssue } from './prepare.js';

/** The contents entries with the pages paged.js put the titles on. */
export function pagedContents(laidOut: LaidOutIssue, documentPages: Record<string, number>): PagedContentsEntry[] {
  return laidOut.contents.map((entry) => ({ ...entry, page: documentPages[entry.anchor] ?? 0 }));
}

/**
 * paged.js can drop content silently (it is known to truncate on some inputs): every document must have its
 * title placed and at least as much text in the pages as in the HTML.
 */
function checkLayout(
  documents: readonly GazetteDocument[],
  sourceLength: Record<string, number>,
  pages: PageMap,
): void {
  for (const document of documents) {
    const anchor = documentAnchor(document);
    if (!pages.documentPages[anchor]) {
      throw new Error(`${document.file.path}: paged.js did not place this document's title on any page`);
    }
    const expected = sourceLength[anchor] ?? 0;
    const placed = pages.laidOutText[anchor] ?? 0;
    if (placed < expected) {
      throw new Error(
        `${document.file.path}: paged.js laid out ${placed} of ${expected} characters of this document; the PDF would be incomplete`,
      );
    }
  }
}

export interface IssuePaginationOptions {
  logger: Logger;
  /** The browsers to lay out in (one part at a time each); one is started for this call otherwise. */
  browser?: Browser | BrowserPool;
  timeoutMs?: number;
  /** false: paginate only, for the page numbers. */
  print?: boolean;
  /** Pages laid out by earlier builds: only what changed since is laid out again (see layout-cache.ts). */
  cache?: LayoutCache;
  /** Characters of text a part of a two-column issue holds at most (see parts.ts). */
  partCharacters?: number;
  /** Called once every part is printed (the tabs are closed after it, whatever it does with the browser). */
  onPrinted?: () => void;
  /** Called as the pages start printing: work for this process while it waits on the browser. */
  whilePrinting?: () => void;
}

export interface PaginatedIssue {
  /** The whole issue, its parts joined (undefined when not printed). */
  pdf?: PDFDocument;
  pageCount: number;
  /** Document anchor → the page its title block is printed on. */
  documentPages: Record<string, number>;
  /** The contents lines, each opening its document's page. */
  links: PageLink[];
  /** Pages taken from the layout cache rather than laid out. */
  reusedPages: number;
}

/**
 * Paginates an issue in parts, side by side on the pool's browsers, each numbered from 1, the first starting
 * with the cover and the contents; then the contents get the page numbers where the titles landed, and every
 * part is printed with its real page numbers (and the parts joined into one PDF).
 */
export async function paginateIssue(
  issue: Issue,
  bodies: ReadonlyMap<string, HastRoot>,
  laidOut: LaidOutIssue,
  options: IssuePaginationOptions,
): Promise<PaginatedIssue> {
  const { logger } = options;
  const ownPool = !(options.browser instanceof BrowserPool);
  const pool =
    options.browser instanceof BrowserPool ? options.browser : new BrowserPool(options.browser ? [options.browser] : 1);
  const scratchDir = await makeScratchDir('parts');
  // pdf-lib loads while the pages print: loaded as the layout starts, its compiling held up the page's load.
  let joining: Promise<typeof import('../pdf/merge.js')> | undefined;
  const joiner = () => {
    joining ??= import('../pdf/merge.js');
    return joining;
  };
  const parts = planParts(issue, laidOut.textLength, options.partCharacters);
  // One deadline for the whole issue: every tab's every step (layout, waiting for the others, print).
  const { deadline } = renderLimit({ timeoutMs: options.timeoutMs });
  // Every tab opened, closed at the end whatever happens (they hold the pages until they are printed).
  const open: PagedLayout[] = [];
  // The layout cache's writes: started once the pages print (the print waits on the browser, not on us).
  const caching: Promise<void>[] = [];
  const keeps: ((() => Promise<void>) | undefined)[] = [];
  let closing = false;
  const keepPages = (keep: (() => Promise<void>) | undefined) => {
    // Not once the build is failing and its tabs close: a write started then would outlive the build.
    if (!keep || closing) return;
    const written = keep();
    written.catch(() => undefined); // awaited with the prints
    caching.push(written);
  };
  try {
    logger.progress(`${issue.id}: paged.js layout in ${parts.length} part${parts.length > 1 ? 's' : ''}`);
    let laidOutPages = 0;
    const onPage = () => {
      laidOutPages++;
      if (laidOutPages % 10 === 0) logger.progress(`${issue.id}: ${laidOutPages} pages laid out`);
    };
    let reusedPages = 0;
    const layouts = await pool.map(
      parts,
      async (documents, browser) => {
        const index = parts.indexOf(documents);
        const source = { issue, bodies, documents, index, contents: index === 0 ? laidOut.contents : undefined };
        const { layout, reused, keep } = await layOutBodyPart(source, browser, {
          scratchDir,
          render: renderOptions(issue, [], options, deadline, onPage, `part ${index + 1}`),
          cache: options.cache,
          logger,
        });
        open.push(layout);
        keeps[index] = keep;
        checkLayout(documents, laidOut.textLength, layout.pages);
        reusedPages += reused;
        return layout;
      },
      parts.length > 1 ? pool.size : 1,
    );
    const first = layouts[0] as PagedLayout;
    const { documentPages, pageCount, starts } = placeParts(
      layouts.map((layout, index) => ({
        pageCount: layout.pages.pageCount,
        anchors: (parts[index] as GazetteDocument[]).map(documentAnchor),
        documentPages: layout.pages.documentPages,
      })),
    );
    const links = first.pages.contentsLinks.map((link) => ({
      page: link.page,
      box: link,
      target: documentPages[link.anchor] ?? 1,
    }));
    if (options.print === false) {
      for (const keep of keeps) keepPages(keep);
      await Promise.all(caching);
      return { pageCount, documentPages, links, reusedPages };
    }

    await first.fillContentsPages(documentPages);
    logger.progress(`${issue.id}: printing ${pageCount} pages`);
    let printing = 0;
    const prints = layouts.map((layout, index) =>
      layout.print({
        firstPage: starts[index],
        whilePrinting: () => {
          keepPages(keeps[index]);
          // Once every part prints: what the build has to do besides.
          if (++printing < layouts.length) return;
          joiner().catch(() => undefined); // awaited as each part's PDF arrives
          options.whilePrinting?.();
        },
      }),
    );
    // Each part is parsed as soon as it is printed, while the others still print.
    const parsed = Promise.all(
      prints.map((print) => print.then(async (bytes) => (await joiner()).loadPrintedPart(bytes))),
    );
    parsed.catch(() => {}); // awaited below, once the prints (which throw first) are done
    await Promise.all(prints);
    await Promise.all(caching);
    logger.step?.('printed');
    options.onPrinted?.();
    const { mergeParts } = await joiner();
    const pdf = await mergeParts(await parsed);
    logger.step?.('parts joined');
    return { pdf, pageCount, documentPages, links, reusedPages };
  } finally {
    closing = true;
    await Promise.allSettled(caching);
    await Promise.all(open.map((layout) => layout.close()));
    await removeScratchDir(scratchDir);
    if (ownPool) await pool.close();
  }
}

/**
 * Lays out one part of the body in a new tab of `browser` (the caller closes it; it is closed here if taking
 * the pages' snapshot fails), with what the layout cache holds of it: no new layout when nothing changed, a
 * layout of the changed stretch between cached pages, or the whole part. `keep` writes the pages laid out into
 * the cache (the caller calls it once the pages print).
 */
async function layOutBodyPart(
  source: {
    issue: Issue;
    bodies: ReadonlyMap<string, HastRoot>;
    documents: GazetteDocument[];
    index: number;
    /** The contents, for the first part: it starts with the cover and them. */
    contents?: ContentsEntry[];
  },
  browser: Browser,
  how: { scratchDir: string; render: RenderOptions; cache?: LayoutCache; logger: Logger },
): Promise<{ layout: PagedLayout; reused: number; keep?: () => Promise<void> }> {
  const { issue, bodies, documents, index } = source;
  const { cache, logger } = how;
  const part = composeBodyPart(issue, bodies, documents, { contents: source.contents });
  const htmlPath = path.join(how.scratchDir, `${issue.id}.part-${index + 1}.html`);
  let render: RenderOptions = { ...how.render, allowedFiles: part.assets };
  let reused = 0;
  const key = cache ? await layoutKey(part, pageScripts, await browser.version()) : '';
  const cached = await cache?.read(issue.id, index);
  const plan: LayoutPlan = cache
    ? planLayout(cached, part, key, issue.config.profile === 'two-column')
    : { kind: 'fresh', why: 'no cache' };
  render = { ...render, contentsLinks: keptLinks(cached, plan) };
  if (plan.kind === 'resume' && cached) {
    await writeFileAtomic(htmlPath, part.html(plan.window));
    render = { ...render, splice: { before: plan.before, after: plan.after, frame: cached.frame } };
    reused = plan.before.length + plan.after.length;
  } else if (plan.kind === 'reuse' && cached) {
    await writeFileAtomic(htmlPath, paginatedHtml(cached.frame, plan.pages));
    render = { ...render, paginated: true };
    reused = plan.pages.length;
  } else {
    await writeFileAtomic(htmlPath, part.html());
  }
  if (cache && (plan.kind !== 'fresh' || cached))
    logger.progress(`${issue.id}: part ${index + 1}: ${describePlan(plan)}`);
  const layout = await layOutPage(browser, htmlPath, render);
  if (!cache || plan.kind === 'reuse') return { layout, reused };
  let snapshot: LayoutSnapshot;
  try {
    snapshot = await layout.snapshot();
  } catch (error) {
    await layout.close();
    throw error;
  }
  const { anchors, blocks } = part;
  const keep = () =>
    cache.write(issue.id, index, { key, anchors, blocks, ...snapshot, links: layout.pages.contentsLinks });
  return { layout, reused, keep };
}

function describePlan(plan: LayoutPlan): string {
  if (plan.kind === 'fresh') return `laying out every page (${plan.why})`;
  if (plan.kind === 'reuse') return `all ${plan.pages.length} pages from the layout cache`;
  const { from, through } = plan.window;
  const reused = plan.before.length + plan.after.length;
  return `${reused} pages from the layout cache; laying out from ${from.anchor}${from.block > 0 ? ` block ${from.block}` : ''}${through ? ` through ${through}` : ' on'}`;
}

function renderOptions(
  issue: Issue,
  assets: string[],
  options: IssuePaginationOptions,
  deadline: number,
  onPage?: () => void,
  name = '',
): RenderOptions {
  const { logger } = options;
  return {
    onStep: logger.step ? (step) => logger.step?.(`${name}: ${step}`) : undefined,
    scripts: pageScripts,
    allowedFiles: assets,
    timeoutMs: options.timeoutMs,
    deadline,
    onProgress: onPage,
    onPageMessage: (text) => options.logger.warn(`${issue.id}: page: ${text}`),
  };
}
