import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import type { Element, Root as HastRoot } from 'hast';
import { visit } from 'unist-util-visit';
import { describe, expect, test } from 'vitest';
import type { CliContext, CliError } from '../../src/cli/context.js';
import { registerImport } from '../../src/cli/import.js';
import { checkImported, docxHtmlToMarkdown } from '../../src/import/docx-to-markdown.js';
import { kindOfTitle, parseSpeaker } from '../../src/import/guess-front-matter.js';
import { nextDocumentName } from '../../src/import/import-docx.js';
import { normaliseText } from '../../src/import/normalise-text.js';
import { docxToHtml } from '../../src/import/read-docx.js';
import { formatNumber } from '../../src/import/word-numbering.js';
import { bodyToHast } from '../../src/markdown/processor.js';
import { documentMetaSchema, GazetteInputError, parseChineseNumber } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('import');

/** The shape of tests/fixtures/issues/mini-2024-01/issue.yml, with the meetings given. */
function issueYml(meetings: [number, string, string][]): string {
  return [
    'publication: 上海市示范区人民代表大会常务委员会公报',
    'issuer: 上海市示范区人民代表大会常务委员会',
    'year: 2024',
    'number: 1',
    'date: 2024-06-15',
    'profile: one-column',
    'pageSize: A4',
    'meetings:',
    ...meetings.flatMap(([number, name, date]) => [`  - number: ${number}`, `    name: ${name}`, `    date: ${date}`]),
    '',
  ].join('\n');
}

async function issueFolder(meetings: [number, string, string][], files: Record<string, string> = {}) {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'issue.yml'), issueYml(meetings));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

// --- Word documents built the way offices write them ----------------------------------------------------------

type Run = string | { bold: string };

function para(
  runs: Run | Run[],
  options: { center?: boolean; right?: boolean; heading?: boolean; list?: [string, number]; style?: string } = {},
) {
  const list = Array.isArray(runs) ? runs : [runs];
  return new Paragraph({
    children: list.map((run) =>
      typeof run === 'string' ? new TextRun(run) : new TextRun({ text: run.bold, bold: true }),
    ),
    alignment: options.center ? AlignmentType.CENTER : options.right ? AlignmentType.RIGHT : undefined,
    heading: options.heading ? HeadingLevel.HEADING_1 : undefined,
    numbering: options.list ? { reference: options.list[0], level: options.list[1] } : undefined,
    style: options.style,
  });
}

function cell(...lines: string[]) {
  return new TableCell({ children: lines.map((line) => para(line)) });
}

async function saveDocx(name: string, document: Document): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, await Packer.toBuffer(document));
  return file;
}

const body = '今年以来，区住房保障和房屋管理局按照区委、区政府的部署，持续推进老旧小区综合改造。';

/** A report given at a meeting: title block, headings on four levels, a run-in heading, a bold lead-in. */
function reportDocx(): Promise<string> {
  const document = new Document({
    styles: { paragraphStyles: [{ id: 'BodyText', name: '正文文本', basedOn: 'Normal' }] },
    sections: [
      {
        children: [
          para({ bold: '关于本区老旧小区改造' }, { center: true }),
          para({ bold: '工作情况的报告' }, { center: true }),
          para('——2024年2月28日在示范区第一届人民代表大会常务委员会第五次会议上', { center: true }),
          para('区住房保障和房屋管理局局长  王 甯', { center: true }),
          para('主任、副主任、各位委员：'),
          para('　　现将本区老旧小区改造工作情况报告如下:', { style: 'BodyText' }),
          para('一、基本情况', { heading: true }),
          para('（一）老旧小区改造情况'),
          para('截至 2023 年 11 月 6 日 , 全区已完成改造 30 个小区 , 惠及居民 1,200 户 (约 99.9%)。'),
          para('1.完善机制'),
          para(body),
          para('（1）加装电梯'),
          para(body),
          para([{ bold: '（二）持续提升' }, { bold: '服务质量' }, '。今年以来，群众获得感不断增强。']),
          para([{ bold: '一是' }, '加强统筹。', { bold: '二是' }, '压实责任。——改造进度持续加快。']),
          para('二、存在的问题'),
          para('一些小区改造后管理跟不上，"重建轻管"问题仍然存在。'),
          para('以上报告，请予审议。'),
        ],
      },
    ],
  });
  return saveDocx('老旧小区改造报告.docx', document);
}

