import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type { Browser } from 'puppeteer-core';
import { issueErrors } from '../check/index.js';
import { pageScripts } from '../layout/browser/index.js';
import { composeIssue, type LaidOutIssue } from '../layout/compose.js';
import type { ContentsEntry } from '../layout/contents.js';
import { bodyToHast } from '../markdown/processor.js';
import { documentAnchor, errorsOf, formatMessage, GazetteInputError, type Issue } from '../model/index.js';
import { launchBrowser } from '../render/browser.js';
import { type PageMap, type RenderedPdf, renderPdf } from '../render/render-pdf.js';
import { readIssue } from '../sources/read-issue.js';
import type { Logger } from './logger.js';
import { writeFileAtomic } from './write-atomic.js';

/** A contents entry with the page its title is printed on. */
export type PagedContentsEntry = ContentsEntry & { page: number };

/** Markdown → HTML for every document, then the issue's HTML. Stops on any error message. */
export async function layOutIssue(issue: Issue, logger: Logger): Promise<LaidOutIssue> {
  const bodies = new Map<string, HastRoot>();
  for (const document of issue.documents) {
    logger.progress(`${issue.id}: markdown ${path.basename(document.file.path)}`);
    bodies.set(document.id, await bodyToHast(document.file, { baseDir: issue.baseDir }));
  }
  const files = issue.documents.map((document) => document.file);
  const errors = errorsOf(files);
  if (errors.length > 0) throw new GazetteInputError(errors);
  for (const message of files.flatMap((file) => file.messages)) logger.warn(formatMessage(message));

  logger.progress(`${issue.id}: layout`);
  const laidOut = composeIssue(issue, bodies);
  if (laidOut.fallbackCharacters.length > 0) {
    logger.warn(`${issue.id}: characters printed in a fallback face: ${laidOut.fallbackCharacters.join(' ')}`);
  }
  return laidOut;
}

/**
 * Sources → the issue's HTML, without paged.js: what `build` does before the browser, for `preview`. Throws
 * GazetteInputError with every reading, checking or Markdown error (file:line:col each).
 */
export async function layOutSource(source: string, logger: Logger): Promise<{ issue: Issue; laidOut: LaidOutIssue }> {
  const issue = await readIssue(source);
  const checkErrors = await issueErrors(issue);
  if (checkErrors.length > 0) throw new GazetteInputError(checkErrors);
  return { issue, laidOut: await layOutIssue(issue, logger) };
}

export interface PaginateOptions {
  logger: Logger;
  /** Where to write `<id>.html`, which the browser loads. */
  htmlPath: string;
  browser?: Browser;
  timeoutMs?: number;
  /** false: paginate only, for the page numbers. */
  print?: boolean;
}

/**
 * Writes the laid-out HTML and paginates it with paged.js (in `browser`, or one started for this call), then
 * checks that nothing was lost on the way.
 */
export async function paginate(issue: Issue, laidOut: LaidOutIssue, options: PaginateOptions): Promise<RenderedPdf> {
  const { logger } = options;
  await writeFileAtomic(options.htmlPath, laidOut.html);
  const browser = options.browser ?? (await launchBrowser());
  try {
    logger.progress(`${issue.id}: paged.js layout`);
    const rendered = await renderPdf(browser, options.htmlPath, {
      scripts: pageScripts,
      allowedFiles: laidOut.assets,
      timeoutMs: options.timeoutMs,
      print: options.print,
      onProgress: (pages) => {
        if (pages % 10 === 0) logger.progress(`${issue.id}: ${pages} pages laid out`);
      },
      onPageMessage: (text) => logger.warn(`${issue.id}: page: ${text}`),
    });
    checkLayout(issue, laidOut.textLength, rendered.pages);
    return rendered;
  } finally {
    if (!options.browser) await browser.close();
  }
}

/** The contents entries with the pages paged.js put the titles on. */
export function pagedContents(laidOut: LaidOutIssue, pages: PageMap): PagedContentsEntry[] {
  return laidOut.contents.map((entry) => ({ ...entry, page: pages.documentPages[entry.anchor] ?? 0 }));
}

/**
 * paged.js can drop content silently (it is known to truncate on some inputs): every document must have its
 * title placed and at least as much text in the pages as in the HTML.
 */
function checkLayout(issue: Issue, sourceLength: Record<string, number>, pages: PageMap): void {
  for (const document of issue.documents) {
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
