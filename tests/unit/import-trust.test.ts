import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  FootnoteReferenceRun,
  ImageRun,
  InsertedTextRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, test } from 'vitest';
import { importDocx } from '../../src/import/import-docx.js';
import { bodyToHast } from '../../src/markdown/processor.js';
import { formatMessage, GazetteInputError } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('import-trust');

const issueYml = [
  'publication: 上海市示范区人民代表大会常务委员会公报',
  'issuer: 上海市示范区人民代表大会常务委员会',
  'year: 2024',
  'number: 1',
  'date: 2024-06-15',
  'profile: one-column',
  'meetings:',
  '  - number: 20',
  '    name: 示范区第一届人大常委会第二十次会议',
  '    date: 2024-05-29',
  '',
].join('\n');

/** A 2×2 red PNG, written by hand (no image library needed). */
function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const center = { alignment: AlignmentType.CENTER };

/** A report typed the way an office types it: every case of the issue in one document. */
async function officeDocx(): Promise<string> {
  const document = new Document({
    footnotes: { 1: { children: [new Paragraph('滞后项目名单见附表。')] } },
    comments: {
      children: [{ id: 0, author: '李四', date: new Date('2024-05-20'), children: [new Paragraph('请核实数字')] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ ...center, children: [new TextRun({ text: '关于重点项目推进情况的报告', bold: true })] }),
          new Paragraph({
            ...center,
            children: [new TextRun('——2024年5月29日在示范区第一届人大常委会第二十次会议上')],
          }),
          new Paragraph({ ...center, children: [new TextRun('区发展改革委主任　王　平')] }),
          new Paragraph('主任、各位副主任、各位委员：'),
          new Paragraph({
            children: [
              new TextRun('今年共推进重点项目十二个'),
              new FootnoteReferenceRun(1),
              new TextRun('，总体进展顺利。'),
            ],
          }),
          new Paragraph('1. 要加强预算管理，提高资金使用效益，确保项目按期完成。'),
          new Paragraph('2. 要加强绩效评价。'),
          new Paragraph({ children: [new TextRun('第一行文字，'), new TextRun({ text: '换行后的文字。', break: 1 })] }),
          new Paragraph({
            children: [
              new TextRun('牵头单位：'),
              new DeletedTextRun({ text: '张三', id: 1, author: '李四', date: '2024-05-20T00:00:00Z' }),
              new InsertedTextRun({ text: '区建设管理委', id: 2, author: '李四', date: '2024-05-20T00:00:00Z' }),
              new TextRun('。'),
            ],
          }),
          new Paragraph({
            children: [
              new CommentRangeStart(0),
              new TextRun('完成投资八十亿元。'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
            ],
          }),
          new Paragraph({
            children: [new ImageRun({ type: 'png', data: png(), transformation: { width: 40, height: 40 } })],
          }),
          new Paragraph('表一：项目投资情况'),
          new Table({
            rows: [
              new TableRow({
                children: ['项目', '计划', '完成'].map((text) => new TableCell({ children: [new Paragraph(text)] })),
              }),
              new TableRow({
                children: [
                  new TableCell({ columnSpan: 2, children: [new Paragraph('合计')] }),
                  new TableCell({ children: [new Paragraph('80')] }),
                ],
              }),
            ],
          }),
          new Paragraph('以上报告，请予审议。'),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [new TextRun('示范区发展和改革委员会'), new TextRun({ text: '2024年5月29日', break: 1 })],
          }),
        ],
      },
    ],
  });
  const file = path.join(await tempDir(), '重点项目报告.docx');
  await writeFile(file, await Packer.toBuffer(document));
  return file;
}

async function issueFolder(): Promise<string> {
  const dir = path.join(await tempDir(), 'demo-2024-01');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'issue.yml'), issueYml);
  return dir;
}

function bodyOf(markdown: string): string {
  return markdown.slice(markdown.indexOf('\n---\n') + 5).trim();
}

