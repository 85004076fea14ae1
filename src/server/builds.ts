import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DocumentCache } from '../api/document-cache.js';
import type { Logger } from '../api/logger.js';
import { BrowserPool } from '../render/pool.js';
import { archive, type BuiltIssue, buildInto, GazetteInputError } from './gazette.js';

const run = promisify(execFile);

/** Pages made into images by one pdftoppm run. */
const imageChunk = 8;

export interface BuildJob {
  issue: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** What the build is doing ("排版", "打印"), in Chinese. */
  stage: string;
  /** Pages laid out so far, and the page count of the last build (the bar's end; 0 when unknown). */
  pages: number;
  expectedPages: number;
  startedAt: number;
  finishedAt?: number;
  errors: string[];
  result?: BuiltIssue;
  /** A number that changes with each finished build (page images are named with it). */
  stamp: string;
}

/**
 * The page's builds: one at a time, on one browser kept warm between them (with its fonts loaded and V8's code
 * compiled), and a layout cache per issue, so a rebuild after an edit lays out only what changed.
 */
export class Builder {
  private readonly pool: BrowserPool;
  private readonly jobs = new Map<string, BuildJob>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly rendering = new Map<string, Promise<string>>();
  /** Per issue: its documents checked and made into HTML, so a rebuild after an edit redoes only the edited one. */
  private readonly documents = new Map<string, DocumentCache>();

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {
    this.pool = new BrowserPool(1, { keepTabAhead: true });
  }

  /** Starts the browser now, so that the first build does not wait for it. */
  warmUp(): void {
    this.pool.warmUp(1);
  }

  outDir(issue: string): string {
    return path.join(this.dataDir, 'builds', issue);
  }

  job(issue: string): BuildJob | undefined {
    return this.jobs.get(issue);
  }

  /** Queues a build of the issue in `folder` (a running or queued one is returned as it is). */
  build(issue: string, folder: string, onDone: (job: BuildJob) => void): BuildJob {
    const current = this.jobs.get(issue);
    if (current && (current.state === 'queued' || current.state === 'running')) return current;
    const job: BuildJob = {
      issue,
      state: 'queued',
      stage: '排队等候',
      pages: 0,
      expectedPages: current?.result?.pageCount ?? 0,
      startedAt: Date.now(),
      errors: [],
      result: current?.result,
      stamp: current?.stamp ?? '0',
    };
    this.jobs.set(issue, job);
    const logger: Logger = {
      progress: (message) => {
        const pages = /(\d+) pages laid out/.exec(message);
        if (pages) job.pages = Number(pages[1]);
        else if (/printing (\d+) pages/.test(message)) {
          job.stage = '生成 PDF';
          job.pages = Number(/printing (\d+) pages/.exec(message)?.[1]);
        } else if (/finishing PDF/.test(message)) job.stage = '完成 PDF';
        else if (/paged\.js layout|layout cache/.test(message)) job.stage = '排版';
        this.logger.progress(message);
      },
      warn: (message) => this.logger.warn(message),
      info: (message) => this.logger.info(message),
    };
    const work = async () => {
      job.state = 'running';
      job.stage = '读取稿件';
      job.startedAt = Date.now();
      try {
        const outDir = this.outDir(issue);
        job.result = await buildInto(folder, {
          outDir,
          cacheDir: path.join(outDir, '.cache'),
          browser: this.pool,
          logger,
          documents: this.documentsOf(issue),
        });
        job.pages = job.result.pageCount;
        job.expectedPages = job.result.pageCount;
        job.stamp = String(Date.now());
        await rm(path.join(outDir, 'pages'), { recursive: true, force: true });
        job.state = 'done';
        job.stage = '完成';
        // The preview's first pages are made while the colleague is still looking at the finished build.
        this.pageImage(issue, 1).catch(() => undefined);
      } catch (error) {
        job.state = 'failed';
        job.stage = '失败';
        job.errors = error instanceof GazetteInputError ? error.messages.map(String) : [(error as Error).message];
      } finally {
        job.finishedAt = Date.now();
      }
      onDone(job);
    };
    this.queue = this.queue.then(work, work);
    return job;
  }

  private documentsOf(issue: string): DocumentCache {
    let cache = this.documents.get(issue);
    if (!cache) {
      cache = new DocumentCache();
      this.documents.set(issue, cache);
    }
    return cache;
  }

  /** Archives the issue on the same warm browser, after any build queued before it. */
  archive(folder: string, archiveRoot: string): Promise<{ status: string; dir: string; revision: number }> {
    const work = () => archive(folder, { archiveRoot, browser: this.pool, logger: this.logger });
    const done = this.queue.then(work, work);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Page `n` of the issue's latest PDF as a PNG, made by poppler's pdftoppm with the pages around it (one run
   * reads the PDF and its fonts once for eight pages).
   */
  async pageImage(issue: string, page: number): Promise<string> {
    const job = this.jobs.get(issue);
    const result = job?.result;
    if (!job || !result || page < 1 || page > result.pageCount) throw new Error('没有这一页');
    const dir = path.join(this.outDir(issue), 'pages');
    const file = (n: number) => path.join(dir, `${job.stamp}-${n}.png`);
    if (await stat(file(page)).catch(() => undefined)) return file(page);
    const first = Math.floor((page - 1) / imageChunk) * imageChunk + 1;
    const key = `${issue}/${job.stamp}/${first}`;
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = (async () => {
        const scratch = path.join(dir, `.${job.stamp}-${first}`);
        await mkdir(scratch, { recursive: true });
        const last = Math.min(first + imageChunk - 1, result.pageCount);
        const args = [
          '-r',
          '60',
          '-png',
          '-f',
          String(first),
          '-l',
          String(last),
          result.pdfPath,
          path.join(scratch, 'p'),
        ];
        await run('pdftoppm', args);
        for (const name of await readdir(scratch)) {
          const number = /-(\d+)\.png$/.exec(name)?.[1];
          if (number) await rename(path.join(scratch, name), file(Number(number)));
        }
        await rm(scratch, { recursive: true, force: true });
        return file(first);
      })().finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    await pending;
    return file(page);
  }

  /** Builds already on disk from an earlier run of the server are not known to this one: it starts clean. */
  async forgetOldBuilds(): Promise<void> {
    const dir = path.join(this.dataDir, 'builds');
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      await rm(path.join(dir, name, 'pages'), { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.pool.close();
  }
}
