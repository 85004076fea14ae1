import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { csvText } from '../export/contents.js';
import {
  type AnnualIndexEntry,
  type AnnualIndexIssue,
  annualIndexName,
  composeAnnualIndex,
  issueGroupAnchor,
  kindGroupAnchor,
} from '../layout/annual-index.js';
import { pageScripts } from '../layout/browser/index.js';
import { GazetteInputError, type Issue, kindLabels, speakersOf, unpadName } from '../model/index.js';
import { finishPdf } from '../pdf/finish.js';
import type { OutlineItem } from '../pdf/outline.js';
import { launchBrowser } from '../render/browser.js';
import { renderPdf } from '../render/render-pdf.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import type { SourceEncoding } from '../sources/decode.js';
import { listIssues } from '../sources/list-issues.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { pdfMetadataOf } from './build.js';
import { issueContents } from './contents.js';
import { type Logger, silentLogger } from './logger.js';
import { idStem } from './new-issue.js';

export interface AnnualIndexOptions {
  /** The folder holding the issues (issues/): those whose issue.yml has the year are indexed. */
  issuesDir: string;
  /** Folder for `index-<year>.pdf` and `index-<year>.csv`. */
  outDir: string;
  /** The CSV's file paths are relative to this folder (default: the issues folder's parent). */
  cwd?: string;
  /** A browser for every layout pass and the index's render; one is started (and closed) otherwise. */
  browser?: Browser;
  logger?: Logger;
  /** Time limit of one render, ms. */
  renderTimeoutMs?: number;
  /** SOURCE_DATE_EPOCH (for the PDF's fixed dates). */
  env?: NodeJS.ProcessEnv;
  /** The sources' encoding (UTF-8 unless told). */
  encoding?: SourceEncoding;
  /** The publication to index, where the folder holds the issues of several. */
  publication?: string;
  /** The outputs' name without extension (default `index-<year>`). */
  name?: string;
}

/** A row of the index's CSV. */
export interface AnnualIndexRow {
  year: number;
  issue: number;
  kind: string;
  title: string;
  /** Speakers' names, unpadded, joined with "、". */
  speaker: string;
  page: number;
  /** The source file, relative to `cwd`. */
  file: string;
}

export interface AnnualIndexResult {
  year: number;
  publication: string;
  /** The issues indexed, in number order. */
  issues: { id: string; number: number; source: string }[];
  rows: AnnualIndexRow[];
  pdfPath: string;
  csvPath: string;
  pageCount: number;
}

/** The index cannot be made from what the issues folder holds: no issue of the year, or not one publication. */
export class AnnualIndexRefusedError extends Error {
  override name = 'AnnualIndexRefusedError';
}

/**
 * `gazette index <year>`: the cumulative index (全年总目录) of a year's issues. Each issue is laid out for real
 * (issueContents, one browser for all) so its pages are the printed ones; the index is typeset in the issues'
 * print style and finished with its metadata and one bookmark per issue; a CSV carries the same entries.
 * Both outputs are written atomically, and only when everything succeeded.
 */
export async function buildAnnualIndex(year: number, options: AnnualIndexOptions): Promise<AnnualIndexResult> {
  const logger = options.logger ?? silentLogger;
  const cwd = options.cwd ?? path.dirname(path.resolve(options.issuesDir));
  const listed = await yearIssues(year, options.issuesDir, options.encoding, options.publication);

  const browser = options.browser ?? (await launchBrowser({ animationFrames: false }));
  const scratch = await makeScratchDir('index');
  try {
    const issues: { issue: Issue; index: AnnualIndexIssue }[] = [];
    for (const { source, id } of listed) {
      logger.progress(`index ${year}: pages of ${id}`);
      const { issue, entries } = await issueContents(source, {
        browser,
        logger,
        timeoutMs: options.renderTimeoutMs,
        encoding: options.encoding,
      });
      const { number, date } = issue.config;
      issues.push({ issue, index: { number, date, entries: entries.map((entry) => ({ ...entry, issue: number })) } });
    }
    const latest = (issues.at(-1) as (typeof issues)[number]).issue;

    logger.progress(`index ${year}: layout`);
    const laidOut = composeAnnualIndex({ config: latest.config, year, issues: issues.map(({ index }) => index) });
    if (laidOut.fallbackCharacters.length > 0) {
      logger.warn(`index ${year}: characters printed in a fallback face: ${laidOut.fallbackCharacters.join(' ')}`);
    }
    const htmlPath = path.join(scratch, `index-${year}.html`);
    await writeFileAtomic(htmlPath, laidOut.html);
    logger.progress(`index ${year}: paged.js layout`);
    const rendered = await renderPdf(browser, htmlPath, {
      scripts: pageScripts,
      allowedFiles: laidOut.assets,
      timeoutMs: options.renderTimeoutMs,
      onPageMessage: (text) => logger.warn(`index ${year}: page: ${text}`),
    });
    const pageOf = (anchor: string) => {
      const page = rendered.pages.documentPages[anchor];
      if (!page) throw new Error(`index ${year}: paged.js did not place the heading ${anchor} on any page`);
      return page;
    };
    const outline: OutlineItem[] = [
      ...issues.map(({ index }) => ({
        title: `${year}年第${index.number}期`,
        page: pageOf(issueGroupAnchor(index.number)),
      })),
      {
        title: '分类目录',
        page: pageOf(kindGroupAnchor(laidOut.kinds[0] ?? 'other')),
        children: laidOut.kinds.map((kind) => ({ title: kindLabels[kind], page: pageOf(kindGroupAnchor(kind)) })),
      },
    ];

    logger.progress(`index ${year}: finishing PDF (${rendered.pages.pageCount} pages)`);
    const publication = latest.config.publication;
    const finished = await finishPdf(
      rendered.pdf,
      {
        ...pdfMetadataOf(latest, options.env ?? process.env),
        title: `${publication} ${annualIndexName(year)}`,
        subject: `${year}年${issues.map(({ index }) => `第${index.number}期`).join('、')}`,
        keywords: ['公报', publication, annualIndexName(year)],
      },
      outline,
    );
    const rejected = finished.fonts.filter((font) => font.subtype === 'Type3' || !font.embedded);
    if (rejected.length > 0) {
      throw new Error(
        `index ${year}: fonts a print shop rejects (Type 3 or not embedded): ${rejected.map((font) => font.name).join(', ')}`,
      );
    }

    const rows = issues.flatMap(({ issue, index }) => index.entries.map((entry) => rowOf(year, issue, entry, cwd)));
    const name = options.name ?? `index-${year}`;
    const pdfPath = path.join(options.outDir, `${name}.pdf`);
    const csvPath = path.join(options.outDir, `${name}.csv`);
    await writeFileAtomic(pdfPath, finished.bytes);
    await writeFileAtomic(
      csvPath,
      csvText([
        ['year', 'issue', 'kind', 'title', 'speaker', 'page', 'file'],
        ...rows.map((row) => [row.year, row.issue, row.kind, row.title, row.speaker, row.page, row.file]),
      ]),
    );
    return {
      year,
      publication,
      issues: issues.map(({ issue }) => ({ id: issue.id, number: issue.config.number, source: issue.source })),
      rows,
      pdfPath,
      csvPath,
      pageCount: finished.pageCount,
    };
  } finally {
    await removeScratchDir(scratch);
    if (!options.browser) await browser.close();
  }
}

