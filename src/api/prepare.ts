import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import { issueFindings, unfinishedFindings } from '../check/index.js';
import { composeIssue, type LaidOutIssue } from '../layout/compose.js';
import { bodyToHast } from '../markdown/processor.js';
import { errorsOf, formatMessageIn, GazetteInputError, type Issue, type Locale } from '../model/index.js';
import type { SourceEncoding } from '../sources/decode.js';
import { readIssue } from '../sources/read-issue.js';
import type { DocumentCache } from './document-cache.js';
import { type Logger, silentLogger } from './logger.js';

export interface PrepareOptions {
  /** The sources' encoding (UTF-8 unless told; GB18030 reads GBK files from Windows offices). */
  encoding?: SourceEncoding;
  logger?: Logger;
  /** Called once the sources passed the check, before they are made into HTML (to start a browser then). */
  onChecked?: () => void;
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
  const logger = options.logger ?? silentLogger;
  let issue: Issue;
  if (typeof source === 'string') {
    logger.progress(`${source}: reading sources`);
    issue = await readIssue(source, { encoding: options.encoding });
  } else issue = source;
  if (options.draft !== undefined) issue.draft = options.draft;
  const locale = options.locale ?? 'en';
  const cached = await options.documents?.forIssue(issue);
  const messagesBefore = new Map(issue.documents.map((document) => [document, document.file.messages.length]));
  const findings = await issueFindings(issue, cached?.checks);
  const unfinished = new Set(issue.draft ? unfinishedFindings(findings) : []);
  const checkErrors = findings.filter((message) => message.fatal === true && !unfinished.has(message));
  if (checkErrors.length > 0) throw new GazetteInputError(checkErrors);
  options.onChecked?.();
  for (const message of findings)
    if (message.fatal !== true || unfinished.has(message)) logger.warn(formatMessageIn(message, locale));

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
  const files = issue.documents.map((document) => document.file);
  const errors = errorsOf(files);
  if (errors.length > 0) throw new GazetteInputError(errors);
  for (const message of files.flatMap((file) => file.messages)) logger.warn(formatMessageIn(message, locale));
  return { issue, bodies };
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
