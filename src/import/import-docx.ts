import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentKind } from '../model/index.js';
import { decodeSource } from '../sources/decode.js';
import { documentBody } from '../sources/front-matter.js';
import { readIssueConfig } from '../sources/list-issues.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { checkImported, docxHtmlToMarkdown, type ImportResult } from './docx-to-markdown.js';
import { docxToHtml } from './read-docx.js';

export interface ImportDocxOptions {
  /** An issue folder (`issues/<id>`) to write the document into, as its next file. */
  into?: string | null;
  /** The file name to write there, instead of `NN-<kind>.md`. */
  name?: string | null;
  kind?: DocumentKind | null;
  meeting?: number | null;
}

export interface ImportDocxResult extends ImportResult {
  /** What keeps the document from being read (nothing was written when there is any). */
  problems: string[];
  /** The file written into the issue folder. */
  written?: string;
}

/**
 * Imports a Word document: converts it, checks its front matter (against the issue's meetings with `into`),
 * and with `into` writes it as the issue's next document, atomically and never over an existing file.
 * Mammoth's warnings come first among the warnings.
 */
export async function importDocx(docxPath: string, options: ImportDocxOptions = {}): Promise<ImportDocxResult> {
  if (/\.doc$/i.test(docxPath)) {
    throw new Error(`Unexpected ${docxPath}: a Word 97-2003 .doc file, expected .docx (save it as .docx in Word)`);
  }
  const bytes = await readFile(docxPath).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Unexpected path ${docxPath}: ${error.code === 'ENOENT' ? 'no file here' : error.message}`);
  });
  const issue = options.into ? await readIssueConfig(options.into) : undefined;
  const converted = await docxToHtml(bytes).catch((error: Error) => {
    throw new Error(`Unexpected file ${docxPath}: not a Word .docx document (${error.message})`);
  });
  const result = docxHtmlToMarkdown(converted.html, {
    sourceName: path.basename(docxPath),
    kind: options.kind,
    meeting: options.meeting,
    meetings: issue?.meetings,
  });
  const warnings = [...converted.warnings, ...result.warnings];
  const problems = checkImported(result.meta, issue?.meetings);
  if (!options.into || !issue || problems.length > 0) return { ...result, warnings, problems };

  const names = await readdir(options.into);
  const twin = await sameDocument(options.into, names, result.markdown);
  if (twin) {
    throw new Error(
      `Unexpected duplicate: ${path.join(options.into, twin)} holds this document already (nothing written)`,
    );
  }
  const name = options.name ?? nextDocumentName([...names, ...(issue.documents ?? [])], result.meta.kind);
  const target = path.join(options.into, name);
  const exists = await access(target).then(
    () => true,
    () => false,
  );
  if (exists) throw new Error(`Unexpected existing file ${target}: not overwritten, expected a new file name`);
  await writeFileAtomic(target, result.markdown);
  if (issue.documents) warnings.push(`issue.yml lists its documents: add ${name} to \`documents\` to include it`);
  return { ...result, warnings, problems, written: target };
}

/** `NN-<kind>.md`, NN one past the highest number the issue's files start with (01, 02, …). */
export function nextDocumentName(existing: readonly string[], kind: DocumentKind): string {
  const numbers = existing.flatMap((name) => /^(\d+)[-_.]/.exec(name)?.[1] ?? []);
  const width = Math.max(2, ...numbers.map((number) => number.length));
  const next = Math.max(0, ...numbers.map(Number)) + 1;
  return `${String(next).padStart(width, '0')}-${kind}.md`;
}

/** The document file of the folder with the same body (what readIssue refuses as a duplicate). */
async function sameDocument(folder: string, names: string[], markdown: string): Promise<string | undefined> {
  const body = documentBody(markdown);
  for (const name of names.filter((candidate) => candidate.endsWith('.md'))) {
    const file = decodeSource(name, await readFile(path.join(folder, name)).catch(() => new Uint8Array()));
    if (documentBody(String(file.value)) === body) return name;
  }
  return undefined;
}
