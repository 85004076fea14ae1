import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { addError, errorsOf, GazetteInputError, type IssueConfig, issueConfigSchema, ruleIds } from '../model/index.js';
import { decodeSource, type SourceEncoding } from './decode.js';
import { readFrontMatter } from './front-matter.js';
import { parseYaml } from './yaml.js';

/** The file of an issue folder that holds the issue's own fields. */
export const issueConfigName = 'issue.yml';

/** An issue found in the issues folder, with its own fields (its documents are not read). */
export interface ListedIssue {
  id: string;
  /** The issue folder or single-file issue. */
  source: string;
  config: IssueConfig;
}

export interface IssueListing {
  /** In name order. */
  issues: ListedIssue[];
  /** Issues whose fields could not be read, each with its messages (file:line:col). */
  unreadable: GazetteInputError[];
}

/**
 * The issues in a folder: its sub-folders that hold an `issue.yml`, and its single-file issues (`.md`), each
 * with its fields read and validated. Hidden entries are skipped; a folder that does not exist holds none.
 */
export async function listIssues(
  issuesDir: string,
  options: { encoding?: SourceEncoding } = {},
): Promise<IssueListing> {
  const names = await readdir(issuesDir).catch(() => [] as string[]);
  const listing: IssueListing = { issues: [], unreadable: [] };
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const source = path.join(issuesDir, name);
    const info = await stat(source);
    const isFolder = info.isDirectory();
    if (isFolder ? !(await stat(path.join(source, issueConfigName)).catch(() => undefined)) : !name.endsWith('.md')) {
      continue;
    }
    try {
      listing.issues.push({
        id: isFolder ? name : name.replace(/\.md$/, ''),
        source,
        config: await readIssueConfig(source, options),
      });
    } catch (error) {
      if (!(error instanceof GazetteInputError)) throw error;
      listing.unreadable.push(error);
    }
  }
  return listing;
}

/**
 * An issue's own fields, validated: `issue.yml` of a folder, or the front matter of a single-file issue. Throws
 * GazetteInputError (file:line:col) when they cannot be read.
 */
export async function readIssueConfig(
  source: string,
  options: { encoding?: SourceEncoding } = {},
): Promise<IssueConfig> {
  const isFolder = (await stat(source).catch(() => undefined))?.isDirectory() ?? false;
  const filePath = isFolder ? path.join(source, issueConfigName) : source;
  const file = await readFile(filePath).then(
    (bytes) => decodeSource(filePath, bytes, options.encoding),
    () => {
      const missing = new VFile({ path: filePath });
      addError(
        missing,
        isFolder ? `Missing ${issueConfigName}, expected an issue folder` : 'Unexpected path: no issue folder here',
        { ruleId: ruleIds.noDocuments, place: { line: 1, column: 1 } },
      );
      return missing;
    },
  );
  const config = configOf(file, isFolder);
  if (!config) throw new GazetteInputError(errorsOf([file]));
  return config;
}

/** The fields of an `issue.yml` (whole file) or a single-file issue's front matter; messages on the file. */
export function configOf(file: VFile, wholeFile: boolean): IssueConfig | undefined {
  if (file.messages.length > 0) return undefined;
  return wholeFile
    ? parseYaml(file, String(file.value), { offset: 0, fallbackOffset: 0 }, issueConfigSchema, ruleIds.issueConfig)
    : (readFrontMatter(file, issueConfigSchema, ruleIds.issueConfig).data as IssueConfig | undefined);
}
