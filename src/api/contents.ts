import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Issue } from '../model/index.js';
import { BrowserPool } from '../render/pool.js';
import { readIssue } from '../sources/read-issue.js';
import { type Logger, silentLogger } from './logger.js';
import { type PagedContentsEntry, pagedContents, paginateIssue, prepareIssue } from './pipeline.js';

export interface IssueContents {
  issue: Issue;
  entries: PagedContentsEntry[];
}

/**
 * The contents of an issue from a real layout pass: paged.js paginates the issue exactly as a build does, and
 * the page numbers are where the titles landed; nothing is printed.
 */
export async function issueContents(
  source: string,
  options: { browser?: Browser | BrowserPool; logger?: Logger; timeoutMs?: number } = {},
): Promise<IssueContents> {
  const logger = options.logger ?? silentLogger;
  const issue = await readIssue(source);
  const { bodies, laidOut } = await prepareIssue(issue, logger);
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'gazette-toc-'));
  const pool =
    options.browser instanceof BrowserPool ? options.browser : new BrowserPool(options.browser ? [options.browser] : 1);
  try {
    const paginated = await paginateIssue(issue, bodies, laidOut, {
      logger,
      pool,
      scratchDir,
      timeoutMs: options.timeoutMs,
      print: false,
    });
    return { issue, entries: pagedContents(laidOut, paginated.documentPages) };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
    if (!(options.browser instanceof BrowserPool)) await pool.close();
  }
}
