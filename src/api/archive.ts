import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { convertToPdfA, inspectPdfA } from '../pdf/pdfa.js';
import type { BrowserPool } from '../render/pool.js';
import type { SourceEncoding } from '../sources/decode.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { buildIssue, pdfMetadataOf } from './build.js';
import { type Logger, silentLogger } from './logger.js';
import { pressEditionOf } from './press.js';
import { tool } from './version.js';

export const manifestName = 'manifest.json';

/** One archived edition: the print PDF, its PDF/A-2b twin and the sources both were built from. */
export interface ArchivedRevision {
  revision: number;
  /** The date the PDFs carry (SOURCE_DATE_EPOCH or the date of issue): part of what makes them reproducible. */
  buildDate: string;
  /** SOURCE_DATE_EPOCH at build time, if it was set: a rebuild needs it again. */
  sourceDateEpoch?: string;
  /** The sources' encoding when not UTF-8: a rebuild reads them so again. */
  encoding?: SourceEncoding;
  /** When the archive command ran (the clock; not part of any PDF). */
  archivedAt: string;
  print: string;
  pdfa: string;
  /** The print shop's edition (PDF/X); absent in revisions archived before it existed. */
  press?: string;
  sources: string;
  pages: number;
  tool: { name: string; version: string };
}

/** manifest.json: every file's sha256 and the editions, oldest first. */
export interface ArchiveManifest {
  issue: string;
  title: string;
  revisions: ArchivedRevision[];
  files: Record<string, string>;
}

export interface ArchiveOptions {
  /** The folder that holds one folder per archived issue (output/archive). */
  archiveRoot: string;
  /** Archive a PDF that differs from the archived one as a new revision, keeping the earlier. */
  revision?: boolean;
  browser?: Browser | BrowserPool;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** The sources' encoding (UTF-8 unless told). */
  encoding?: SourceEncoding;
}

export type ArchiveOutcome =
  | { status: 'archived' | 'revised'; dir: string; revision: ArchivedRevision }
  | { status: 'unchanged'; dir: string; revision: ArchivedRevision };

/** The archive refuses to replace an edition silently. */
export class ArchiveRefusedError extends Error {
  override name = 'ArchiveRefusedError';
}

/**
 * Archives the print-ready edition of an issue, write-once: `<root>/<id>/r1/` with the print PDF, the PDF/A-2b
 * edition, the press edition (PDF/X) and a copy of the sources, and `manifest.json` with every file's sha256.
 * Archiving again gives "unchanged" when the PDF is the same, refuses when it differs, and with `revision` adds
 * `r2/` beside `r1/`.
 */
