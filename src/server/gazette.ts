/**
 * The few calls the page makes into gazette's stages and api, in one place: the page composes them and
 * never reaches further in, so the api can change behind these signatures.
 */
import type { VFileMessage } from 'vfile-message';
import { archiveIssue, verifyArchive } from '../api/archive.js';
import { buildIssue } from '../api/build.js';
import type { DocumentCache } from '../api/document-cache.js';
import type { Logger } from '../api/logger.js';
import { type ListedIssue, listIssues, NewIssueRefusedError, newIssue } from '../api/new-issue.js';
import { checkIssue } from '../check/index.js';
import { formatContents } from '../export/contents.js';
import { checkImported, docxHtmlToMarkdown } from '../import/docx-to-markdown.js';
import type { Field } from '../import/guess-front-matter.js';
import { frontMatterYaml } from '../import/guess-front-matter.js';
import { nextDocumentName } from '../import/import-docx.js';
import { docxToHtml } from '../import/read-docx.js';
import { type DocumentMeta, GazetteInputError, type Issue, type IssueConfig, type Meeting } from '../model/index.js';
import type { BrowserPool } from '../render/pool.js';
import { readIssue } from '../sources/read-issue.js';
import { writeFileAtomic } from '../sources/write-atomic.js';

export type { DocumentMeta, Field, Issue, IssueConfig, ListedIssue, Meeting };
export { GazetteInputError, NewIssueRefusedError, nextDocumentName, writeFileAtomic };

/** The issues of the folder, each with its own fields; unreadable ones with their messages. */
export async function issuesIn(issuesDir: string): Promise<{ issues: ListedIssue[]; unreadable: string[] }> {
  const listing = await listIssues(issuesDir);
  return { issues: listing.issues, unreadable: listing.unreadable.map((error) => error.message) };
}

/** What `gazette new` asks. */
export interface NewIssueFields {
  id: string;
  year?: number;
  publication?: string;
  issuer?: string;
  profile?: IssueConfig['profile'];
  pageSize?: IssueConfig['pageSize'];
}

export async function createIssue(issuesDir: string, fields: NewIssueFields, now: Date): Promise<{ dir: string }> {
  const { id, ...rest } = fields;
  return newIssue(id, { issuesDir, now, ...rest });
}

/** An issue read with its documents, or the messages that keep it from being read. */
export async function readIssueOrErrors(folder: string): Promise<{ issue?: Issue; errors: string[] }> {
  try {
    return { issue: await readIssue(folder), errors: [] };
  } catch (error) {
    if (error instanceof GazetteInputError) return { errors: error.messages.map((message) => String(message)) };
    throw error;
  }
}

/** Every `check` finding of the issue (what the build stops on are those with `fatal`). */
export async function findingsOf(folder: string): Promise<VFileMessage[]> {
  return (await checkIssue(folder)).findings;
}

/** A Word file read in memory: the source it would become, with its front matter guessed. */
export async function guessFromWord(
  bytes: Uint8Array,
  options: { sourceName: string; meetings: readonly Meeting[] },
): Promise<{ meta: DocumentMeta; review: Field[]; body: string; warnings: string[] }> {
  const converted = await docxToHtml(bytes);
  const result = docxHtmlToMarkdown(converted.html, { sourceName: options.sourceName, meetings: options.meetings });
  const body = result.markdown.replace(/^---\n[\s\S]*?\n---\n\n?/, '');
  return { meta: result.meta, review: result.review, body, warnings: [...converted.warnings, ...result.warnings] };
}

/** The source file of an imported document: the confirmed fields, the others still marked for review. */
export function importedSource(
  meta: DocumentMeta,
  stillToReview: readonly Field[],
  body: string,
  sourceName: string,
): { text: string; problems: (meetings: readonly Meeting[]) => string[] } {
  const review = new Map(stillToReview.map((field) => [field, ''] as const));
  return {
    text: `${frontMatterYaml(meta, review, sourceName)}\n${body}`,
    problems: (meetings) => checkImported(meta, meetings),
  };
}

export interface BuiltIssue {
  pdfPath: string;
  pageCount: number;
  reusedPages: number;
  contents: Awaited<ReturnType<typeof buildIssue>>['contents'];
  title: string;
  publication: string;
}

/** Builds the issue into `outDir` on the page's warm browser, with the layout cache in `cacheDir`. */
export async function buildInto(
  folder: string,
  options: { outDir: string; cacheDir: string; browser: BrowserPool; logger: Logger; documents?: DocumentCache },
): Promise<BuiltIssue> {
  const result = await buildIssue(folder, options);
  const { config } = result.issue;
  return {
    pdfPath: result.pdfPath,
    pageCount: result.pageCount,
    reusedPages: result.reusedPages,
    contents: result.contents,
    title: `${config.publication} ${config.year}年第${config.number}期`,
    publication: config.publication,
  };
}

/** The contents of a build as a Word file or CSV, as `gazette toc` writes them. */
export async function contentsFile(
  built: BuiltIssue,
  format: 'docx' | 'csv',
  cwd: string,
): Promise<string | Uint8Array> {
  return formatContents(built.contents, format, { publication: built.publication, title: built.title, cwd });
}

/** Archives the issue (print and PDF/A editions); a new revision when an earlier edition differs. */
export async function archive(
  folder: string,
  options: { archiveRoot: string; browser: BrowserPool; logger: Logger },
): Promise<{ status: string; dir: string; revision: number }> {
  const outcome = await archiveIssue(folder, { ...options, revision: true });
  return { status: outcome.status, dir: outcome.dir, revision: outcome.revision.revision };
}

/** Re-hashes an archived issue's files against its manifest (no rebuild: the list shows it at once). */
export async function verifyHashes(dir: string): Promise<{ ok: boolean; problems: string[] }> {
  const report = await verifyArchive(dir, { rebuild: false });
  const problems = [
    ...report.changed.map((file) => `已改动 ${file}`),
    ...report.missing.map((file) => `缺失 ${file}`),
    ...report.extra.map((file) => `多出 ${file}`),
  ];
  return { ok: report.ok, problems };
}
