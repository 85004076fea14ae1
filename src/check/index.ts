import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import type { Point } from 'unist';
import { location } from 'vfile-location';
import type { VFileMessage } from 'vfile-message';
import { bodyToHast, createBodyProcessor, parseBody } from '../markdown/processor.js';
import {
  type GazetteDocument,
  GazetteInputError,
  type Issue,
  meetingOf,
  ruleIds,
  unfinishedRules,
} from '../model/index.js';
import { decodeSource, type SourceEncoding } from '../sources/decode.js';
import { documentBody } from '../sources/front-matter.js';
import { issueConfigName, readIssue } from '../sources/read-issue.js';
import { finding, sortFindings } from './finding.js';
import { applyFixes, type FixRecord } from './fix.js';
import {
  checkAcrossDocuments,
  checkFields,
  fieldPoint,
  frontMatterSource,
  type MetaSource,
  type PlacedDocument,
  singleFileMetaSource,
} from './front-matter.js';
import { type ConfigSource, checkDocumentOrder, checkIssueConfig } from './issue-config.js';
import { checkReferences } from './references.js';
import { checkStructure, isEmptyBody } from './structure.js';
import { checkBodyText } from './text.js';
import { checkUnfinished } from './unfinished.js';

export type { FixRecord } from './fix.js';

export interface CheckOptions {
  /** Apply the safe punctuation and space fixes to the source files, then check again. */
  fix?: boolean;
  /** The sources' encoding (UTF-8 unless told); fixes are written back in the file's own encoding. */
  encoding?: SourceEncoding;
}

export interface CheckResult {
  /** Errors and warnings, by file, line and column. */
  findings: VFileMessage[];
  /** What `fix` changed. */
  fixed: FixRecord[];
}

/**
 * `gazette check`: lints an issue's sources (front matter, structure, text, references) without building.
 * Sources that cannot be read (a bad field, an unknown kind) come back as findings, not as an exception. With
 * `fix`, the fixable findings are applied in place first, and the findings are those that remain.
 */
export async function checkIssue(source: string, options: CheckOptions = {}): Promise<CheckResult> {
  const findings = await lint(source, options.encoding);
  if (!options.fix) return { findings, fixed: [] };
  const fixed = await applyFixes(findings, options.encoding);
  return { findings: fixed.length > 0 ? await lint(source, options.encoding) : findings, fixed };
}

/**
 * The errors among the check's findings on an issue already read: what `build` stops on. A draft (`draft`)
 * lets what is unfinished (placeholders, marks to review) through.
 */
export async function issueErrors(issue: Issue, options: { draft?: boolean } = {}): Promise<VFileMessage[]> {
  const findings = await issueFindings(issue);
  const unfinished = new Set(options.draft ? unfinishedFindings(findings) : []);
  return findings.filter((message) => message.fatal === true && !unfinished.has(message));
}

async function lint(source: string, encoding?: SourceEncoding): Promise<VFileMessage[]> {
  let issue: Issue;
  try {
    issue = await readIssue(source, { encoding });
  } catch (error) {
    if (error instanceof GazetteInputError) return sortFindings(error.messages);
    throw error;
  }
  const findings = await issueFindings(issue);
  // What the Markdown stage itself reports (unknown blocks, block attributes, raw HTML, remote images) lands
  // on the files.
  for (const document of issue.documents) await bodyToHast(document.file, { baseDir: issue.baseDir });
  // A missing image is found by both (the Markdown stage also sees raw <img>): each place and rule once.
  const key = (message: VFileMessage) => `${message.file}:${message.line}:${message.column}:${message.ruleId}`;
  const seen = new Set(findings.map(key));
  const stage = issue.documents
    .flatMap((document) => document.file.messages)
    .filter((message) => !seen.has(key(message)));
  return sortFindings([...findings, ...stage]);
}

/** What the check finds in one document on its own, and what the rules across documents read of it. */
export interface DocumentChecks {
  findings: VFileMessage[];
  placed: Omit<PlacedDocument, 'document'>;
}

/**
 * Where the check may find a document's own findings from an earlier run (the preview's per-document cache):
 * `get` answers only for a document whose source and everything its checks read are unchanged.
 */
export interface DocumentChecksMemo {
  get(document: GazetteDocument): DocumentChecks | undefined;
  set(document: GazetteDocument, checks: DocumentChecks): void;
}

/**
 * Every rule of the check over an issue, sorted. With `memo`, a folder issue's documents are checked on their
 * own only when the memo has no answer; the rules across documents always run.
 */
