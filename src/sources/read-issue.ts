import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import {
  addError,
  documentMetaSchema,
  errorsOf,
  type GazetteDocument,
  GazetteInputError,
  type Issue,
  type IssueConfig,
  issueConfigSchema,
  ruleIds,
} from '../model/index.js';
import { decodeSource, type SourceEncoding } from './decode.js';
import { readFrontMatter } from './front-matter.js';
import { configOf, issueConfigName } from './list-issues.js';
import { splitSingleFileIssue } from './single-file.js';

export { issueConfigName } from './list-issues.js';

/**
 * Reads an issue: a folder with `issue.yml` and one Markdown file per document, or one Markdown file holding a
 * whole issue. Throws GazetteInputError with every problem found (file:line:col each); warnings stay on the
 * documents' files.
 */
export interface ReadOptions {
  /** The sources' encoding (default UTF-8; GB18030 reads GBK files from Windows offices). */
  encoding?: SourceEncoding;
}

export async function readIssue(source: string, options: ReadOptions = {}): Promise<Issue> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw inputError(source, 'Unexpected path: no issue folder or Markdown file here');
  const read = (filePath: string) => readSource(filePath, options.encoding);
  const issue = info.isDirectory() ? await readIssueFolder(source, read) : await readSingleFileIssue(source, read);
  checkIssue(issue);
  return issue;
}

async function readIssueFolder(dir: string, readSource: SourceReader): Promise<Issue> {
  const configPath = path.join(dir, issueConfigName);
  const configFile = await readSource(configPath).catch(() => undefined);
  if (!configFile) throw inputError(dir, `Missing ${issueConfigName}, expected an issue folder`);
  const config = configOf(configFile, true);
  if (!config) throw new GazetteInputError(errorsOf([configFile]));

  const names = config.documents ?? (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0) {
    addError(configFile, `Unexpected document listed twice in \`documents\`: ${[...new Set(twice)].join(', ')}`, {
      ruleId: ruleIds.duplicateDocument,
      place: fieldPlace(configFile, 'documents'),
    });
    throw new GazetteInputError(errorsOf([configFile]));
  }
  const documents: GazetteDocument[] = [];
  const failed: VFile[] = [];
  for (const name of names) {
    const file = await readSource(path.join(dir, name)).catch(() => {
      const missing = new VFile({ path: configPath });
      addError(missing, `Missing document \`${name}\` listed in ${issueConfigName}`, {
        ruleId: ruleIds.missingDocument,
      });
      return missing;
    });
    if (file.messages.length > 0) {
      failed.push(file);
      continue;
    }
    const { data } = readFrontMatter(file, documentMetaSchema, ruleIds.schema);
    if (data) documents.push({ id: name.replace(/\.md$/, ''), meta: data, file });
    else failed.push(file);
  }
  const errors = errorsOf(failed);
  if (errors.length > 0) throw new GazetteInputError(errors);
  if (documents.length === 0) {
    throw inputError(configPath, 'Unexpected issue without documents, expected Markdown files (01-agenda.md, …)');
  }
  return { id: path.basename(path.resolve(dir)), source: dir, baseDir: dir, config, documents };
}

async function readSingleFileIssue(filePath: string, readSource: SourceReader): Promise<Issue> {
  const file = await readSource(filePath);
  if (file.messages.length > 0) throw new GazetteInputError(errorsOf([file]));
  const { data: config, bodyOffset } = readFrontMatter(file, issueConfigSchema, ruleIds.issueConfig);
  if (!config) throw new GazetteInputError(errorsOf([file]));
  const documents = splitSingleFileIssue(file, bodyOffset, (config as IssueConfig).meetings);
  const errors = errorsOf([file, ...documents.map((document) => document.file)]);
  if (errors.length > 0) throw new GazetteInputError(errors);
  if (documents.length === 0) {
    throw inputError(filePath, 'Unexpected issue without documents, expected one `#` heading per document');
  }
  return {
    id: path.basename(filePath, path.extname(filePath)),
    source: filePath,
    baseDir: path.dirname(filePath),
    config: config as IssueConfig,
    documents,
  };
}

/** Checks across documents: meetings that exist, no document twice. */
function checkIssue(issue: Issue): void {
  const meetings = new Set(issue.config.meetings.map((meeting) => meeting.number));
  const seen = new Map<string, GazetteDocument>();
  for (const document of issue.documents) {
    if (!meetings.has(document.meta.meeting)) {
      addError(
        document.file,
        `Unexpected meeting ${document.meta.meeting}, expected one of the meetings in the issue (${[...meetings].join(', ')})`,
        { ruleId: ruleIds.unknownMeeting, place: fieldPlace(document.file, 'meeting') },
      );
    }
    const key = `${document.meta.kind}\u0000${JSON.stringify(document.meta.title)}\u0000${String(document.file.value).length}`;
    const twin = seen.get(key);
    if (twin && String(twin.file.value) === String(document.file.value)) {
      addError(document.file, `Unexpected duplicate of ${twin.file.path}, expected each document once`, {
        ruleId: ruleIds.duplicateDocument,
        place: { line: 1, column: 1 },
      });
    }
    seen.set(key, document);
  }
  const errors = errorsOf(issue.documents.map((document) => document.file));
  if (errors.length > 0) throw new GazetteInputError(errors);
}

/** Line and column of a front-matter field's value (`meeting: 21` → the 21), else the file's start. */
function fieldPlace(file: VFile, field: string): { line: number; column: number } {
  const lines = String(file.value).split('\n');
  const index = lines.findIndex((line) => line.startsWith(`${field}:`));
  if (index < 0) return { line: 1, column: 1 };
  const valueAt = (lines[index] as string).slice(field.length + 1).search(/\S/);
  return { line: index + 1, column: field.length + 2 + Math.max(valueAt, 0) };
}

type SourceReader = (filePath: string) => Promise<VFile>;

async function readSource(filePath: string, encoding?: SourceEncoding): Promise<VFile> {
  return decodeSource(filePath, await readFile(filePath), encoding);
}

function inputError(filePath: string, reason: string): GazetteInputError {
  const file = new VFile({ path: filePath });
  return new GazetteInputError([
    addError(file, reason, { ruleId: ruleIds.noDocuments, place: { line: 1, column: 1 } }),
  ]);
}