/** A research report with a table captioned above and noted below, and a second table Word gave no header. */
function tableDocx(): Promise<string> {
  const header = new TableRow({ tableHeader: true, children: [cell('目标分类'), cell('完成情况')] });
  const document = new Document({
    sections: [
      {
        children: [
          para({ bold: '关于本区养老机构标准化建设情况的调研报告' }, { center: true }),
          para('——2024年5月21日在上海市虹口区第十七届人民代表大会常务委员会第二十一次会议上', { center: true }),
          para('区人大常委会社会建设工委主任  李萍', { center: true }),
          para('主任、副主任、各位委员：'),
          para('根据年度工作安排，常委会组织开展了专题调研。'),
          para('表一：2024年上半年养老机构建设情况'),
          new Table({
            rows: [
              header,
              new TableRow({
                children: [
                  new TableCell({ rowSpan: 2, children: [para('支柱产业')] }),
                  cell('金融方面，新引进重点企业12家。', '航运方面，船舶碳减排管理机构落地。'),
                ],
              }),
              new TableRow({ children: [cell('商贸方面，新增首店30余家。')] }),
            ],
          }),
          para('注：数据截至2024年6月30日。'),
          new Table({
            rows: [
              new TableRow({ children: [cell('指标名称'), cell('单位'), cell('完成数')] }),
              new TableRow({ children: [cell('床位数'), cell('张'), cell('1200')] }),
            ],
          }),
          para('以上报告，请予审议。'),
        ],
      },
    ],
  });
  return saveDocx('养老机构调研报告.docx', document);
}

/** An agenda whose items are a Word numbered list ("一、" numbering), and a report with "1." and bullet lists. */
function listDocx(): Promise<string> {
  const document = new Document({
    numbering: {
      config: [
        { reference: 'items', levels: [{ level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、' }] },
        {
          reference: 'points',
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.' },
            { level: 1, format: LevelFormat.DECIMAL, text: '（%2）' },
          ],
        },
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '\u2022' }] },
      ],
    },
    sections: [
      {
        children: [
          para({ bold: '虹口区第十七届人大常委会第二十一次会议议程' }, { center: true }),
          para('（2024年5月21日上海市虹口区第十七届人民代表大会常务委员会第二十一次会议通过）', { center: true }),
          para('听取和审议关于“三所联动”工作情况的报告', { list: ['items', 0] }),
          para('听取和审议关于养老机构标准化建设情况的报告', { list: ['items', 0] }),
          para('审议关于个别代表的代表资格的报告', { list: ['items', 0] }),
          para('审议有关人事任免事项', { list: ['items', 0] }),
          para('会议的其他事项：'),
          para([{ bold: '实体化运作。' }, '今年以来，调解组织实体化运作。'], { list: ['points', 0] }),
          para('矛盾纠纷分级分类化解。', { list: ['points', 1] }),
          para('矛盾纠纷多元化解。', { list: ['points', 1] }),
          para('信息化支撑。', { list: ['points', 0] }),
          para('街道调解委员会', { list: ['bullets', 0] }),
          para('社区调解工作室', { list: ['bullets', 0] }),
        ],
      },
    ],
  });
  return saveDocx('议程.docx', document);
}

async function convert(file: string) {
  const { html, warnings } = await docxToHtml(await readFile(file));
  const result = docxHtmlToMarkdown(html, { sourceName: path.basename(file) });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** The body of a Markdown document: everything after the front matter. */
function bodyOf(markdown: string): string {
  return markdown.slice(markdown.indexOf('\n---\n') + 5).trim();
}

function frontMatterOf(markdown: string): string[] {
  return markdown.slice(4, markdown.indexOf('\n---\n')).split('\n');
}

const noListSyntax = /^(?:[-*+] |\d+\\?[.)] {2,}|\d+\\\.)/m;

// --- Word files, converted ----------------------------------------------------------------------------------

