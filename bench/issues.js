// @ts-check
/** The issues the benchmark builds besides the samples: a sample repeated n times, and a copy to edit. */
import { appendFile, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes an issue made of a sample's documents repeated `times` times, each document's copies one after the
 * other (so the documents stay in their meetings' order), as `001-agenda.md`, `002-…`, … into `target` (a folder named like the issue it is to be). The rest of
 * the folder (issue.yml, images) is copied as it is.
 *
 * The reader refuses two files with the same text (a document twice by mistake): the k-th copy of a document
 * ends with k-1 more empty lines, which changes the file and nothing that is laid out.
 *
 * @param {string} source a sample issue folder
 * @param {string} target
 * @param {number} times
 * @returns {Promise<number>} the number of documents written
 */
export async function writeRepeatedIssue(source, target, times) {
  const config = await readFile(path.join(source, 'issue.yml'), 'utf8');
  if (/^documents:/m.test(config)) {
    throw new Error(`${source}: issue.yml lists its documents; the repeated issue needs documents in file-name order`);
  }
  await cp(source, target, { recursive: true });
  const names = (await readdir(source)).filter((name) => name.endsWith('.md')).sort();
  for (const name of names) await rm(path.join(target, name));
  const width = String(names.length * times).length < 2 ? 2 : String(names.length * times).length;
  let index = 0;
  for (const name of names) {
    for (let copy = 0; copy < times; copy++) {
      index++;
      const text = await readFile(path.join(source, name), 'utf8');
      const newName = `${String(index).padStart(width, '0')}-${name.replace(/^\d+-/, '')}`;
      await writeFile(path.join(target, newName), text + '\n'.repeat(copy));
    }
  }
  return index;
}

/**
 * Copies a sample issue folder to `target` (to edit it there).
 *
 * @param {string} source
 * @param {string} target
 */
export async function copyIssue(source, target) {
  await cp(source, target, { recursive: true });
}

/**
 * The edit of the rebuild measure: one paragraph appended to a report in the middle of the issue (a report's
 * body is running text, where a paragraph is at home; a name list's is not).
 *
 * @param {string} issueDir
 * @param {number} count which edit this is (the paragraph says so, so that each edit changes the text)
 * @returns {Promise<string>} the file edited
 */
export async function appendParagraph(issueDir, count) {
  const names = (await readdir(issueDir)).filter((name) => name.endsWith('.md')).sort();
  const reports = [];
  for (const name of names) {
    if (/^kind:\s*report\s*$/m.test(await readFile(path.join(issueDir, name), 'utf8'))) reports.push(name);
  }
  const candidates = reports.length > 0 ? reports : names;
  const name = candidates[Math.floor(candidates.length / 2)];
  if (!name) throw new Error(`${issueDir}: no document to edit`);
  const file = path.join(issueDir, name);
  await appendFile(
    file,
    `\n\n本段是性能基准测试追加的第${count}段文字，用于测量只修改一份文件之后重新生成整期公报所需的时间。\n`,
  );
  return file;
}
