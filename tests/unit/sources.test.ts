import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { location } from 'vfile-location';
import { describe, expect, test } from 'vitest';
import { bodyToHast } from '../../src/markdown/processor.js';
import { documentKinds, GazetteInputError } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { twoMeetingIssueYml, useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('sources');

/** An issue folder holding the files given, in a fresh temp dir. */
async function issueFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** The error readIssue throws, checked to be a GazetteInputError. */
async function readError(source: string): Promise<GazetteInputError> {
  const error = await readIssue(source).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GazetteInputError);
  return error as GazetteInputError;
}

const issueYml = twoMeetingIssueYml;

/** A document: front matter lines (kind on line 2, meeting on 3, title on 4), then a body. */
function documentSource(fields: { kind?: string; meeting?: string; title?: string; extra?: string[] } = {}): string {
  const lines = ['---'];
  if (fields.kind !== '') lines.push(`kind: ${fields.kind ?? 'report'}`);
  if (fields.meeting !== '') lines.push(`meeting: ${fields.meeting ?? '21'}`);
  if (fields.title !== '') lines.push(`title: ${fields.title ?? '关于“三所联动”工作情况的报告'}`);
  lines.push(...(fields.extra ?? []), '---', '', '主任、副主任、各位委员：', '', '现将有关情况报告如下。', '');
  return lines.join('\n');
}