describe('a report from Word', async () => {
  const file = await reportDocx();
  const result = await convert(file);
  const body = bodyOf(result.markdown);
  const lines = body.split('\n\n');

  test('the title block becomes front matter, guesses marked REVIEW', () => {
    expect(frontMatterOf(result.markdown)).toEqual([
      '# imported from 老旧小区改造报告.docx: review the fields marked REVIEW',
      'kind: report # REVIEW',
      'meeting: 5 # REVIEW',
      'title: # REVIEW',
      '  - 关于本区老旧小区改造',
      '  - 工作情况的报告',
      'occasion: 2024年2月28日在示范区第一届人民代表大会常务委员会第五次会议上',
      'speaker: # REVIEW',
      '  post: 区住房保障和房屋管理局局长',
      '  name: 王甯',
      'salutation: 主任、副主任、各位委员：',
    ]);
    expect(result.meta).toMatchObject({ kind: 'report', meeting: 5, speaker: { name: '王甯' } });
    expect(result.review).toEqual(expect.arrayContaining(['kind', 'meeting', 'title', 'speaker']));
    expect(checkImported(result.meta)).toEqual([]);
  });

  test('headings at the depth of their numbering, Word heading or not', () => {
    expect(body.match(/^#+ .*$/gm)).toEqual([
      '## 一、基本情况',
      '### （一）老旧小区改造情况',
      '#### 1. 完善机制',
      '##### （1）加装电梯',
      '## 二、存在的问题',
    ]);
  });

  test('a run-in heading, a bold lead-in and the closing line as the format writes them', () => {
    expect(lines).toContain('**（二）持续提升服务质量。**今年以来，群众获得感不断增强。');
    expect(lines).toContain('**一是**加强统筹。**二是**压实责任。——改造进度持续加快。');
    expect(lines.at(-1)).toBe('以上报告，请予审议。');
    expect(lines[0]).toBe('现将本区老旧小区改造工作情况报告如下：');
  });

  test('text normalised: full-width punctuation, no spaces next to Chinese, curly quotes', () => {
    expect(lines).toContain('截至2023年11月6日，全区已完成改造30个小区，惠及居民1,200户（约99.9%）。');
    expect(lines).toContain('一些小区改造后管理跟不上，“重建轻管”问题仍然存在。');
    expect(body).not.toMatch(noListSyntax);
  });

  test("mammoth's warnings are passed on", () => {
    expect(result.warnings).toEqual([expect.stringContaining("Unrecognised paragraph style: '正文文本'")]);
  });

  test('the file passes validation in an issue and renders a run-in heading', async () => {
    const dir = await issueFolder([[5, '示范区第一届人大常委会第五次会议', '2024-02-28']]);
    await writeFile(path.join(dir, '01-report.md'), result.markdown);
    const issue = await readIssue(dir);
    const [document] = issue.documents;
    expect(document?.meta).toEqual(documentMetaSchema.parse(result.meta));
    const hast = (await bodyToHast(document?.file as never)) as HastRoot;
    const elements: Element[] = [];
    visit(hast, 'element', (node) => {
      elements.push(node);
    });
    const runIns = elements.filter(
      (node) => node.tagName === 'p' && String(node.properties.className).includes('run-in'),
    );
    expect(runIns).toHaveLength(1);
    expect(elements.filter((node) => /^h[2-5]$/.test(node.tagName))).toHaveLength(5);
  });
});

describe('a research report with tables', async () => {
  const result = await convert(await tableDocx());
  const body = bodyOf(result.markdown);

  test('front matter: kind from the title, meeting from the occasion line', () => {
    expect(result.meta).toMatchObject({
      kind: 'research-report',
      meeting: 21,
      title: '关于本区养老机构标准化建设情况的调研报告',
      speaker: { post: '区人大常委会社会建设工委主任', name: '李萍' },
    });
  });

  test('tables as GFM tables: header row, merged cell continued by an empty one, lines as <br>', () => {
    expect(body).toContain(
      [
        '表一：2024年上半年养老机构建设情况',
        '',
        '| 目标分类 | 完成情况 |',
        '| --- | --- |',
        '| 支柱产业 | 金融方面，新引进重点企业12家。<br>航运方面，船舶碳减排管理机构落地。 |',
        '|  | 商贸方面，新增首店30余家。 |',
        '',
        '注：数据截至2024年6月30日。',
      ].join('\n'),
    );
    // Word marked no header row: the first row is the header all the same.
    expect(body).toContain(
      ['| 指标名称 | 单位 | 完成数 |', '| --- | --- | --- |', '| 床位数 | 张 | 1200 |'].join('\n'),
    );
  });

  test('the file passes validation in an issue', async () => {
    const dir = await issueFolder([[21, '虹口区第十七届人大常委会第二十一次会议', '2024-05-21']]);
    await writeFile(path.join(dir, '01-research-report.md'), result.markdown);
    const issue = await readIssue(dir);
    expect(issue.documents[0]?.meta.kind).toBe('research-report');
  });
});

