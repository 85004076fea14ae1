import type { Browser } from 'puppeteer-core';
import type { Issue } from '../model/index.js';
import type { BrowserPool } from '../render/pool.js';
import { readIssue } from '../sources/read-issue.js';
import { LayoutCache } from './layout-cache.js';
import { type Logger, silentLogger } from './logger.js';
import { type PagedContentsEntry, pagedContents, paginateIssue, prepareIssue } from './pipeline.js';

export interface IssueContents {
  issue: Issue;
  entries: PagedContentsEntry[];
}

/**
 * The contents of an issue from a real layout pass: paged.js paginates the issue exactly as a build does, and
 * the page numbers are where the titles landed; nothing is printed. With `cacheDir` (the build's layout cache)
 * only what changed since the last build is laid out.
 */
export async function issueContents(
  source: string,
  options: { browser?: Browser | BrowserPool; logger?: Logger; timeoutMs?: number; cacheDir?: string } = {},
): Promise<IssueContents> {
  const logger = options.logger ?? silentLogger;
  const issue = await readIssue(source);
  const { bodies, laidOut } = await prepareIssue(issue, logger);
  const paginated = await paginateIssue(issue, bodies, laidOut, {
    logger,
    browser: options.browser,
    timeoutMs: options.timeoutMs,
    print: false,
    cache: options.cacheDir ? new LayoutCache(options.cacheDir) : undefined,
  });
  return { issue, entries: pagedContents(laidOut, paginated.documentPages) };
}
