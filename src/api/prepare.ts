import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import { issueFindings, unfinishedFindings } from '../check/index.js';
import { composeIssue, type LaidOutIssue } from '../layout/compose.js';
import { bodyToHast } from '../markdown/processor.js';
import {
  errorsOf,
  formatMessageIn,
  type GazetteDocument,
  GazetteInputError,
  type Issue,
  type Locale,
} from '../model/index.js';
import type { SourceEncoding } from '../sources/decode.js';
import { readIssue } from '../sources/read-issue.js';
import type { DocumentCache, IssueDocuments } from './document-cache.js';
import { type Logger, silentLogger } from './logger.js';

export interface PrepareOptions {
  /** The sources' encoding (UTF-8 unless told; GB18030 reads GBK files from Windows offices). */
  encoding?: SourceEncoding;
  logger?: Logger;
  /** Called once the sources are read (to start a browser then). */
  onRead?: () => void;
  /**
   * A draft for proofreading (`build --draft`, the preview): what is unfinished (placeholders, marks to review)
   * does not stop it, and every page is marked 样稿.
   */
  draft?: boolean;
  /** The language of the warnings it logs. */
  locale?: Locale;
  /**
   * Documents checked and made into HTML by earlier builds of this issue (the preview's and the office page's
   * rebuilds): only the documents whose sources or settings changed are processed again.
   */
  documents?: DocumentCache;
}

/** An issue read, checked and made into HTML: what every command that lays out an issue starts from. */
export interface PreparedIssue {
  issue: Issue;
  /** Each document's HTML tree, by document id. */
  bodies: Map<string, HastRoot>;
  /** The whole issue's HTML, its contents entries and what it prints in a fallback face. */
  laidOut: LaidOutIssue;
}

/**
 * The front door of every command that lays out an issue (build, toc, preview, index, archive): reads the
 * sources (a folder or a single-file issue, in `encoding`), shows the warnings `gazette check` finds and stops
 * on every error (what is unfinished too, unless it makes a draft), makes
 * each document's Markdown into HTML (stopping on its errors, warning on the rest) and composes the issue.
 * Throws GazetteInputError with every message (file:line:col each).
 */
export async function prepareIssue(source: string | Issue, options: PrepareOptions = {}): Promise<PreparedIssue> {
  return composePrepared(await convertIssue(source, options), options.logger);
}

/** An issue read, checked and its documents made into HTML, not yet composed. */
export interface ConvertedIssue {
  issue: Issue;
  /** Each document's HTML tree, by document id. */
  bodies: Map<string, HastRoot>;
}

/**
 * prepareIssue without composing the issue (the preview's page composes only its own parts, and the whole
 * issue only once its PDF is asked for): reads, checks and converts, with the same messages and errors.
 */
export async function convertIssue(source: string | Issue, options: PrepareOptions = {}): Promise<ConvertedIssue> {
  const issue = await readSources(source, options);
  const cached = await options.documents?.forIssue(issue);
  const messagesBefore = messageCounts(issue);
  await checkSources(issue, cached, options);
  const bodies = await convertDocuments(issue, cached, messagesBefore, options.logger);
  warnOfDocuments(issue, options);
  return { issue, bodies };
}

/** A prepared issue whose sources are still to be checked. */
export interface UncheckedIssue extends PreparedIssue {
  /**
   * Checks the sources as prepareIssue does, then shows the Markdown's warnings: throws the check's errors.
   * The build calls it while Chromium lays the pages out, when Node has nothing else to do.
   */
  check(): Promise<void>;
}

/**
 * prepareIssue with the check left to the caller (`check()`), for the build. Errors in making the HTML are
 * thrown only after the check found none, so a build reports what prepareIssue would have, in the same order.
 */
export async function prepareUnchecked(source: string | Issue, options: PrepareOptions = {}): Promise<UncheckedIssue> {
  const issue = await readSources(source, options);
  const cached = await options.documents?.forIssue(issue);
  const messagesBefore = messageCounts(issue);
  const check = async () => {
    await checkSources(issue, cached, options);
    warnOfDocuments(issue, options);
  };
  let bodies: Map<string, HastRoot>;
  try {
    bodies = await convertDocuments(issue, cached, messagesBefore, options.logger);
  } catch (error) {
    await checkSources(issue, cached, options);
    throw error;
  }
  return { ...composePrepared({ issue, bodies }, options.logger), check };
}

async function readSources(source: string | Issue, options: PrepareOptions): Promise<Issue> {
  let issue: Issue;
  if (typeof source === 'string') {
    options.logger?.progress(`${source}: reading sources`);
    issue = await readIssue(source, { encoding: options.encoding });
  } else issue = source;
  options.onRead?.();
  if (options.draft !== undefined) issue.draft = options.draft;
  return issue;
}

/** Each document's count of messages before the check and the conversion (what the document cache keeps after). */
function messageCounts(issue: Issue): Map<GazetteDocument, number> {
  return new Map(issue.documents.map((document) => [document, document.file.messages.length]));
}

/** `gazette check`'s rules: throws their errors (not what is unfinished, in a draft) and shows the rest. */
async function checkSources(issue: Issue, cached: IssueDocuments | undefined, options: PrepareOptions) {
  const findings = await issueFindings(issue, cached?.checks);
  const unfinished = new Set(issue.draft ? unfinishedFindings(findings) : []);
  const checkErrors = findings.filter((message) => message.fatal === true && !unfinished.has(message));
  if (checkErrors.length > 0) throw new GazetteInputError(checkErrors);
  const locale = options.locale ?? 'en';
  for (const message of findings)
    if (message.fatal !== true || unfinished.has(message)) options.logger?.warn(formatMessageIn(message, locale));
}

/** Each document's Markdown made into HTML (or taken from the cache), by document id. */
async function convertDocuments(
  issue: Issue,
  cached: IssueDocuments | undefined,
  messagesBefore: ReadonlyMap<GazetteDocument, number>,
  logger: Logger = silentLogger,
): Promise<Map<string, HastRoot>> {
  const bodies = new Map<string, HastRoot>();
  for (const document of issue.documents) {
    let body = cached?.hast(document);
    if (!body) {
      logger.progress(`${issue.id}: markdown ${path.basename(document.file.path)}`);
      body = await bodyToHast(document.file, { baseDir: issue.baseDir });
      cached?.keep(document, body, messagesBefore.get(document) ?? 0);
    }
    bodies.set(document.id, body);
  }
  const errors = errorsOf(issue.documents.map((document) => document.file));
  if (errors.length > 0) throw new GazetteInputError(errors);
  return bodies;
}

/** Shows the warnings the documents' conversion left on their files. */
function warnOfDocuments(issue: Issue, options: PrepareOptions): void {
  const locale = options.locale ?? 'en';
  for (const message of issue.documents.flatMap((document) => document.file.messages))
    options.logger?.warn(formatMessageIn(message, locale));
}

/** Composes a converted issue into its HTML, warning about the characters printed in a fallback face. */
export function composePrepared({ issue, bodies }: ConvertedIssue, logger: Logger = silentLogger): PreparedIssue {
  logger.progress(`${issue.id}: layout`);
  const laidOut = composeIssue(issue, bodies);
  if (laidOut.fallbackCharacters.length > 0) {
    logger.warn(`${issue.id}: characters printed in a fallback face: ${laidOut.fallbackCharacters.join(' ')}`);
  }
  return { issue, bodies, laidOut };
}