describe('Word numbered and bulleted lists', async () => {
  const result = await convert(await listDocx());
  const body = bodyOf(result.markdown);

  test('an agenda: adoption note without parentheses, items as paragraphs with their numbers', () => {
    expect(result.meta).toMatchObject({
      kind: 'agenda',
      meeting: 21,
      adopted: '2024年5月21日上海市虹口区第十七届人民代表大会常务委员会第二十一次会议通过',
    });
    expect(body.split('\n\n')).toEqual([
      '一、听取和审议关于“三所联动”工作情况的报告',
      '二、听取和审议关于养老机构标准化建设情况的报告',
      '三、审议关于个别代表的代表资格的报告',
      '四、审议有关人事任免事项',
      '会议的其他事项：',
      '**1. 实体化运作。**今年以来，调解组织实体化运作。',
      '（1）矛盾纠纷分级分类化解。',
      '（2）矛盾纠纷多元化解。',
      '2. 信息化支撑。',
      '街道调解委员会',
      '社区调解工作室',
    ]);
  });

  test('no Markdown list syntax, no escapes, no Word list style warnings', () => {
    expect(body).not.toMatch(noListSyntax);
    expect(body).not.toContain('\\');
    expect(result.warnings).toEqual([]);
  });

  test('the file passes validation in an issue', async () => {
    const dir = await issueFolder([[21, '虹口区第十七届人大常委会第二十一次会议', '2024-05-21']]);
    await writeFile(path.join(dir, '01-agenda.md'), result.markdown);
    const issue = await readIssue(dir);
    expect(issue.documents[0]?.meta.adopted).toMatch(/通过$/);
  });
});

// --- The command ----------------------------------------------------------------------------------------------

