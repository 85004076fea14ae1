import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { buildIssue } from '../api/build.js';
import { type Logger, silentLogger } from '../api/logger.js';
import type { PreparedIssue } from '../api/prepare.js';
import { launchBrowser, stopBrowser } from '../render/browser.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import type { SourceEncoding } from '../sources/decode.js';

/** A PDF built for the preview's download. */
export interface PreviewPdf {
  bytes: Uint8Array;
  name: string;
}

/**
 * The preview's PDF: built once per state of the sources (a new state after every change), in one browser
 * started at the first request, with a layout cache that lives as long as the job, so a PDF after an edit lays
 * out only what changed.
 */
export class PdfJob {
  private changes = 0;
  private job: { changes: number; result: Promise<PreviewPdf> } | undefined;
  private browser: Promise<Browser> | undefined;
  private outDir: Promise<string> | undefined;

  constructor(
    private readonly source: string,
    private readonly options: {
      logger?: Logger;
      encoding?: SourceEncoding;
      /** The sources as they are now, read and made into HTML by the preview's page (undefined: read them). */
      prepared?: () => Promise<PreparedIssue | undefined>;
    } = {},
  ) {}

  /** The sources changed: the next request builds anew. */
  changed(): void {
    this.changes += 1;
  }

  /** The PDF of the sources as they are (the same promise for every request until they change). */
  pdf(): Promise<PreviewPdf> {
    if (!this.job || this.job.changes !== this.changes) this.job = { changes: this.changes, result: this.build() };
    const job = this.job;
    // A failed build is not kept: the next request tries again.
    job.result.catch(() => {
      if (this.job === job) this.job = undefined;
    });
    return job.result;
  }

  /** Stops the browser and removes the scratch folder. */
  async close(): Promise<void> {
    await this.job?.result.catch(() => undefined);
    const started = await this.browser?.catch(() => undefined);
    if (started) await stopBrowser(started);
    const dir = await this.outDir?.catch(() => undefined);
    if (dir) await removeScratchDir(dir);
  }

  private async build(): Promise<PreviewPdf> {
    this.outDir ??= makeScratchDir('preview');
    const dir = await this.outDir;
    const prepared = await this.options.prepared?.();
    const result = await buildIssue(this.source, {
      prepared,
      outDir: dir,
      cacheDir: path.join(dir, '.cache'),
      logger: this.options.logger ?? silentLogger,
      encoding: this.options.encoding,
      browser: await this.pdfBrowser(),
    });
    return { bytes: await readFile(result.pdfPath), name: path.basename(result.pdfPath) };
  }

  /** The one browser, started at the first request (and again should it have died). */
  private async pdfBrowser(): Promise<Browser> {
    this.browser ??= launchBrowser({ keepTabAhead: true, animationFrames: false });
    const launched = this.browser;
    try {
      const current = await launched;
      if (current.connected) return current;
    } catch (error) {
      if (this.browser === launched) this.browser = undefined;
      throw error;
    }
    if (this.browser === launched) this.browser = undefined;
    return this.pdfBrowser();
  }
}
