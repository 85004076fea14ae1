import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Issue } from '../model/index.js';
import { readIssue } from '../sources/read-issue.js';
import { type Logger, silentLogger } from './logger.js';
import { layOutIssue, type PagedContentsEntry, pagedContents, paginate } from './pipeline.js';

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
  options: { browser?: Browser; logger?: Logger; timeoutMs?: number } = {},
): Promise<IssueContents> {
  const logger = options.logger ?? silentLogger;
  const issue = await readIssue(source);
  const laidOut = await layOutIssue(issue, logger);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gazette-toc-'));
  try {
    const rendered = await paginate(issue, laidOut, {
      logger,
      htmlPath: path.join(scratch, `${issue.id}.html`),
      browser: options.browser,
      timeoutMs: options.timeoutMs,
      print: false,
    });
    return { issue, entries: pagedContents(laidOut, rendered.pages) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
