import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { z } from 'zod';
import { convertToPdfA, inspectPdfA } from '../pdf/pdfa.js';
import type { BrowserPool } from '../render/pool.js';
import { makeScratchDir, removeScratchDir } from '../render/scratch.js';
import { isInside } from '../sources/confine.js';
import { type SourceEncoding, sourceEncodings } from '../sources/decode.js';
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
  /** Why this revision replaced the one before (更正说明); none on the first edition. */
  reason?: string;
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
  /** Why the revision is made (更正说明), kept in the manifest: required with `revision`. */
  reason?: string;
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
  const scratch = await makeScratchDir('archive');
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
      if (!options.reason?.trim()) {
        throw new ArchiveRefusedError(
          `${id}: a new revision needs its reason (更正说明) in the manifest: give --reason "…" with --revision`,
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
      await copySources(built.issue.source, path.join(folder, 'sources', path.basename(built.issue.source)), logger);
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
        ...(manifest && options.reason?.trim() ? { reason: options.reason.trim() } : {}),
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
    await removeScratchDir(scratch);
  }
}

export interface VerifyReport {
  dir: string;
  changed: string[];
  missing: string[];
  extra: string[];
  /** Symbolic links in the archive (an archive holds copies, never links). */
  links: string[];
  /** Each revision rebuilt from its archived sources: whether its print PDF and its PDF/A came out the same. */
  revisions: { revision: number; print: boolean; pdfa: boolean }[];
  /** Whether every revision was rebuilt to the same print PDF and PDF/A (undefined: not tried). */
  reproduced?: boolean;
  /** What makes the archive fail besides the lists above (no editions). */
  problems: string[];
  ok: boolean;
}

/**
 * Re-hashes every file of an archive against its manifest (changed, missing, extra files, links), then rebuilds
 * every revision from its archived sources and compares its print PDF and its PDF/A edition with the archived
 * ones: a file replaced together with its hash in the manifest is caught by the rebuild.
 */
export async function verifyArchive(
  dir: string,
  options: { rebuild?: boolean; browser?: Browser | BrowserPool; logger?: Logger; env?: NodeJS.ProcessEnv } = {},
): Promise<VerifyReport> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new Error(`${dir}: no ${manifestName}: not an archive folder`);
  const { files: listed, links } = await listEntries(dir);
  const present = new Set(listed.filter((file) => file !== manifestName));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (!present.has(file)) missing.push(file);
    else if (sha256(await readFile(path.join(dir, file))) !== hash) changed.push(file);
    present.delete(file);
  }
  const extra = [...present].sort();
  const problems: string[] = [];
  if (manifest.revisions.length === 0) problems.push(`${manifestName} lists no editions`);
  for (const revision of manifest.revisions) {
    for (const file of [revision.print, revision.pdfa]) {
      if (!(file in manifest.files)) problems.push(`r${revision.revision}: ${file} is not in the manifest's files`);
    }
  }
  const revisions: VerifyReport['revisions'] = [];
  const intact = missing.length === 0 && changed.length === 0 && links.length === 0 && problems.length === 0;
  if (options.rebuild !== false && intact) {
    for (const revision of manifest.revisions) {
      options.logger?.progress(`${manifest.issue}: rebuilding r${revision.revision} from its archived sources`);
      revisions.push({ revision: revision.revision, ...(await rebuildRevision(dir, manifest, revision, options)) });
    }
  }
  const reproduced = revisions.length > 0 ? revisions.every((r) => r.print && r.pdfa) : undefined;
  const ok = intact && extra.length === 0 && reproduced !== false;
  return { dir, changed, missing, extra, links, revisions, reproduced, problems, ok };
}

/** Builds a revision again from its archived sources (with its date) and compares both editions by hash. */
async function rebuildRevision(
  dir: string,
  manifest: ArchiveManifest,
  revision: ArchivedRevision,
  options: { browser?: Browser | BrowserPool; logger?: Logger; env?: NodeJS.ProcessEnv },
): Promise<{ print: boolean; pdfa: boolean }> {
  const scratch = await makeScratchDir('verify');
  try {
    const env = { ...(options.env ?? process.env), SOURCE_DATE_EPOCH: revision.sourceDateEpoch };
    if (!revision.sourceDateEpoch) delete env.SOURCE_DATE_EPOCH;
    const rebuilt = await buildIssue(path.join(dir, revision.sources), {
      outDir: scratch,
      encoding: revision.encoding,
      browser: options.browser,
      logger: options.logger,
      env,
    });
    const print = new Uint8Array(await readFile(rebuilt.pdfPath));
    const pdfa = await convertToPdfA(print, pdfMetadataOf(rebuilt.issue, env));
    return {
      print: sha256(print) === manifest.files[revision.print],
      pdfa: sha256(pdfa) === manifest.files[revision.pdfa],
    };
  } finally {
    await removeScratchDir(scratch);
  }
}

const revisionSchema = z.object({
  revision: z.number().int().positive(),
  buildDate: z.string(),
  sourceDateEpoch: z.string().optional(),
  archivedAt: z.string(),
  print: z.string(),
  pdfa: z.string(),
  sources: z.string(),
  pages: z.number(),
  tool: z.object({ name: z.string(), version: z.string() }),
  reason: z.string().optional(),
  encoding: z.enum(sourceEncodings).optional(),
});

const manifestSchema = z.object({
  issue: z.string(),
  title: z.string(),
  revisions: z.array(revisionSchema),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

/** The manifest of an archive folder, checked: a damaged one is an error saying so, never a raw exception. */
async function readManifest(dir: string): Promise<ArchiveManifest | undefined> {
  const file = path.join(dir, manifestName);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    if (await stat(dir).catch(() => undefined)) {
      throw new Error(`${dir} exists but has no ${manifestName}: not an archive folder, refusing to write into it`);
    }
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: damaged manifest (not valid JSON: ${(error as Error).message}); restore it from a copy`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: damaged manifest (${issue?.path.join('.') || 'top level'}: ${issue?.message}); restore it from a copy`,
    );
  }
  return parsed.data;
}

/**
 * Copies an issue's sources to `target` (its folder, or the one Markdown file of a single-file issue) as files,
 * never links: a link inside the issue is copied as the file it leads to; a link out of the issue folder, a
 * FIFO or a device is left out and said.
 */
async function copySources(source: string, target: string, logger: Logger): Promise<void> {
  const info = await stat(source);
  if (!info.isDirectory()) {
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(await realpath(source), target);
    return;
  }
  const root = await realpath(source);
  for (const entry of await readdir(source, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(source, path.join(entry.parentPath, entry.name));
    const real = await realpath(path.join(source, relative)).catch(() => undefined);
    const kind = real ? await stat(real) : undefined;
    if (!real || !kind || !isInside(root, real) || !(kind.isFile() || kind.isDirectory())) {
      logger.warn(`${path.join(source, relative)}: not archived (a link out of the issue folder, or not a file)`);
      continue;
    }
    if (kind.isDirectory()) continue;
    await mkdir(path.dirname(path.join(target, relative)), { recursive: true });
    await copyFile(real, path.join(target, relative));
  }
}

/** Every file under `dir` and every symbolic link, as POSIX paths relative to it. */
async function listEntries(dir: string): Promise<{ files: string[]; links: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const relative = (entry: (typeof entries)[number]) =>
    path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
  return {
    files: entries
      .filter((entry) => entry.isFile())
      .map(relative)
      .sort(),
    links: entries
      .filter((entry) => entry.isSymbolicLink())
      .map(relative)
      .sort(),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  return (await listEntries(dir)).files;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