describe('a Word import the office can trust', async () => {
  const docx = await officeDocx();

  test('tracked changes and comments are listed at paragraph:character, and nothing is written without a choice', async () => {
    const into = await issueFolder();
    const result = await importDocx(docx, { into });
    const lines = result.problems.map(formatMessage);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /重点项目报告\.docx:9:6: error tracked-change Unexpected tracked deletion 李四: “张三”.*--accept-changes/,
        ),
        expect.stringMatching(
          /重点项目报告\.docx:9:8: error tracked-change Unexpected tracked insertion 李四: “区建设管理委”/,
        ),
        expect.stringMatching(/重点项目报告\.docx:10:1: error word-comment .*“请核实数字” on “完成投资八十亿元。”/),
      ]),
    );
    expect(result.written).toBeUndefined();
    expect(await readdir(into)).toEqual(['issue.yml']);
    // The command line says the same and exits 1.
    const cli = await runCli(['import', docx, '--into', into]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/error tracked-change/);
  });

  test('--reject-changes keeps the deleted name; --accept-changes takes the new one', async () => {
    const rejected = await importDocx(docx, { changes: 'reject' });
    expect(bodyOf(rejected.markdown)).toContain('牵头单位：张三。');
    const accepted = await importDocx(docx, { changes: 'accept' });
    expect(bodyOf(accepted.markdown)).toContain('牵头单位：区建设管理委。');
    expect(accepted.warnings.map(formatMessage)).toEqual(
      expect.arrayContaining([expect.stringMatching(/warning tracked-change .*“张三”, accepted/)]),
    );
  });

  test('footnotes become notes, numbered items stay items, a manual line break stays in its paragraph', async () => {
    const { markdown } = await importDocx(docx, { changes: 'accept' });
    const body = bodyOf(markdown);
    expect(body).toContain('今年共推进重点项目十二个<sup>1</sup>，总体进展顺利。');
    expect(body).toMatch(/\n\n注1：滞后项目名单见附表。$/);
    expect(body).not.toMatch(/^#/m);
    expect(body).toContain('\n\n1. 要加强预算管理，提高资金使用效益，确保项目按期完成。\n\n2. 要加强绩效评价。\n\n');
    expect(body).toMatch(/第一行文字，\\\n换行后的文字。/);
  });

  test('merged cells survive as `<` cells and print as one cell spanning two columns', async () => {
    const { markdown } = await importDocx(docx, { changes: 'accept' });
    expect(bodyOf(markdown)).toContain('| 合计 | < | 80 |');
    const dir = await issueFolder();
    await writeFile(path.join(dir, '01-report.md'), markdown);
    const issue = await readIssue(dir);
    const document = issue.documents[0];
    if (!document) throw new Error('no document');
    // Cells may wrap their last characters in a no-break span (clreq glue), and a column of numbers is set
    // flush right: the cell structure is what counts.
    const html = toHtml(await bodyToHast(document.file, { baseDir: dir })).replace(/<\/?span[^>]*>/g, '');
    expect(html).toMatch(/<td colspan="2">合计<\/td>\s*<td[^>]*>80<\/td>/);
  });

  test('a closing signature and date typed with a line break become the signature block', async () => {
    const { meta, markdown } = await importDocx(docx, { changes: 'accept' });
    expect(meta.signature).toEqual(['示范区发展和改革委员会', '2024年5月29日']);
    expect(bodyOf(markdown)).not.toContain('2024年5月29日');
  });

  test('images are written into the issue folder and referenced; the document builds from them', async () => {
    const into = await issueFolder();
    const result = await importDocx(docx, { into, changes: 'accept' });
    expect(result.written).toBe(path.join(into, '01-report.md'));
    expect(await readdir(path.join(into, 'images'))).toEqual(['重点项目报告-1.png']);
    expect(new Uint8Array(await readFile(path.join(into, 'images', '重点项目报告-1.png')))).toEqual(png());
    const written = await readFile(path.join(into, '01-report.md'), 'utf8');
    expect(written).toContain('![](images/重点项目报告-1.png)');
    const issue = await readIssue(into);
    const document = issue.documents[0];
    if (!document) throw new Error('no document');
    const html = toHtml(await bodyToHast(document.file, { baseDir: into }));
    expect(decodeURI(html)).toContain(`<img src="file://${path.join(into, 'images', '重点项目报告-1.png')}"`);
    expect(document.file.messages.filter((message) => message.fatal)).toEqual([]);
  });

  test('import problems are file messages, not plain errors', async () => {
    const missing = await importDocx(path.join(await tempDir(), '没有.docx')).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(GazetteInputError);
    expect((missing as GazetteInputError).messages.map(formatMessage)).toEqual([
      expect.stringMatching(/没有\.docx:1:1: error import-content Unexpected path: no file here/),
    ]);
  });
});
