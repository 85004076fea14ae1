import { access, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { finding } from '../check/finding.js';
import {
  type Bilingual,
  type DocumentKind,
  GazetteInputError,
  meetingFileName,
  type RuleId,
  ruleIds,
} from '../model/index.js';
import { decodeSource } from '../sources/decode.js';
import { documentBody } from '../sources/front-matter.js';
import { readIssueConfig } from '../sources/list-issues.js';
import { writeFileAtomic } from '../sources/write-atomic.js';
import { checkImported, docxHtmlToMarkdown, type ImportResult } from './docx-to-markdown.js';
import { docxToHtml } from './read-docx.js';
import type { ChangeChoice, Revision } from './word-revisions.js';

export interface ImportDocxOptions {
  /** An issue folder (`issues/<id>`) to write the document into, as its next file. */
  into?: string | null;
  /** The file name to write there, instead of `NN-<kind>.md`. */
  name?: string | null;
  kind?: DocumentKind | null;
  meeting?: number | null;
  /**
   * Take the tracked changes (`accept`) or keep the text as it was before them (`reject`). Without a choice a
   * document with tracked changes or comments (批注) is not imported: each is listed.
   */
  changes?: ChangeChoice | null;
}

export interface ImportDocxResult extends Omit<ImportResult, 'warnings'> {
  /** What keeps the document from being read (nothing was written when there is any): errors on the .docx. */
  problems: VFileMessage[];
  /** What the conversion left out or could not decide, and the changes and comments taken: warnings. */
  warnings: VFileMessage[];
  /** The file written into the issue folder. */
  written?: string;
  /** The images written into the issue folder. */
  images: string[];
}

/**
 * Imports a Word document: converts it, checks its front matter (against the issue's meetings with `into`),
 * and with `into` writes it as the issue's next document, atomically and never over an existing file.
 * Mammoth's warnings come first among the warnings.
 */
export async function importDocx(docxPath: string, options: ImportDocxOptions = {}): Promise<ImportDocxResult> {
  const stop = (text: string | Bilingual, ruleId: RuleId = ruleIds.importContent): never => {
    throw new GazetteInputError([finding(docxPath, text, { place: { line: 1, column: 1 }, ruleId, fatal: true })]);
  };
  if (/\.doc$/i.test(docxPath)) {
    stop('Unexpected Word 97-2003 .doc file, expected .docx (save it as .docx in Word)');
  }
  const bytes = await readFile(docxPath).catch((error: NodeJS.ErrnoException) =>
    stop(`Unexpected path: ${error.code === 'ENOENT' ? 'no file here' : error.message}`),
  );
  const issue = options.into ? await readIssueConfig(options.into) : undefined;
  const stem = path.basename(docxPath).replace(/\.docx$/i, '');
  const converted = await docxToHtml(bytes, {
    changes: options.changes ?? undefined,
    imageStem: options.into ? stem : undefined,
  }).catch((error: Error) => stop(`Unexpected file: not a Word .docx document (${error.message})`));
  const result = docxHtmlToMarkdown(converted.html, {
    sourceName: path.basename(docxPath),
    kind: options.kind,
    meeting: options.meeting,
    meetings: issue?.meetings,
  });
  const at1 = { line: 1, column: 1 };
  const warnings = [...converted.warnings, ...result.warnings].map((text) =>
    finding(docxPath, text, { place: at1, ruleId: ruleIds.importContent, fatal: false }),
  );
  const problems = checkImported(result.meta, issue?.meetings).map((text) =>
    finding(docxPath, text, { place: at1, ruleId: ruleIds.importContent, fatal: true }),
  );
  for (const revision of converted.revisions) {
    const message = revisionFinding(docxPath, revision, options.changes ?? undefined);
    (message.fatal ? problems : warnings).push(message);
  }
  const done = { ...result, warnings, problems, images: [] as string[] };
  if (!options.into || !issue || problems.length > 0) return done;

  const names = await readdir(options.into);
  const twin = await sameDocument(options.into, names, result.markdown);
  if (twin)
    stop(`Unexpected duplicate: ${path.join(options.into, twin)} holds this document already (nothing written)`);
  const name =
    options.name ?? nextDocumentName([...names, ...(issue.documents ?? [])], result.meta.kind, result.meta.meeting);
  const target = path.join(options.into, name);
  if (await exists(target)) stop(`Unexpected existing file ${target}: not overwritten, expected a new file name`);
  // The images first, each under a name of its own: the document refers to them.
  for (const image of converted.images) {
    const imagePath = await freeName(path.join(options.into, image.path));
    await mkdir(path.dirname(imagePath), { recursive: true });
    await writeFileAtomic(imagePath, image.bytes);
    const relative = path.relative(options.into, imagePath).split(path.sep).join('/');
    if (relative !== image.path) done.markdown = done.markdown.replaceAll(`](${image.path})`, `](${relative})`);
    done.images.push(imagePath);
  }
  await writeFileAtomic(target, done.markdown);
  if (issue.documents) {
    warnings.push(
      finding(docxPath, `issue.yml lists its documents: add ${name} to \`documents\` to include it`, {
        place: at1,
        ruleId: ruleIds.importContent,
        fatal: false,
      }),
    );
  }
  return { ...done, written: target };
}

/**
 * A tracked change or comment as a message at its paragraph and character (`报告.docx:12:5`): an error while
 * no choice was made, saying which flag takes it; a warning naming what was taken once one was.
 */
function revisionFinding(file: string, revision: Revision, choice: ChangeChoice | undefined): VFileMessage {
  const who = revision.author ? `${revision.author}: ` : '';
  const whoZh = revision.author ? `（${revision.author}）` : '';
  const place = { line: revision.paragraph, column: revision.column };
  const text =
    revision.kind === 'comment'
      ? {
          en: `Unexpected comment (批注) ${who}“${revision.comment}” on “${revision.text}”${choice ? ', left out' : ', expected it dealt with in Word, or --accept-changes / --reject-changes to leave the comments out'}`,
          zh: `批注${whoZh}“${revision.comment}”（位于“${revision.text}”）${choice ? '未导入' : '：请先在 Word 中处理批注，或加 --accept-changes / --reject-changes 导入时略去批注'}`,
        }
      : {
          en: `Unexpected tracked ${revision.kind} ${who}“${revision.text}”${choice === 'accept' ? ', accepted' : choice === 'reject' ? ', rejected' : ', expected a choice: --accept-changes takes the changes, --reject-changes keeps the text as before them'}`,
          zh: `修订${whoZh}：${revision.kind === 'insertion' ? '插入' : '删除'}“${revision.text}”${choice === 'accept' ? '，已接受' : choice === 'reject' ? '，已拒绝' : '：请选择 --accept-changes（接受修订）或 --reject-changes（拒绝修订，保留修订前的文字），或先在 Word 中处理修订'}`,
        };
  return finding(file, text, {
    place,
    ruleId: revision.kind === 'comment' ? ruleIds.importComment : ruleIds.importChange,
    fatal: choice === undefined,
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** `file`, or `file` with -2, -3 … before its extension: the first name not taken. */
async function freeName(file: string): Promise<string> {
  const extension = path.extname(file);
  const base = file.slice(0, file.length - extension.length);
  let candidate = file;
  for (let n = 2; await exists(candidate); n++) candidate = `${base}-${n}${extension}`;
  return candidate;
}

/**
 * The next file name: `MM-NN-<kind>.md` in an issue that names its files by meeting (as `gazette new` does), NN
 * one past the meeting's highest below 90 (its attendance list); else `NN-<kind>.md`, NN one past the highest
 * number the issue's files start with (01, 02, …).
 */
export function nextDocumentName(existing: readonly string[], kind: DocumentKind, meeting?: number): string {
  const byMeeting = existing.flatMap((name) => {
    const match = /^(\d+)-(\d+)[-_.]/.exec(name);
    return match ? [{ meeting: Number(match[1]), position: Number(match[2]) }] : [];
  });
  if (meeting !== undefined && byMeeting.length > 0) {
    const positions = byMeeting.filter((file) => file.meeting === meeting && file.position < 90);
    return meetingFileName(meeting, Math.max(0, ...positions.map((file) => file.position)) + 1, kind);
  }
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