/** Runs `gazette import …` on a program with only that command; output captured. */
async function runImport(cwd: string, args: string[]) {
  const out: string[] = [];
  const warnings: string[] = [];
  const context: CliContext = {
    cwd,
    stdout: (line) => out.push(line),
    stderr: () => {},
    logger: { progress() {}, info() {}, warn: (message) => warnings.push(message) },
  };
  const program = new Command('gazette').exitOverride().configureOutput({ writeErr() {}, writeOut() {} });
  registerImport(program, context);
  const error = await program.parseAsync(['import', ...args], { from: 'user' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { out: out.join('\n'), warnings, error: error as CliError | undefined };
}

describe('gazette import', async () => {
  const report = await reportDocx();
  const agenda = await listDocx();
  const research = await tableDocx();

  test('without --into prints the Markdown', async () => {
    const run = await runImport(path.dirname(report), [path.basename(report)]);
    expect(run.error).toBeUndefined();
    expect(run.out).toMatch(/^---\n# imported from 老旧小区改造报告\.docx/);
    expect(run.warnings).toEqual([
      expect.stringMatching(/^老旧小区改造报告\.docx:1:1: warning import-content Unrecognised paragraph style/),
    ]);
  });

  test('--into writes the next number, then refuses to overwrite', async () => {
    const dir = await issueFolder([[21, '虹口区第十七届人大常委会第二十一次会议', '2024-05-21']], {
      '01-agenda.md': '---\nkind: agenda\nmeeting: 21\ntitle: 议程\n---\n\n一、听取报告\n',
      '02-report-housing.md': '---\nkind: report\nmeeting: 21\ntitle: 关于住房的报告\n---\n\n正文。\n',
    });
    const first = await runImport(dir, [agenda, '--into', '.']);
    expect(first.error).toBeUndefined();
    expect(first.out).toBe('03-agenda.md: agenda, review the fields marked REVIEW');
    const written = await readFile(path.join(dir, '03-agenda.md'), 'utf8');

    const second = await runImport(dir, [research, '--into', dir]);
    expect(second.out).toMatch(/^04-research-report\.md/);

    const refused = await runImport(dir, [report, '--into', dir, '--meeting', '21', '--name', '03-agenda.md']);
    expect(refused.error).toBeInstanceOf(Error);
    expect(refused.error?.message).toMatch(/existing file .*03-agenda\.md: not overwritten/);
    expect(await readFile(path.join(dir, '03-agenda.md'), 'utf8')).toBe(written);

    const again = await runImport(dir, [agenda, '--into', dir]);
    expect(again.error?.message).toMatch(/duplicate: .*03-agenda\.md holds this document already/);

    expect((await readdir(dir)).filter((name) => name.endsWith('.md'))).toEqual([
      '01-agenda.md',
      '02-report-housing.md',
      '03-agenda.md',
      '04-research-report.md',
    ]);
    const issue = await readIssue(dir);
    expect(issue.documents.map((document) => document.id)).toEqual([
      '01-agenda',
      '02-report-housing',
      '03-agenda',
      '04-research-report',
    ]);
  });

  test('a meeting the issue does not have: says what to fix and writes nothing', async () => {
    const dir = await issueFolder([[22, '虹口区第十七届人大常委会第二十二次会议', '2024-07-25']]);
    const run = await runImport(dir, [agenda, '--into', dir]);
    expect(run.error).toBeInstanceOf(GazetteInputError);
    expect(run.error?.message).toContain(
      "Unexpected meeting 21, expected one of the issue's meetings (22): pass --meeting",
    );
    expect(await readdir(dir)).toEqual(['issue.yml']);

    const fixed = await runImport(dir, [agenda, '--into', dir, '--meeting', '22']);
    expect(fixed.error).toBeUndefined();
    expect(await readFile(path.join(dir, '01-agenda.md'), 'utf8')).toContain('\nmeeting: 22\n');
  });

  test('a wrong command line exits with code 2', async () => {
    const run = await runImport(os.tmpdir(), [agenda, '--meeting', 'zero']);
    expect(run.error?.exitCode).toBe(2);
  });
});

// --- The pure parts -------------------------------------------------------------------------------------------

describe('docxHtmlToMarkdown', () => {
  test('no meeting in the text: meeting 0 with a note, and checkImported says what to fix', () => {
    const result = docxHtmlToMarkdown('<p>关于某事的决定</p><p>区人大常委会：</p><p>正文。</p>');
    expect(result.meta).toMatchObject({ kind: 'decision', meeting: 0, salutation: '区人大常委会：' });
    expect(result.markdown).toContain('meeting: 0 # REVIEW: no “第…次会议” found');
    expect(checkImported(result.meta)).toEqual([expect.stringMatching(/^Missing meeting: .* --meeting <number>/)]);
  });

  test("a single meeting of the issue, or the meeting on the occasion's date", () => {
    const html = '<p>关于某事的报告</p><p>——2024年7月25日在某会议上</p><p>正文。</p>';
    const meetings = [
      { number: 21, name: '第二十一次会议', date: '2024-05-21' },
      { number: 22, name: '第二十二次会议', date: '2024-07-25' },
    ];
    expect(docxHtmlToMarkdown(html, { meetings }).meta.meeting).toBe(22);
    expect(
      docxHtmlToMarkdown('<p>关于某事的报告</p><p>正文。</p>', { meetings: meetings.slice(0, 1) }).meta.meeting,
    ).toBe(21);
  });

  test('a level above 一、 ("第一方面") takes ## and pushes the others down', () => {
    const result = docxHtmlToMarkdown('<p>关于某事的报告</p><p>第一方面：经济发展</p><p>一、基本情况</p><p>正文。</p>');
    expect(bodyOf(result.markdown)).toBe('## 第一方面：经济发展\n\n### 一、基本情况\n\n正文。');
  });

  test('an issuer line above the title, a signature at the end, images reported', () => {
    const result = docxHtmlToMarkdown(
      [
        '<p class="center">宝山区人民代表大会常务委员会</p>',
        '<p class="center">关于接受孙晋同志辞去区人大代表职务请求的决议</p>',
        '<p>（2024年5月29日上海市宝山区第九届人民代表大会常务委员会第二十次会议通过）</p>',
        '<p>会议决定：接受孙晋同志辞去代表职务的请求。<img src=""></p>',
        '<p class="right">宝山区人民代表大会常务委员会</p>',
        '<p class="right">2024年5月29日</p>',
      ].join(''),
    );
    expect(result.meta).toMatchObject({
      kind: 'resolution',
      meeting: 20,
      issuer: '宝山区人民代表大会常务委员会',
      title: '关于接受孙晋同志辞去区人大代表职务请求的决议',
      signature: ['宝山区人民代表大会常务委员会', '2024年5月29日'],
    });
    expect(bodyOf(result.markdown)).toBe('会议决定：接受孙晋同志辞去代表职务的请求。');
    expect(result.warnings).toEqual([expect.stringMatching(/^Unexpected 1 image left out: import into an issue/)]);
  });

  test('a written report: author line above the addressee, signature after the closing formula', () => {
    const result = docxHtmlToMarkdown(
      [
        '<p class="center"><strong>关于落实审议意见的情况报告</strong></p>',
        '<p>宝山区人民政府</p>',
        '<p>区人大常委会：</p>',
        '<p>现将有关情况报告如下。</p>',
        '<p>特此报告。</p>',
        '<p>宝山区人民政府</p>',
        '<p>2024年5月20日</p>',
      ].join(''),
      { meeting: 20 },
    );
    expect(result.meta).toEqual({
      kind: 'written-report',
      meeting: 20,
      title: '关于落实审议意见的情况报告',
      author: '宝山区人民政府',
      salutation: '区人大常委会：',
      signature: ['宝山区人民政府', '2024年5月20日'],
    });
    expect(result.markdown).toContain('\nmeeting: 20\n'); // given, not guessed: no REVIEW
    expect(bodyOf(result.markdown)).toBe('现将有关情况报告如下。\n\n特此报告。');
  });

  test('HTML lists (not from Word numbering) become numbered paragraphs', () => {
    const result = docxHtmlToMarkdown(
      '<p>某某会议议题</p><ol><li>听取报告；</li><li>审议决议。</li></ol><ul><li>附</li></ul>',
    );
    expect(bodyOf(result.markdown)).toBe('1. 听取报告；\n\n2. 审议决议。\n\n附');
  });

  test('sub- and superscripts stay raw HTML', () => {
    const result = docxHtmlToMarkdown(
      '<p>关于空气质量的报告</p><p>PM<sub>2.5</sub>浓度下降，绿地面积 100 m<sup>2</sup>。</p>',
    );
    expect(bodyOf(result.markdown)).toBe('PM<sub>2.5</sub>浓度下降，绿地面积100 m<sup>2</sup>。');
  });
});

describe('guesses and text rules', () => {
  test('kinds from titles', () => {
    expect(
      [
        '关于吴淞创新城建设推进情况的报告',
        '关于本区养老机构标准化建设情况的调研报告',
        '关于本区国有自然资源资产管理情况的审议意见',
        '关于批准《虹口区2023年财政决算》的决议',
        '关于召开第五次会议的决定',
        '宝山区人民代表大会常务委员会公告',
        '任 免 名 单'.replace(/ /g, ''),
        '宝山区九届人大常委会第二十次会议议题',
        '关于落实审议意见的情况报告',
        '会议纪要',
      ].map(kindOfTitle),
    ).toEqual([
      'report',
      'research-report',
      'opinion',
      'resolution',
      'decision',
      'announcement',
      'appointments',
      'agenda',
      'written-report',
      'other',
    ]);
  });

  test('speaker lines: padded names, two posts, no spaces', () => {
    expect(parseSpeaker('区住房保障和房屋管理局局长　 王　甯')).toEqual({
      post: '区住房保障和房屋管理局局长',
      name: '王甯',
    });
    expect(parseSpeaker('副区长、公安分局局长 黄恩伟')).toEqual({ post: '副区长、公安分局局长', name: '黄恩伟' });
    expect(parseSpeaker('宝山区副区长朱众伟')).toEqual({ post: '宝山区副区长', name: '朱众伟' });
    expect(parseSpeaker('今年以来，我们做了很多工作。')).toBeUndefined();
    expect(parseSpeaker('二、加强监督委员会建设')).toBeUndefined();
  });

  test('Chinese numbers and Word number formats', () => {
    expect(['五', '十', '二十', '二十一', '一百零五', '21'].map(parseChineseNumber)).toEqual([5, 10, 20, 21, 105, 21]);
    expect(formatNumber(12, 'chineseCounting')).toBe('十二');
    expect(formatNumber(3, 'decimalEnclosedCircle')).toBe('③');
    expect(formatNumber(4, 'upperRoman')).toBe('IV');
  });

  test('normaliseText with its neighbours', () => {
    expect(normaliseText('完成 2024 年目标, 达到 99.9% ;', {})).toBe('完成2024年目标，达到99.9%；');
    expect(normaliseText(' 加强统筹', { before: '是' })).toBe('加强统筹');
    expect(normaliseText('会议时间 10:30, 地点(会议室)', {})).toBe('会议时间10:30，地点（会议室）');
    expect(normaliseText('Hello World, again', {})).toBe('Hello World, again');
  });

  test('the next document name', () => {
    expect(nextDocumentName(['issue.yml', '01-agenda.md', '07-report.md'], 'report')).toBe('08-report.md');
    expect(nextDocumentName([], 'agenda')).toBe('01-agenda.md');
    expect(nextDocumentName(['099-x.md'], 'other')).toBe('100-other.md');
  });
});
