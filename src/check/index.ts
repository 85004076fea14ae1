import { readFile, stat } from 'node:fs/promises';
import type { Root } from 'mdast';
import type { Point } from 'unist';
import { location } from 'vfile-location';
import type { VFileMessage } from 'vfile-message';
import { bodyToHast, createBodyProcessor, parseBody } from '../markdown/processor.js';
import { GazetteInputError, type Issue, ruleIds } from '../model/index.js';
import { decodeSource, type SourceEncoding } from '../sources/decode.js';
import { documentBody } from '../sources/front-matter.js';
import { readIssue } from '../sources/read-issue.js';
import { finding, sortFindings } from './finding.js';
import { applyFixes, type FixRecord } from './fix.js';
import {
  checkAcrossDocuments,
  checkFields,
  frontMatterSource,
  type MetaSource,
  type PlacedDocument,
  singleFileMetaSource,
} from './front-matter.js';
import { checkReferences } from './references.js';
import { checkStructure, isEmptyBody } from './structure.js';
import { checkBodyText } from './text.js';

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

/** The errors among the check's findings on an issue already read: `gazette build` stops on them. */
export async function issueErrors(issue: Issue): Promise<VFileMessage[]> {
  return (await issueFindings(issue)).filter((message) => message.fatal === true);
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
  return sortFindings([...findings, ...issue.documents.flatMap((document) => document.file.messages)]);
}

/** Every rule of the check over an issue, sorted. */
export async function issueFindings(issue: Issue): Promise<VFileMessage[]> {
  // A single-file issue: the documents' fields are ```yaml blocks of the one file, found in its own tree.
  const whole = (await stat(issue.source)).isDirectory() ? undefined : await wholeFile(issue.source);
  const findings: VFileMessage[] = [];
  const placed: PlacedDocument[] = [];
  for (const [index, document] of issue.documents.entries()) {
    const path = document.file.path;
    const text = String(document.file.value);
    const tree = parseBody(document.file);
    const toPoint = pointer(text);
    const meta: MetaSource | undefined = whole
      ? singleFileMetaSource(whole.tree, whole.text, index)
      : frontMatterSource(tree, text);
    const metaPoint = whole ? pointer(whole.text) : toPoint;
    findings.push(
      ...checkStructure(tree, path),
      ...checkBodyText(tree, text, path, toPoint),
      ...(await checkReferences(tree, issue.baseDir, path)),
      ...(meta ? checkFields(document, meta, metaPoint) : []),
    );
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
    placed.push({ document, meta, toPoint: metaPoint, body });
  }
  findings.push(...checkAcrossDocuments(placed));
  return sortFindings(findings);
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
