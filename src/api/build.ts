import path from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { issueTitle } from '../layout/compose.js';
import type { Issue, Locale } from '../model/index.js';
import type { PdfMetadata } from '../pdf/finish.js';
import type { EmbeddedFont } from '../pdf/fonts.js';
import type { OutlineItem } from '../pdf/outline.js';
import { BrowserPool } from '../render/pool.js';
import type { SourceEncoding } from '../sources/decode.js';
import { writeFilesTogether } from '../sources/write-atomic.js';
import type { DocumentCache } from './document-cache.js';
import { LayoutCache } from './layout-cache.js';
import { type Logger, silentLogger } from './logger.js';
import { type PagedContentsEntry, type PreparedIssue, pagedContents, paginateIssue, prepareIssue } from './pipeline.js';
import { tool } from './version.js';

export interface BuildOptions {
  /** Folder for `<id>.pdf` and `<id>.html`. */
  outDir: string;
  logger?: Logger;
  /** Browsers to reuse across issues (a pool lays parts out side by side); one is started otherwise. */
  browser?: Browser | BrowserPool;
  /** Time limit of one issue's render, ms. */
  renderTimeoutMs?: number;
  /** SOURCE_DATE_EPOCH and friends (for the PDF's fixed dates). */
  env?: NodeJS.ProcessEnv;
  /** The sources' encoding (UTF-8 unless told). */
  encoding?: SourceEncoding;
  /**
   * A folder where laid-out pages are kept between builds, so a rebuild lays out only what changed (see
   * layout-cache.ts). Without it every page is laid out anew.
   */
  cacheDir?: string;
  /** Aborted on Ctrl-C: nothing is written after it (the browsers are stopped by whoever started them). */
  signal?: AbortSignal;
  /** Characters of text one part of a two-column issue holds at most (parts.ts; tests make several parts). */
  partCharacters?: number;
  /** Called once every page is printed: the browser is not needed for the rest of the build. */
  onPrinted?: () => void;
  /**
   * A draft for proofreading: placeholders and marks to review do not stop it, every page is marked 样稿, and
   * it is written as `<id>.draft.pdf` (never over the print PDF).
   */
  draft?: boolean;
  /** The language of the warnings it logs. */
  locale?: Locale;
  /**
   * The issue at `source` already read, checked and made into HTML with the same encoding and draft setting
   * (the preview's page did it for the same state of the sources): not done again.
   */
  prepared?: PreparedIssue;
  /** Documents checked and made into HTML by earlier builds of this issue (a server's rebuilds): see prepareIssue. */
  documents?: DocumentCache;
}

export interface BuildResult {
  issue: Issue;
  pdfPath: string;
  htmlPath: string;
  pageCount: number;
  /** Contents entries with the page each title is printed on. */
  contents: PagedContentsEntry[];
  fonts: EmbeddedFont[];
  fallbackCharacters: string[];
  /** Pages taken from the layout cache rather than laid out. */
  reusedPages: number;
}