describe('readIssue: an issue folder', () => {
  test('a valid folder reads with ids, meta and file-name order', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '02-report.md': documentSource({ title: '关于工作情况的报告' }),
      '01-agenda.md': documentSource({ kind: 'agenda', title: '会议议程' }),
      'notes.txt': '不是文件',
    });
    const issue = await readIssue(dir);
    expect(issue.id).toBe(path.basename(dir));
    expect(issue.source).toBe(dir);
    expect(issue.baseDir).toBe(dir);
    expect(issue.config).toMatchObject({
      publication: '上海市虹口区人民代表大会常务委员会公报',
      year: 2024,
      number: 3,
      date: '2024-08-30',
      profile: 'two-column',
      pageSize: 'A4',
    });
    expect(issue.config.meetings.map((meeting) => meeting.number)).toEqual([21, 22]);
    expect(issue.documents.map((document) => document.id)).toEqual(['01-agenda', '02-report']);
    expect(issue.documents.map((document) => document.meta)).toEqual([
      { kind: 'agenda', meeting: 21, title: '会议议程' },
      { kind: 'report', meeting: 21, title: '关于工作情况的报告' },
    ]);
    const [first] = issue.documents;
    expect(first?.file.path).toBe(path.join(dir, '01-agenda.md'));
    expect(String(first?.file.value)).toContain('现将有关情况报告如下。');
    expect(first?.file.messages).toEqual([]);
  });

  test('`documents:` in issue.yml sets the order', async () => {
    const dir = await issueFolder({
      'issue.yml': `${issueYml}documents: [02-report.md, 01-agenda.md]\n`,
      '01-agenda.md': documentSource({ kind: 'agenda', title: '会议议程' }),
      '02-report.md': documentSource({ title: '关于工作情况的报告' }),
    });
    const issue = await readIssue(dir);
    expect(issue.documents.map((document) => document.id)).toEqual(['02-report', '01-agenda']);
    expect(issue.documents.map((document) => document.meta.kind)).toEqual(['report', 'agenda']);
  });

  test('`documents:` leaves out files it does not list', async () => {
    const dir = await issueFolder({
      'issue.yml': `${issueYml}documents: [02-report.md]\n`,
      '01-agenda.md': documentSource({ kind: 'agenda' }),
      '02-report.md': documentSource(),
    });
    const issue = await readIssue(dir);
    expect(issue.documents.map((document) => document.id)).toEqual(['02-report']);
  });

  test('a document listed in `documents:` but missing is refused', async () => {
    const dir = await issueFolder({
      'issue.yml': `${issueYml}documents: [01-agenda.md, 02-missing.md]\n`,
      '01-agenda.md': documentSource({ kind: 'agenda' }),
    });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['missing-document']);
    expect(error.message).toContain('02-missing.md');
  });

  test('an unknown kind is reported at the `kind:` line with the allowed kinds', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ kind: 'reprot' }) });
    const error = await readError(dir);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:2:7`);
    expect(error.messages).toHaveLength(1);
    expect(error.messages[0]?.ruleId).toBe('front-matter');
    expect(error.messages[0]?.line).toBe(2);
    expect(error.message).toContain('`kind`');
    for (const kind of documentKinds) expect(error.message).toContain(kind);
  });

  test('an unknown kind is named in the message', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ kind: 'reprot' }) });
    const error = await readError(dir);
    expect(error.message).toContain('"reprot"');
  });

  test('a missing `title` names the field', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ title: '' }) });
    const error = await readError(dir);
    expect(error.messages).toHaveLength(1);
    expect(error.messages[0]?.ruleId).toBe('front-matter');
    expect(error.message).toContain('`title`');
    expect(error.message).toContain(path.join(dir, '01-report.md'));
  });

  test('a missing `title` is reported as missing', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ title: '' }) });
    const error = await readError(dir);
    expect(error.message).toContain('Missing field `title`');
  });

  test('a missing `meeting` is reported as missing', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ meeting: '' }) });
    const error = await readError(dir);
    expect(error.message).toContain('Missing field `meeting`');
  });

  test('a `meeting` of the wrong type is not called missing', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ meeting: 'abc' }) });
    const error = await readError(dir);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:3:`);
    expect(error.message).not.toContain('Missing field');
  });

  test('broken YAML names its line', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-report.md': documentSource({ title: '"关于工作情况的报告' }),
    });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toContain('yaml-syntax');
    expect(error.messages[0]?.line).toBe(4);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:4:`);
  });

  test('an unknown field is reported at its key', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-report.md': documentSource({ extra: ['speaker:', '  post: 副区长', '  name: 黄恩伟', 'colour: red'] }),
    });
    const error = await readError(dir);
    expect(error.messages).toHaveLength(1);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:8:1`);
    expect(error.message).toContain('`colour`');
  });

  test('an unknown field nested in `speaker` is reported inside `speaker`', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-report.md': documentSource({ extra: ['speaker:', '  post: 副区长', '  nmae: 黄恩伟'] }),
    });
    const error = await readError(dir);
    // Two problems, each at its place: the misspelt key, and the name it leaves missing.
    expect(error.messages).toHaveLength(2);
    expect(error.message).toContain('`speaker.name`');
    expect(error.messages.every((message) => [6, 7].includes(message.line ?? 0))).toBe(true);
  });

  test('an unknown field nested in `speaker` is named at its key', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-report.md': documentSource({ extra: ['speaker:', '  post: 副区长', '  nmae: 黄恩伟'] }),
    });
    const error = await readError(dir);
    expect(error.message).toContain('`nmae`');
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:7:3`);
  });

  test('a file without front matter is refused at 1:1', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': '正文，没有字段。\n' });
    const error = await readError(dir);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:1:1`);
    expect(error.message).toContain('front matter');
  });

  test('problems in several documents are all reported', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-a.md': documentSource({ kind: 'reprot' }),
      '02-b.md': documentSource({ title: '' }),
    });
    const error = await readError(dir);
    expect(error.messages.map((message) => path.basename(String(message.file)))).toEqual(['01-a.md', '02-b.md']);
  });

  test('a meeting number not in issue.yml is refused', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': documentSource({ meeting: '23' }) });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['unknown-meeting']);
    expect(error.message).toContain('23');
    expect(error.message).toContain('21, 22');
    expect(error.message).toContain(path.join(dir, '01-report.md'));
  });

  test('a file that is not UTF-8 is refused with its line', async () => {
    const gbk = Buffer.concat([Buffer.from(documentSource(), 'utf8'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3])]);
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': gbk });
    const error = await readError(dir);
    expect(error.messages).toHaveLength(1);
    const [message] = error.messages;
    expect(message?.ruleId).toBe('source-encoding');
    expect(message?.reason).toContain('UTF-8');
    // documentSource() has 9 lines ending in "\n": the GBK bytes start line 10.
    expect(message?.line).toBe(10);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:10:`);
  });

  test('the column of the first non-UTF-8 byte is exact', async () => {
    const gbk = Buffer.concat([Buffer.from(documentSource(), 'utf8'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3])]);
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': gbk });
    const error = await readError(dir);
    expect([error.messages[0]?.line, error.messages[0]?.column]).toEqual([10, 1]);
  });

  test('a NUL byte is refused as binary data', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, '01-report.md': new Uint8Array([0x2d, 0x00, 0x2d]) });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['source-encoding']);
  });

  test('a UTF-8 BOM and CRLF line ends are accepted', async () => {
    const crlf = (text: string) => `\uFEFF${text.replace(/\n/g, '\r\n')}`;
    const dir = await issueFolder({
      'issue.yml': crlf(issueYml),
      '01-report.md': crlf(documentSource({ title: '关于工作情况的报告' })),
    });
    const issue = await readIssue(dir);
    expect(issue.config.publication).toBe('上海市虹口区人民代表大会常务委员会公报');
    expect(issue.documents.map((document) => document.meta)).toEqual([
      { kind: 'report', meeting: 21, title: '关于工作情况的报告' },
    ]);
    const value = String(issue.documents[0]?.file.value);
    expect(value).not.toContain('\r');
    expect(value.startsWith('---\n')).toBe(true);
  });

  test('with CRLF line ends, errors still point at the right line', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml,
      '01-report.md': documentSource({ kind: 'reprot' }).replace(/\n/g, '\r\n'),
    });
    const error = await readError(dir);
    expect(error.message).toContain(`${path.join(dir, '01-report.md')}:2:7`);
  });

  test('an issue folder with no .md files is refused', async () => {
    const dir = await issueFolder({ 'issue.yml': issueYml, 'readme.txt': '说明' });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['no-documents']);
    expect(error.message).toContain(path.join(dir, 'issue.yml'));
  });

  test('a folder without issue.yml is refused', async () => {
    const dir = await issueFolder({ '01-report.md': documentSource() });
    const error = await readError(dir);
    expect(error.message).toContain('issue.yml');
  });

  test('a wrong value in issue.yml is reported at its line', async () => {
    const dir = await issueFolder({
      'issue.yml': issueYml.replace('profile: two-column', 'profile: three-column'),
      '01-report.md': documentSource(),
    });
    const error = await readError(dir);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['issue-config']);
    expect(error.message).toContain(`${path.join(dir, 'issue.yml')}:6:`);
    expect(error.message).toContain('two-column, one-column');
  });

  test('a path that does not exist is refused', async () => {
    const dir = await tempDir();
    const error = await readError(path.join(dir, 'nothing-here'));
    expect(error.message).toContain('nothing-here');
  });
});

describe('readIssue: a whole issue in one file', () => {
  const frontMatter = `---\n${issueYml}---\n`;
  // Lines: 1 "---", 2–14 issue.yml, 15 "---", 16 blank, 17 "# …", 18 blank, 19 "```yaml", 20 kind, 21 meeting,
  // 22 "```", 23 blank, 24 first body line, 25 blank, 26 "# …", 27 blank, 28 "```yaml", 29 kind, 30 meeting,
  // 31 adopted, 32 "```", 33 blank, 34 second body line.
  function singleFile(secondKind = 'report', secondBody = '主任、副主任、各位委员：'): string {
    return [
      frontMatter,
      '# 虹口区第十七届人大常委会第二十一次会议议程',
      '',
      '```yaml',
      'kind: agenda',
      'meeting: 21',
      '```',
      '',
      '一、听取和审议关于“三所联动”工作情况的报告',
      '',
      '# 关于“三所联动”工作情况的报告',
      '',
      '```yaml',
      `kind: ${secondKind}`,
      'meeting: 22',
      'adopted: 2024年7月25日通过',
      '```',
      '',
      secondBody,
      '',
    ].join('\n');
  }

  async function writeSingle(content: string): Promise<string> {
    const file = path.join(await tempDir(), 'hongkou-2024-03.md');
    await writeFile(file, content);
    return file;
  }

  test('splits into documents titled by their headings', async () => {
    const file = await writeSingle(singleFile());
    const issue = await readIssue(file);
    expect(issue.id).toBe('hongkou-2024-03');
    expect(issue.source).toBe(file);
    expect(issue.baseDir).toBe(path.dirname(file));
    expect(issue.config.number).toBe(3);
    expect(issue.documents.map((document) => document.id)).toEqual(['01', '02']);
    expect(issue.documents.map((document) => document.meta)).toEqual([
      { kind: 'agenda', meeting: 21, title: '虹口区第十七届人大常委会第二十一次会议议程' },
      { kind: 'report', meeting: 22, title: '关于“三所联动”工作情况的报告', adopted: '2024年7月25日通过' },
    ]);
    for (const document of issue.documents) expect(document.file.path).toBe(file);
  });

  test("each document's VFile keeps the original file's line numbers", async () => {
    const file = await writeSingle(singleFile());
    const issue = await readIssue(file);
    const [first, second] = issue.documents;
    const lineOf = (value: string, needle: string) => location(value).toPoint(value.indexOf(needle))?.line;
    const firstValue = String(first?.file.value);
    const secondValue = String(second?.file.value);
    expect(lineOf(firstValue, '一、听取')).toBe(24);
    expect(lineOf(secondValue, '主任、副主任')).toBe(34);
    // Each body holds only its own text: no headings, fields or other documents' text.
    expect(firstValue).not.toContain('主任、副主任');
    expect(firstValue).not.toContain('kind:');
    expect(secondValue).not.toContain('一、听取');
    expect(secondValue).not.toContain('# ');
  });

  test('a body message is reported at its line in the one file', async () => {
    const file = await writeSingle(singleFile('report', ':::foo\n内容\n:::'));
    const issue = await readIssue(file);
    const second = issue.documents[1];
    if (!second) throw new Error('expected a second document');
    await bodyToHast(second.file);
    const [message] = second.file.messages;
    expect(message?.ruleId).toBe('unknown-block');
    expect([message?.line, message?.column]).toEqual([34, 1]);
    expect(message?.file).toBe(file);
  });

  test('a bad value in the issue front matter is reported at its line', async () => {
    const file = await writeSingle(singleFile().replace('profile: two-column', 'profile: three-column'));
    const error = await readError(file);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['issue-config']);
    // issue.yml's line 6 is the file's line 7, under the opening `---`.
    expect(error.message).toContain(`${file}:7:`);
  });

  test('a file with no `#` headings is refused', async () => {
    const file = await writeSingle(`${frontMatter}\n正文。\n`);
    const error = await readError(file);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['no-documents']);
  });

  test('a bad `kind` in the second yaml block is reported at its line in the one file', async () => {
    const file = await writeSingle(singleFile('reprot'));
    const error = await readError(file);
    expect(error.messages.map((message) => message.ruleId)).toEqual(['front-matter']);
    expect(error.message).toContain(`${file}:29:7`);
  });

  test('a document heading without a yaml block whose text names no meeting is reported, not a crash', async () => {
    const file = await writeSingle(`${frontMatter}\n# 只有标题\n\n正文。\n`);
    const error = await readError(file);
    expect(error.message).toContain('Missing field `meeting`');
  });
});