export async function issueFindings(issue: Issue, memo?: DocumentChecksMemo): Promise<VFileMessage[]> {
  // A single-file issue: the documents' fields are ```yaml blocks of the one file, found in its own tree.
  const whole = (await stat(issue.source)).isDirectory() ? undefined : await wholeFile(issue.source);
  const config = whole ? singleFileConfig(issue.source, whole.text) : await configFile(issue.source);
  const findings: VFileMessage[] = [
    ...checkIssueConfig(issue.config, config),
    ...checkUnfinished(config.text, config.file),
  ];
  const placed: PlacedDocument[] = [];
  for (const [index, document] of issue.documents.entries()) {
    let checks = whole ? undefined : memo?.get(document);
    if (!checks) {
      checks = await documentChecks(issue, document, whole && { ...whole, index });
      if (!whole) memo?.set(document, checks);
    }
    findings.push(...checks.findings);
    placed.push({ document, ...checks.placed });
  }
  findings.push(...checkAcrossDocuments(placed));
  findings.push(
    ...checkDocumentOrder(
      issue.config,
      placed.map(({ document, meta, toPoint }) => ({
        document,
        place: meta ? fieldPoint(meta, 'meeting', toPoint) : undefined,
      })),
    ),
  );
  return sortFindings(findings);
}

/** The rules over one document: its fields (against its meeting), structure, text, images, what is unfinished. */
async function documentChecks(
  issue: Issue,
  document: GazetteDocument,
  whole: { text: string; tree: Root; index: number } | undefined,
): Promise<DocumentChecks> {
  const path = document.file.path;
  const text = String(document.file.value);
  const tree = parseBody(document.file);
  const toPoint = pointer(text);
  const meta: MetaSource | undefined = whole
    ? singleFileMetaSource(whole.tree, whole.text, whole.index)
    : frontMatterSource(tree, text);
  const metaPoint = whole ? pointer(whole.text) : toPoint;
  const findings = [
    ...checkStructure(tree, path),
    ...checkBodyText(tree, text, path, toPoint),
    ...(await checkReferences(tree, issue.baseDir, path)),
    ...(meta ? checkFields(document, meta, metaPoint, meetingOf(issue.config, document)) : []),
    // A single-file issue's text is checked once, with its fields (config.text).
    ...(whole ? [] : checkUnfinished(text, path)),
  ];
  if (isEmptyBody(tree)) {
    findings.push(
      finding(path, 'Unexpected empty document, expected body text or blocks after the fields', {
        place: meta ? metaPoint(meta.end) : { line: 1, column: 1 },
        ruleId: ruleIds.emptyDocument,
        fatal: true,
      }),
    );
  }
  const body = whole ? text.trim() : documentBody(text);
  return { findings, placed: { meta, toPoint: metaPoint, body } };
}

/** The findings `build` refuses to print (placeholders, marks to review) unless it makes a draft. */
export function unfinishedFindings(findings: readonly VFileMessage[]): VFileMessage[] {
  return findings.filter((message) => message.ruleId !== undefined && unfinishedRules.has(message.ruleId as never));
}

/** issue.yml of an issue folder, with its text. */
async function configFile(dir: string): Promise<ConfigSource & { text: string }> {
  const file = path.join(dir, issueConfigName);
  // Read as the issue was (UTF-8 or GB18030: GB18030 tries UTF-8 first).
  const text = String(decodeSource(file, await readFile(file), 'gb18030').value);
  return { file, text, yaml: text, offset: 0, toPoint: pointer(text) };
}

/** The front matter of a single-file issue, with the whole file's text. */
function singleFileConfig(file: string, text: string): ConfigSource & { text: string } {
  const end = /^---[ \t]*$/m.exec(text.slice(3));
  const offset = text.indexOf('\n') + 1;
  const yaml = end ? text.slice(offset, 3 + end.index) : '';
  return { file, text, yaml, offset, toPoint: pointer(text) };
}

async function wholeFile(filePath: string): Promise<{ text: string; tree: Root }> {
  // The issue was read from this file already, in UTF-8 or GB18030: reading it as GB18030 tries UTF-8 first.
  const file = decodeSource(filePath, await readFile(filePath), 'gb18030');
  return { text: String(file.value), tree: createBodyProcessor().parse(file) as Root };
}

/** Offset → line and column in `text`. */
function pointer(text: string): (offset: number) => Point | undefined {
  const place = location(text);
  return (offset) => {
    const point = place.toPoint(offset);
    return point ? { line: point.line, column: point.column } : undefined;
  };
}
