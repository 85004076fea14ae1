import type { Browser } from 'puppeteer-core';
import type { Issue } from '../model/index.js';
import type { BrowserPool } from '../render/pool.js';
import type { SourceEncoding } from '../sources/decode.js';
import { LayoutCache } from './layout-cache.js';
import { type Logger, silentLogger } from './logger.js';
import { type PagedContentsEntry, pagedContents, paginateIssue, prepareIssue } from './pipeline.js';

export interface IssueContents {
  issue: Issue;
  entries: PagedContentsEntry[];
}

export interface IssueContentsOptions {
  browser?: Browser | BrowserPool;
  logger?: Logger;
  timeoutMs?: number;
  /** The build's layout cache folder. */
  cacheDir?: string;
  /** The sources' encoding (UTF-8 unless told). */
  encoding?: SourceEncoding;
}

/**
 * The contents of an issue from a real layout pass: the issue is read and checked and paged.js paginates it exactly as a build does, and
 * the page numbers are where the titles landed; nothing is printed. With `cacheDir` (the build's layout cache)
 * only what changed since the last build is laid out.
 */
export async function issueContents(source: string, options: IssueContentsOptions = {}): Promise<IssueContents> {
  const logger = options.logger ?? silentLogger;
  const { issue, bodies, laidOut } = await prepareIssue(source, { encoding: options.encoding, logger });
  const paginated = await paginateIssue(issue, bodies, laidOut, {
    logger,
    browser: options.browser,
    timeoutMs: options.timeoutMs,
    print: false,
    cache: options.cacheDir ? new LayoutCache(options.cacheDir) : undefined,
  });
  return { issue, entries: pagedContents(laidOut, paginated.documentPages) };
}