export async function archiveIssue(source: string, options: ArchiveOptions): Promise<ArchiveOutcome> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gazette-archive-'));
  try {
    // No layout cache: the archived edition is laid out from its sources alone.
    const built = await buildIssue(source, {
      outDir: scratch,
      browser: options.browser,
      logger,
      env,
      encoding: options.encoding,
    });
    const id = built.issue.id;
    const dir = path.join(options.archiveRoot, id);
    const manifest = await readManifest(dir);
    const print = new Uint8Array(await readFile(built.pdfPath));
    const printHash = sha256(print);
    const latest = manifest?.revisions.at(-1);
    if (manifest && latest) {
      if (manifest.files[latest.print] === printHash) {
        logger.info(`${id}: the archived edition r${latest.revision} is the same PDF; nothing changed`);
        return { status: 'unchanged', dir, revision: latest };
      }
      if (!options.revision) {
        throw new ArchiveRefusedError(
          `${id}: the PDF differs from the archived edition r${latest.revision} (${path.join(dir, latest.print)}); ` +
            'the archive is write-once: give --revision to add a new revision and keep the earlier one',
        );
      }
    }

    const number = (latest?.revision ?? 0) + 1;
    const revisionDir = `r${number}`;
    logger.progress(`${id}: PDF/A-2b edition`);
    const metadata = pdfMetadataOf(built.issue, env);
    const pdfa = await convertToPdfA(print, metadata);
    const problems = await inspectPdfA(pdfa);
    if (problems.length > 0) throw new Error(`${id}: the PDF/A edition would not validate: ${problems.join('; ')}`);
    const { edition: press } = await pressEditionOf(built.issue, print, { env, logger });

    // Everything of the revision is written into a temporary folder first and renamed into place at the end.
    await mkdir(options.archiveRoot, { recursive: true });
    const staging = await mkdtemp(path.join(options.archiveRoot, `.${id}-${revisionDir}-`));
    try {
      const folder = path.join(staging, revisionDir);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${id}.pdf`), print);
      await writeFile(path.join(folder, `${id}.pdfa.pdf`), pdfa);
      await writeFile(path.join(folder, `${id}.press.pdf`), press.bytes);
      await copySources(built.issue.source, path.join(folder, 'sources', path.basename(built.issue.source)));
      const revision: ArchivedRevision = {
        revision: number,
        buildDate: metadata.date.toISOString(),
        ...(env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: env.SOURCE_DATE_EPOCH } : {}),
        ...(options.encoding && options.encoding !== 'utf-8' ? { encoding: options.encoding } : {}),
        archivedAt: now().toISOString(),
        print: `${revisionDir}/${id}.pdf`,
        pdfa: `${revisionDir}/${id}.pdfa.pdf`,
        press: `${revisionDir}/${id}.press.pdf`,
        sources: `${revisionDir}/sources/${path.basename(built.issue.source)}`,
        pages: built.pageCount,
        tool,
      };
      const files = { ...(manifest?.files ?? {}) };
      for (const file of await listFiles(staging)) {
        files[file] = sha256(await readFile(path.join(staging, file)));
      }
      const next: ArchiveManifest = {
        issue: id,
        title: metadata.title,
        revisions: [...(manifest?.revisions ?? []), revision],
        files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
      };
      if (manifest) {
        await rename(folder, path.join(dir, revisionDir));
        await writeFileAtomic(path.join(dir, manifestName), `${JSON.stringify(next, null, 2)}\n`);
      } else {
        await writeFile(path.join(staging, manifestName), `${JSON.stringify(next, null, 2)}\n`);
        await rename(staging, dir);
      }
      logger.info(`${id}: archived as ${path.join(dir, revisionDir)}`);
      return { status: manifest ? 'revised' : 'archived', dir, revision };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface VerifyReport {
  dir: string;
  changed: string[];
  missing: string[];
  extra: string[];
  /** Whether a rebuild from the archived sources gave the archived print PDF again (undefined: not tried). */
  reproduced?: boolean;
  ok: boolean;
}

/**
 * Re-hashes every file of an archive against its manifest (changed, missing, extra files), then rebuilds the
 * latest revision from its archived sources and compares the PDF with the archived one.
 */
export async function verifyArchive(
  dir: string,
  options: { rebuild?: boolean; browser?: Browser | BrowserPool; logger?: Logger; env?: NodeJS.ProcessEnv } = {},
): Promise<VerifyReport> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new Error(`${dir}: no ${manifestName}: not an archive folder`);
  const present = new Set((await listFiles(dir)).filter((file) => file !== manifestName));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (!present.has(file)) missing.push(file);
    else if (sha256(await readFile(path.join(dir, file))) !== hash) changed.push(file);
    present.delete(file);
  }
  const extra = [...present].sort();
  let reproduced: boolean | undefined;
  const latest = manifest.revisions.at(-1);
  if (options.rebuild !== false && latest && missing.length === 0 && changed.length === 0) {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'gazette-verify-'));
    try {
      const env = { ...(options.env ?? process.env), SOURCE_DATE_EPOCH: latest.sourceDateEpoch };
      if (!latest.sourceDateEpoch) delete env.SOURCE_DATE_EPOCH;
      const rebuilt = await buildIssue(path.join(dir, latest.sources), {
        outDir: scratch,
        encoding: latest.encoding,
        browser: options.browser,
        logger: options.logger,
        env,
      });
      reproduced = sha256(await readFile(rebuilt.pdfPath)) === manifest.files[latest.print];
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const ok = changed.length === 0 && missing.length === 0 && extra.length === 0 && reproduced !== false;
  return { dir, changed, missing, extra, reproduced, ok };
}

async function readManifest(dir: string): Promise<ArchiveManifest | undefined> {
  const text = await readFile(path.join(dir, manifestName), 'utf8').catch(() => undefined);
  if (text === undefined) {
    if (await stat(dir).catch(() => undefined)) {
      throw new Error(`${dir} exists but has no ${manifestName}: not an archive folder, refusing to write into it`);
    }
    return undefined;
  }
  return JSON.parse(text) as ArchiveManifest;
}

/** Copies an issue's sources to `target`: its folder, or the one Markdown file of a single-file issue. */
async function copySources(source: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  await cp(source, target, { recursive: true });
}

/** Every file under `dir`, as POSIX paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