/**
 * `gazette index <year>` over a folder that may hold several publications (the samples share issues/): one
 * index per publication, named `index-<year>.pdf` when there is one and `index-<year>-<stem>.pdf` (the stem
 * its issue ids share: baoshan, hongkou) when there are several. One browser serves them all.
 */
export async function buildAnnualIndexes(year: number, options: AnnualIndexOptions): Promise<AnnualIndexResult[]> {
  const listing = await listIssues(options.issuesDir, { encoding: options.encoding });
  const ofYear = listing.issues.filter((listed) => listed.config.year === year);
  const publications = options.publication
    ? [options.publication]
    : [...new Set(ofYear.map((listed) => listed.config.publication))];
  if (publications.length <= 1) return [await buildAnnualIndex(year, { ...options, publication: publications[0] })];
  const names = publications.map((publication) => {
    const stems = [
      ...new Set(
        ofYear.filter((listed) => listed.config.publication === publication).map((listed) => idStem(listed.id)),
      ),
    ];
    return stems.length === 1 && stems[0] ? stems[0] : undefined;
  });
  const unique = names.every((name, index) => name !== undefined && names.indexOf(name) === index);
  const browser = options.browser ?? (await launchBrowser({ animationFrames: false }));
  try {
    const results: AnnualIndexResult[] = [];
    for (const [index, publication] of publications.entries()) {
      const name = `index-${year}-${unique ? names[index] : index + 1}`;
      results.push(await buildAnnualIndex(year, { ...options, browser, publication, name }));
    }
    return results;
  } finally {
    if (!options.browser) await browser.close();
  }
}

/**
 * The issues of the year in the folder (of one publication, when given), in number order. Refuses when there is none, when they belong to more
 * than one publication, or when two have the same number; an issue whose issue.yml cannot be read stops the
 * index (it might be one of the year's).
 */
async function yearIssues(year: number, issuesDir: string, encoding?: SourceEncoding, publication?: string) {
  const listing = await listIssues(issuesDir, { encoding });
  if (listing.unreadable.length > 0) throw new GazetteInputError(listing.unreadable.flatMap((error) => error.messages));
  const issues = listing.issues
    .filter((listed) => listed.config.year === year)
    .filter((listed) => publication === undefined || listed.config.publication === publication)
    .sort((a, b) => a.config.number - b.config.number);
  if (issues.length === 0) {
    const years = [...new Set(listing.issues.map((listed) => listed.config.year))].sort();
    throw new AnnualIndexRefusedError(
      `No issue of ${year}${publication ? ` of ${publication}` : ''} under ${issuesDir}${years.length > 0 ? ` (its issues are of ${years.join(', ')})` : ''}`,
    );
  }
  const publications = [...new Set(issues.map((listed) => listed.config.publication))];
  if (publications.length > 1) {
    const which = publications.map(
      (publication) =>
        `${publication} (${issues
          .filter((listed) => listed.config.publication === publication)
          .map((listed) => listed.id)
          .join(', ')})`,
    );
    throw new AnnualIndexRefusedError(
      `Unexpected issues of ${publications.length} publications in ${year} under ${issuesDir}: ${which.join('; ')}. An annual index covers one publication: give --issues a folder with only its issues`,
    );
  }
  issues.forEach((listed, index) => {
    const previous = issues[index - 1];
    if (previous?.config.number === listed.config.number) {
      throw new AnnualIndexRefusedError(
        `Unexpected two issues numbered ${listed.config.number} in ${year}: ${previous.id} and ${listed.id}, expected each number once`,
      );
    }
  });
  return issues;
}

function rowOf(year: number, issue: Issue, entry: AnnualIndexEntry, cwd: string): AnnualIndexRow {
  const document = issue.documents.find((candidate) => candidate.id === entry.id);
  return {
    year,
    issue: entry.issue,
    kind: kindLabels[entry.kind],
    title: entry.title,
    speaker: (document ? speakersOf(document.meta) : []).map((speaker) => unpadName(speaker.name)).join('、'),
    page: entry.page,
    file: path.relative(cwd, entry.file),
  };
}
