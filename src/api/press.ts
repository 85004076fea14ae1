import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { imageSize } from 'image-size';
import type { Browser } from 'puppeteer-core';
import type { SourceEncoding } from '../model/choices.js';
import type { Issue } from '../model/index.js';
import { printedImages } from '../pdf/images.js';
import { inspectPress, makePressEdition, type PressEdition } from '../pdf/press.js';
import type { BrowserPool } from '../render/pool.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { buildIssue, pdfMetadataOf } from './build.js';
import { type Logger, silentLogger } from './logger.js';

/** Print resolution: an image printed below it looks soft. */
export const printResolution = 300;

export interface PressIssueOptions {
  /** Folder for `<id>.press.pdf`. */
  outDir: string;
  /** Crop marks. */
  marks?: boolean;
  logger?: Logger;
  browser?: Browser | BrowserPool;
  renderTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  encoding?: SourceEncoding;
}

export interface PressResult {
  issue: Issue;
  pressPath: string;
  edition: PressEdition;
  /** One line per image printed under 300 dpi, naming its file. */
  warnings: string[];
}

/** `gazette press`: builds the issue (no layout cache) and writes its press edition, checked, atomically. */
export async function pressIssue(source: string, options: PressIssueOptions): Promise<PressResult> {
  const logger = options.logger ?? silentLogger;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gazette-press-'));
  try {
    const built = await buildIssue(source, {
      outDir: scratch,
      browser: options.browser,
      logger,
      env: options.env,
      renderTimeoutMs: options.renderTimeoutMs,
      encoding: options.encoding,
    });
    const print = new Uint8Array(await readFile(built.pdfPath));
    const { edition, warnings } = await pressEditionOf(built.issue, print, {
      env: options.env ?? process.env,
      marks: options.marks,
      logger,
    });
    const pressPath = path.join(options.outDir, `${built.issue.id}.press.pdf`);
    await writeFileAtomic(pressPath, edition.bytes);
    return { issue: built.issue, pressPath, edition, warnings };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The press edition of an issue's print PDF, read back and refused when the preflight finds a problem; the
 * images printed under 300 dpi are warned about (on the logger too), each by its file.
 */
export async function pressEditionOf(
  issue: Issue,
  print: Uint8Array,
  options: { env: NodeJS.ProcessEnv; marks?: boolean; logger: Logger },
): Promise<{ edition: PressEdition; warnings: string[] }> {
  options.logger.progress(`${issue.id}: press edition (PDF/X, CMYK)`);
  const [edition, warnings] = await Promise.all([
    makePressEdition(print, {
      metadata: pdfMetadataOf(issue, options.env),
      blankPages: issue.config.pressBlankPages ?? 'end',
      marks: options.marks,
    }),
    lowResolutionImages(issue, print),
  ]);
  for (const warning of warnings) options.logger.warn(warning);
  const problems = await inspectPress(edition.bytes);
  if (problems.length > 0) {
    throw new Error(`${issue.id}: the press edition fails its preflight, nothing was written: ${problems.join('; ')}`);
  }
  return { edition, warnings };
}

/**
 * Images printed under 300 dpi, named by their source file: the PDF's images (pdfimages) matched to the
 * issue's image files by their size in pixels (Chromium embeds an image at its own resolution).
 */
async function lowResolutionImages(issue: Issue, print: Uint8Array): Promise<string[]> {
  const low = (await printedImages(print)).filter((image) => image.ppi < printResolution);
  if (low.length === 0) return [];
  const files = [...new Set(issue.documents.flatMap((document) => document.file.data.images ?? []))];
  const sizes = await Promise.all(
    files.map(async (file) => {
      const size = await readFile(file)
        .then((bytes) => imageSize(bytes))
        .catch(() => undefined);
      return { file, width: size?.width, height: size?.height };
    }),
  );
  return low.map((image) => {
    const matches = sizes.filter((size) => size.width === image.width && size.height === image.height);
    const named = matches.length > 0 ? matches.map((size) => path.relative(issue.baseDir, size.file)).join(' / ') : '';
    return `${issue.id}: ${named || `an image of ${image.width}×${image.height} pixels`} is printed at ${Math.round(image.ppi)} dpi on page ${image.page}, under the ${printResolution} dpi print needs: give a larger image`;
  });
}