/** Builds one issue: sources → HTML → paged.js in Chromium → finished PDF, each output written atomically. */
export async function buildIssue(source: string, options: BuildOptions): Promise<BuildResult> {
  const logger = options.logger ?? silentLogger;

  // A pool's first browser starts once the sources passed the check, unless the caller started it earlier (the
  // CLI does, as it loads the modules). One browser lays out an issue in one part (and its cover and
  // contents): a second is started only for an issue laid out in parts. Measured on the samples: as fast, and
  // 1 GiB less memory.
  const warmUp = () => {
    logger.step?.('sources read and checked');
    if (options.browser instanceof BrowserPool) options.browser.warmUp(1);
  };
  if (options.prepared) warmUp();
  const { issue, bodies, laidOut } =
    options.prepared ??
    (await prepareIssue(source, {
      encoding: options.encoding,
      logger,
      draft: options.draft,
      locale: options.locale,
      onChecked: warmUp,
      documents: options.documents,
    }));
  logger.step?.('HTML made');
  const name = options.draft ? `${issue.id}.draft` : issue.id;
  const htmlPath = path.join(options.outDir, `${name}.html`);
  options.signal?.throwIfAborted();

  let finishing: Promise<typeof import('../pdf/finish.js')> | undefined;
  let html: string | undefined;
  const paginated = await paginateIssue(issue, bodies, laidOut, {
    logger,
    browser: options.browser,
    timeoutMs: options.renderTimeoutMs,
    cache: options.cacheDir ? new LayoutCache(options.cacheDir) : undefined,
    partCharacters: options.partCharacters,
    onPrinted: options.onPrinted,
    // The finishing's modules load, and the issue's HTML (written with the PDF) is made, while Chromium prints.
    whilePrinting: () => {
      finishing = import('../pdf/finish.js');
      finishing.catch(() => undefined);
      html = laidOut.html;
    },
  });

  logger.progress(`${issue.id}: finishing PDF (${paginated.pageCount} pages)`);
  const { finishPdf } = await (finishing ?? import('../pdf/finish.js'));
  const finished = await finishPdf(
    paginated.pdf as PDFDocument,
    pdfMetadataOf(issue, options.env ?? process.env),
    outlineOf(issue, pagedContents(laidOut, paginated.documentPages)),
    paginated.links,
  );
  logger.step?.('PDF finished');
  const type3 = finished.fonts.filter((font) => font.subtype === 'Type3' || !font.embedded);
  if (type3.length > 0) {
    throw new Error(
      `${issue.id}: fonts a print shop rejects (Type 3 or not embedded): ${type3.map((font) => font.name).join(', ')}`,
    );
  }
  const pdfPath = path.join(options.outDir, `${name}.pdf`);
  options.signal?.throwIfAborted();
  // The HTML and the PDF of one build replace the previous ones together: a failed build leaves both old.
  await writeFilesTogether([
    { path: htmlPath, data: html ?? laidOut.html },
    { path: pdfPath, data: finished.bytes },
  ]);
  logger.step?.('written');

  return {
    issue,
    pdfPath,
    htmlPath,
    pageCount: finished.pageCount,
    contents: pagedContents(laidOut, paginated.documentPages),
    fonts: finished.fonts,
    fallbackCharacters: laidOut.fallbackCharacters,
    reusedPages: paginated.reusedPages,
  };
}

/**
 * Bookmarks: the contents, then each meeting with its documents, taken from the contents entries so the two
 * follow one order (the documents'; `check` reports a document filed out of its meeting's order).
 */
function outlineOf(issue: Issue, contents: readonly PagedContentsEntry[]): OutlineItem[] {
  const meetings: OutlineItem[] = [];
  let current: { meeting: number; item: OutlineItem } | undefined;
  for (const entry of contents) {
    const child = { title: entry.title, page: entry.page || 1 };
    if (current?.meeting === entry.meeting) {
      current.item.children?.push(child);
      continue;
    }
    const name = issue.config.meetings.find((meeting) => meeting.number === entry.meeting)?.name ?? '';
    current = { meeting: entry.meeting, item: { title: name, page: child.page, children: [child] } };
    meetings.push(current.item);
  }
  return [{ title: '目录', page: 2 }, ...meetings];
}

/** The PDF's document information: fixed values only, so the same sources give the same bytes. */
export function pdfMetadataOf(issue: Issue, env: NodeJS.ProcessEnv): PdfMetadata {
  const { config } = issue;
  return {
    title: issueTitle(config),
    author: config.issuer,
    subject: config.meetings.map((meeting) => meeting.name).join('、'),
    keywords: ['公报', config.publication, `${config.year}年第${config.number}期`],
    language: 'zh-CN',
    date: fixedDate(issue, env),
    creator: `${tool.name} ${tool.version}`,
  };
}

/** The PDF's dates: SOURCE_DATE_EPOCH when set (reproducible builds), else the issue's date of issue. */
function fixedDate(issue: Issue, env: NodeJS.ProcessEnv): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${issue.config.date}T00:00:00+08:00`);
}
