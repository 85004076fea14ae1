import { isUtf8 } from 'node:buffer';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import { finding } from '../../src/check/finding.js';
import { fixText } from '../../src/check/fix.js';
import { fieldValues } from '../../src/check/front-matter.js';
import { checkIssue, issueErrors } from '../../src/check/index.js';
import { fileReferences } from '../../src/check/references.js';
import { checkNumbering, itemOf, numberedScopes } from '../../src/check/structure.js';
import { checkText, meetingNumberProblems } from '../../src/check/text.js';
import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/index.js';
import { createBodyProcessor } from '../../src/markdown/processor.js';
import { formatMessage, parseChineseNumber, ruleIds } from '../../src/model/index.js';
import { readIssue } from '../../src/sources/read-issue.js';
import { runCli } from '../helpers/cli.js';
import { documentSource as doc, twoMeetingIssueYml, useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('check');

const issueYml = twoMeetingIssueYml;

/** An issue folder with issue.yml and the documents given. */
async function issueFolder(documents: Record<string, string>, extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'issue.yml'), issueYml);
  for (const [name, content] of Object.entries({ ...documents, ...extra })) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** `gazette check` over a folder: one line per finding, paths relative to the folder. */
async function check(dir: string, options: { fix?: boolean } = {}): Promise<string[]> {
  const { findings } = await checkIssue(dir, options);
  return findings.map((message) =>
    formatMessage(Object.assign(message, { file: path.relative(dir, message.file ?? '') })),
  );
}

async function checkOne(body: string, fields: string[] = []): Promise<string[]> {
  return check(await issueFolder({ '01-report.md': doc(body, fields) }));
}

describe('front matter', () => {
  test('an unknown kind and a missing field are findings, not a crash', async () => {
    const dir = await issueFolder({
      '01-a.md': doc('正文。', [], { kind: 'memo' }),
      '02-b.md': ['---', 'kind: report', 'meeting: 21', '---', '', '正文。', ''].join('\n'),
    });
    expect(await check(dir)).toEqual([
      '01-a.md:2:7: error front-matter Unexpected `kind` value "memo", expected one of agenda, report, research-report, inspection-report, opinion, resolution, decision, announcement, appointments, attendance, attendees, duty-report, written-report, filing-report, speech, other',
      '02-b.md:2:1: error front-matter Missing field `title`',
    ]);
  });

  test('a mistyped field points at its value', async () => {
    const dir = await issueFolder({ '01-a.md': doc('正文。', [], { meeting: 'twenty' as never }) });
    expect(await check(dir)).toEqual([
      '01-a.md:3:10: error front-matter Unexpected string "twenty" in `meeting`, expected number',
    ]);
  });

  test('the same kind, title and speaker twice in one meeting is a duplicate-title warning', async () => {
    const speaker = ['speaker:', '  post: 副区长', '  name: 王甯'];
    const dir = await issueFolder({
      '01-a.md': doc('第一份报告。', speaker),
      '02-b.md': doc('第二份报告。', speaker),
      '03-c.md': doc('第三份报告。', ['speaker:', '  post: 副区长', '  name: 汤钧']),
      '04-d.md': doc('第四份报告。', speaker, { meeting: 22 }),
    });
    expect(await check(dir)).toEqual([
      '02-b.md:4:1: warning duplicate-title Unexpected second report “关于工作情况的报告” by 王甯 in meeting 21, expected each document once (the first is 01-a.md:4)',
    ]);
  });

  test('several lists with one title (任免名单) are normal', async () => {
    const list = { kind: 'appointments', title: '任免名单' };
    const dir = await issueFolder({
      '01-a.md': doc('任命王潇同志为审判员。', [], list),
      '02-b.md': doc('任命吴鹏同志为审判员。', [], list),
    });
    expect(await check(dir)).toEqual([]);
  });

  test('two documents with one body: duplicate-document', async () => {
    const dir = await issueFolder({
      '01-a.md': doc('相同的正文。', [], { title: '报告甲' }),
      '02-b.md': doc('相同的正文。', [], { title: '报告乙' }),
    });
    expect(await check(dir)).toEqual([
      '02-b.md:4:1: warning duplicate-document Unexpected body identical to 01-a.md, expected each document once',
    ]);
  });

  test('an identical file twice is an error (from readIssue)', async () => {
    const dir = await issueFolder({ '01-a.md': doc('正文。'), '02-b.md': doc('正文。') });
    const lines = await check(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^02-b\.md:1:1: error duplicate-document Unexpected duplicate of .*01-a\.md/);
  });

  test('meeting-number: "第X次会议" in `adopted` or `occasion` against `meeting`', async () => {
    const lines = await checkOne('正文。', [
      'adopted: 2024年7月25日上海市虹口区第十七届人民代表大会常务委员会第二十二次会议通过',
      'occasion: 2024年5月21日在区第十七届人民代表大会常务委员会第二十一次会议上',
    ]);
    expect(lines).toEqual([
      '01-report.md:5:41: warning meeting-number Unexpected `第二十二次会议` (meeting 22), expected meeting 21 as in `meeting` (第二十一次会议)',
    ]);
  });

  test('a congress session is not a committee meeting', () => {
    expect(meetingNumberProblems('在区第十七届人民代表大会第五次会议上', 21)).toEqual([]);
    expect(meetingNumberProblems('常务委员会第21次会议', 22)).toHaveLength(1);
  });

  test('text rules reach field values, and the lines of a title are one text', async () => {
    const lines = await check(
      await issueFolder({
        '01-a.md': [
          '---',
          'kind: opinion',
          'meeting: 21',
          'title:',
          '  - 对《关于工作情况',
          '  - 的报告》的审议意见',
          'occasion: 2024年2月30日在会议上',
          'salutation: 主任,各位委员：',
          '---',
          '',
          '正文。',
          '',
        ].join('\n'),
      }),
    );
    expect(lines).toEqual([
      '01-a.md:7:11: error invalid-date Unexpected day 30 in `2024年2月30日`, expected 1 to 29 (2024年2月)',
      '01-a.md:8:15: warning half-width-punctuation Unexpected half-width `,` in Chinese text, expected `，`',
    ]);
  });

  test('fieldValues: each string with the offsets of its key and value', () => {
    const yaml = 'title: 报告\nspeaker:\n  post: [副区长]\n  name: "王甯"\n';
    expect(fieldValues(yaml)).toEqual([
      { field: 'title', path: 'title', value: '报告', keyOffset: 0, valueOffset: 7 },
      { field: 'speaker', path: 'speaker.post.0', value: '副区长', keyOffset: 10, valueOffset: 28 },
      { field: 'speaker', path: 'speaker.name', value: '王甯', keyOffset: 10, valueOffset: 42 },
    ]);
  });
});

describe('structure', () => {
  const parse = (markdown: string) => createBodyProcessor().parse(new VFile({ value: markdown })) as Root;
  const markers = (markdown: string) =>
    numberedScopes(parse(markdown)).map((scope) => scope.map((item) => item.marker));

  test('headings, run-in headings and plain paragraphs with a marker are numbered items', () => {
    const body = [
      '## 一、基本情况',
      '**（一）完善机制。**今年以来……',
      '1. 听取报告；',
      '3.5亿元已经到位。',
      '2023、2024年连续两年……',
      '**一是**突出重点。',
      ':::glossary',
      '1. 枫桥经验：……',
      ':::',
    ].join('\n\n');
    expect(markers(body)).toEqual([['一、', '（一）', '1.'], ['1.']]);
  });

  test('itemOf reads the number of each kind of marker', () => {
    expect(['第二方面：', '十二、', '（三）', '(四)', '7.', '（12）'].map((text) => itemOf(text)?.value)).toEqual([
      2, 12, 3, 4, 7, 12,
    ]);
    expect(parseChineseNumber('二十一')).toBe(21);
    expect(parseChineseNumber('两')).toBe(2);
    expect(parseChineseNumber('廿')).toBeUndefined();
    // One parser for the check and the Word import: hundreds read, irregular forms refused.
    expect(['〇', '十', '一百零五', '一百一十', '两百', '九百九十九'].map(parseChineseNumber)).toEqual([
      0, 10, 105, 110, 200, 999,
    ]);
    expect(['二二', '十十', '一十', '百'].map(parseChineseNumber)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('checkNumbering: restarts under each parent, continued numbering, one skipped level', () => {
    const items = (...markers: string[]) =>
      markers.map((marker) => itemOf(marker)).filter((item) => item !== undefined);
    expect(checkNumbering(items('一、', '（一）', '（二）', '二、', '（一）', '1.', '2.', '三、', '1.'))).toEqual([]);
    expect(checkNumbering(items('（一）', '1.', '（二）', '2.', '（三）', '3.'))).toEqual([]);
    expect(checkNumbering(items('第一方面', '（一）', '第二方面', '（一）'))).toEqual([]);
    expect(checkNumbering(items('一、', '二、', '二、')).map((problem) => problem.reason)).toEqual([
      'Unexpected repeated `二、`, expected `三、`',
    ]);
    expect(checkNumbering(items('一、', '四、', '三、', '四、')).map((problem) => problem.reason)).toEqual([
      'Unexpected `四、` after `一、`, expected `二、`',
    ]);
    expect(checkNumbering(items('一、', '二、', '四、', '五、')).map((problem) => problem.reason)).toEqual([
      'Unexpected `四、` after `二、`, expected `三、`',
    ]);
    expect(checkNumbering(items('一、', '（二）')).map((problem) => problem.reason)).toEqual([
      'Unexpected `（二）` as the first item under `一、`, expected `（一）`',
    ]);
  });

  test('heading-level-jump: 一、 then （1） without （一）', async () => {
    const body = ['## 一、基本情况', '', '正文。', '', '##### （1）具体做法', '', '正文。'].join('\n');
    expect(await checkOne(body)).toEqual([
      '01-report.md:11:7: error heading-level-jump Unexpected `（1）` right under `一、`, expected the levels in between (（一） 1.) first',
    ]);
  });

  test('numbering-sequence: a gap at one level under one parent', async () => {
    const body = [
      '## 一、基本情况',
      '**（一）完善机制。**正文。',
      '**（二）压实责任。**正文。',
      '## 二、主要做法',
      '**（一）突出重点。**正文。',
      '## 四、下一步工作',
      '正文。',
    ].join('\n\n');
    expect(await checkOne(body)).toEqual([
      '01-report.md:17:4: error numbering-sequence Unexpected `四、` after `二、`, expected `三、`',
    ]);
  });

  test('numbering-sequence in plain paragraphs (an agenda)', async () => {
    const body = ['1. 听取报告；', '2. 审议决定；', '2. 审议名单；', '3. 其他。'].join('\n\n');
    expect(await checkOne(body)).toEqual([
      '01-report.md:11:1: error numbering-sequence Unexpected repeated `2.`, expected `3.`',
    ]);
  });

  test('empty-document: fields and no body', async () => {
    const dir = await issueFolder({ '01-a.md': doc('  ') });
    expect(await check(dir)).toEqual([
      '01-a.md:5:4: error empty-document Unexpected empty document, expected body text or blocks after the fields',
    ]);
  });

  test('a document with only a block is not empty', async () => {
    expect(await checkOne(':::names\n李萍 吴志宏\n:::')).toEqual([]);
  });
});

describe('text', () => {
  const rules = (text: string) => checkText(text).map((problem) => [problem.ruleId, problem.start, problem.expected]);

  test('half-width punctuation next to Han characters, with the fix', () => {
    expect(rules('我们,今天;开会:讨论?好!')).toEqual([
      [ruleIds.halfWidthPunctuation, 2, '，'],
      [ruleIds.halfWidthPunctuation, 5, '；'],
      [ruleIds.halfWidthPunctuation, 8, '：'],
      [ruleIds.halfWidthPunctuation, 11, '？'],
      [ruleIds.halfWidthPunctuation, 13, '！'],
    ]);
  });

  test('parentheses go in pairs; numbers, times and addresses are left alone', () => {
    expect(rules('规划(2017-2035),比例1:1')).toEqual([
      [ruleIds.halfWidthPunctuation, 2, '（'],
      [ruleIds.halfWidthPunctuation, 12, '）'],
      [ruleIds.halfWidthPunctuation, 13, '，'],
    ]);
    expect(rules('上午10:30开会，比例为1:1，见https://example.com/a,b(c)，或www.example.com?q=1')).toEqual([]);
    expect(rules('(1) PM2.5 (a)')).toEqual([]);
  });

  test('the fix takes the spaces on the outer side of the mark', () => {
    const [problem] = checkText('我们, 今天');
    expect(problem).toMatchObject({ start: 2, end: 4, expected: '，' });
  });

  test('spaces between Han characters, or Han and digits', () => {
    expect(rules('2023 年 11 月，共 3 次。iPhone 15。')).toEqual([
      [ruleIds.spaceInChinese, 4, ''],
      [ruleIds.spaceInChinese, 6, ''],
      [ruleIds.spaceInChinese, 9, ''],
      [ruleIds.spaceInChinese, 13, ''],
      [ruleIds.spaceInChinese, 15, ''],
    ]);
    expect(rules('海星村“整治大操大办 减轻人情负担”案例')).toEqual([]);
  });

  test('invalid dates: month and day, leap years', () => {
    expect(
      checkText('2024年2月29日，2023年2月29日，2024年13月，4月31日，2月29日，1至6月').map((p) => p.reason),
    ).toEqual([
      'Unexpected day 29 in `2023年2月29日`, expected 1 to 28 (2023年2月)',
      'Unexpected month 13 in `2024年13月`, expected 1 to 12',
      'Unexpected day 31 in `4月31日`, expected 1 to 30 (4月)',
    ]);
  });

  test('unbalanced pairs: which one, where', () => {
    expect(checkText('关于《条例（草案）的说明').map((p) => [p.start, p.reason])).toEqual([
      [2, 'Unexpected 1 `《` and 0 `》` in one paragraph, expected as many of each: this `《` is not closed'],
    ]);
    expect(checkText('“甲”乙”').map((p) => p.start)).toEqual([4]);
    expect(checkText('【一】“二”《三》（四）')).toEqual([]);
  });

  test('findings in a body: exact line and column, bold and table cells included', async () => {
    const body = [
      '我们**今天**,开会。',
      '',
      '| 项目 | 说明 |',
      '| --- | --- |',
      '| 甲 | 完成 5 个 |',
      '',
      '会议于2024年4月31日召开。',
    ].join('\n');
    expect(await checkOne(body)).toEqual([
      '01-report.md:7:9: warning half-width-punctuation Unexpected half-width `,` in Chinese text, expected `，`',
      '01-report.md:11:9: warning space-in-chinese Unexpected space between `成` and `5`, expected none in Chinese text',
      '01-report.md:11:11: warning space-in-chinese Unexpected space between `5` and `个`, expected none in Chinese text',
      '01-report.md:13:4: error invalid-date Unexpected day 31 in `2024年4月31日`, expected 1 to 30 (2024年4月)',
    ]);
  });

  test('not in :::names, code or links', async () => {
    const body = [
      ':::names{columns=6}',
      '李萍 吴志宏 王丽燕',
      ':::',
      '',
      '见`a,b`和[链接](https://example.com/中,文)及<https://example.com/x>。',
    ].join('\n');
    expect(await checkOne(body)).toEqual([]);
  });

  test('a quotation over several paragraphs opens each with “ and closes the last', async () => {
    const quoted = ['“第一段引文。', '“第二段引文。', '“第三段引文。”'].join('\n\n');
    expect(await checkOne(quoted)).toEqual([]);
    expect(await checkOne('他说：“没有结束。\n\n下一段。')).toEqual([
      '01-report.md:7:4: warning unbalanced-pair Unexpected 1 `“` and 0 `”` in one paragraph, expected as many of each: this `“` is not closed',
    ]);
  });
});

describe('references', () => {
  test('images must exist relative to the issue folder', async () => {
    const dir = await issueFolder(
      {
        '01-report.md': doc('图示：\n\n![示意图](figures/a.png)\n\n![缺失](figures/b.png)'),
      },
      { 'figures/a.png': 'png' },
    );
    expect(await check(dir)).toEqual([
      '01-report.md:11:1: error missing-file Missing file `figures/b.png`, expected it relative to the issue folder',
    ]);
  });

  test('a path out of the issue folder is image-outside-issue (the Markdown stage), reported once', async () => {
    const dir = await issueFolder({ '01-report.md': doc('![](../../etc/secret.png)') });
    const lines = await check(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^01-report\.md:7:1: error image-outside-issue /);
  });

  test('fileReferences decodes paths and follows definitions', () => {
    const tree = createBodyProcessor().parse(
      new VFile({
        value: '![a](figures/%E5%9B%BE.png?x=1)\n\n![b][ref]\n\n[ref]: images/c.png\n\n![d](data:image/png;base64,AA)',
      }),
    ) as Root;
    expect(fileReferences(tree).map((reference) => reference.target)).toEqual(['figures/图.png', 'images/c.png']);
  });
});

describe('--fix', () => {
  test('fixes a copy in place, says what changed, and reports what remains', async () => {
    const dir = await issueFolder({
      '01-report.md': doc(
        [
          '我们,今天开会(讨论)。',
          '',
          '2023 年 11 月 6 日,完成。',
          '',
          ':::names',
          '李萍 吴志宏',
          ':::',
          '',
          '会议于2024年2月30日召开。',
        ].join('\n'),
        ['salutation: 主任,副主任：'],
      ),
    });
    const result = await checkIssue(dir, { fix: true });
    expect(
      result.fixed.map(
        (record) =>
          `${path.relative(dir, record.file)}:${record.line}: fixed ${record.count} ${record.ruleId} (${record.changes.join(', ')})`,
      ),
    ).toEqual([
      '01-report.md:5: fixed 1 half-width-punctuation (`,` → `，`)',
      '01-report.md:8: fixed 3 half-width-punctuation (`,` → `，`, `(` → `（`, `)` → `）`)',
      '01-report.md:10: fixed 1 half-width-punctuation (`,` → `，`)',
      '01-report.md:10: fixed 5 space-in-chinese (removed ` `)',
    ]);
    const text = await readFile(path.join(dir, '01-report.md'), 'utf8');
    expect(text).toContain('salutation: 主任，副主任：\n');
    expect(text).toContain('\n我们，今天开会（讨论）。\n');
    expect(text).toContain('\n2023年11月6日，完成。\n');
    expect(text).toContain('\n李萍 吴志宏\n');
    expect(result.findings.map(formatMessage).map((line) => line.slice(line.indexOf('01-report.md')))).toEqual([
      '01-report.md:16:4: error invalid-date Unexpected day 30 in `2024年2月30日`, expected 1 to 29 (2024年2月)',
    ]);
    expect((await checkIssue(dir, { fix: true })).fixed).toEqual([]);
  });

  test('CRLF line ends and a BOM are kept', async () => {
    const dir = await issueFolder({ '01-report.md': `\uFEFF${doc('我们,今天。').replace(/\n/g, '\r\n')}` });
    await checkIssue(dir, { fix: true });
    expect(await readFile(path.join(dir, '01-report.md'), 'utf8')).toBe(
      `\uFEFF${doc('我们，今天。').replace(/\n/g, '\r\n')}`,
    );
  });

  test('a GB18030 file: read with the encoding, fixed, and written back in GB18030', async () => {
    const source = doc('我们,今天开会(讨论)。');
    const dir = await issueFolder({ '01-report.md': '' });
    const file = path.join(dir, '01-report.md');
    await writeFile(file, iconv.encode(source, 'gb18030'));
    // Without the encoding: one finding that says how to read it, and nothing is touched.
    const utf8 = await checkIssue(dir, { fix: true });
    expect(utf8.fixed).toEqual([]);
    expect(utf8.findings.map((message) => message.ruleId)).toEqual([ruleIds.encoding]);
    const result = await checkIssue(dir, { fix: true, encoding: 'gb18030' });
    expect(result.fixed.map((record) => record.changes)).toEqual([['`,` → `，`', '`(` → `（`', '`)` → `）`']]);
    expect(result.findings).toEqual([]);
    const bytes = await readFile(file);
    expect(isUtf8(bytes)).toBe(false);
    expect(new TextDecoder('gb18030').decode(bytes)).toBe(doc('我们，今天开会（讨论）。'));
  });

  test('gazette check --encoding gb18030 reads a GBK issue as build does', async () => {
    const dir = await issueFolder({ '01-report.md': '' });
    await writeFile(path.join(dir, '01-report.md'), iconv.encode(doc('本区工作情况良好。'), 'gb18030'));
    expect(await runCli(['check', dir])).toMatchObject({ code: 1, stdout: expect.stringContaining('source-encoding') });
    expect(await runCli(['check', dir, '--encoding', 'gb18030'])).toMatchObject({ code: 0, stdout: '' });
  });

  test('fixText applies non-overlapping fixes whose text is still there', () => {
    const place = (start: number, end: number) => ({
      start: { line: 1, column: start },
      end: { line: 1, column: end },
    });
    const fix = (start: number, end: number, actual: string, expected: string) =>
      finding('a.md', 'fix', {
        place: place(start, end),
        ruleId: ruleIds.halfWidthPunctuation,
        fatal: false,
        actual,
        expected,
      });
    const { text, applied } = fixText('甲,乙,丙', [fix(2, 3, ',', '，'), fix(2, 4, ',乙', '？'), fix(4, 5, ';', '；')]);
    expect(text).toBe('甲，乙,丙');
    expect(applied).toHaveLength(1);
  });
});

describe('single-file issue', () => {
  test('findings in the fields and the body point into the one file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'issue.md');
    await writeFile(
      file,
      [
        '---',
        issueYml.trimEnd(),
        '---',
        '',
        '# 关于工作情况的报告',
        '',
        '```yaml',
        'kind: report',
        'meeting: 21',
        'occasion: 2024年5月21日在常务委员会第二十二次会议上',
        '```',
        '',
        '我们,今天开会。',
        '',
      ].join('\n'),
    );
    const { findings } = await checkIssue(file);
    expect(findings.map((message) => formatMessage(Object.assign(message, { file: 'issue.md' })))).toEqual([
      'issue.md:22:27: warning meeting-number Unexpected `第二十二次会议` (meeting 22), expected meeting 21 as in `meeting` (第二十一次会议)',
      'issue.md:25:3: warning half-width-punctuation Unexpected half-width `,` in Chinese text, expected `，`',
    ]);
  });
});

describe('the CLI and the build', () => {
  async function run(argv: string[], cwd: string): Promise<{ code: number; out: string[]; err: string }> {
    const out: string[] = [];
    let err = '';
    const context: CliContext = {
      cwd,
      stdout: (line) => out.push(line),
      stderr: (text) => {
        err += text;
      },
      logger: { progress() {}, warn() {}, info: (text) => (err += `${text}\n`) },
    };
    return { code: await main(argv, context), out, err };
  }

  test('gazette check: one line per finding, exit 1 on an error and 0 on warnings only', async () => {
    const dir = await issueFolder({ '01-report.md': doc('我们,今天。\n\n2024年2月30日。') });
    const failed = await run(['check', path.basename(dir)], path.dirname(dir));
    expect(failed.code).toBe(1);
    expect(failed.err).toBe('gazette: 1 error, 1 warning\n');
    expect(failed.out).toEqual([
      `${path.basename(dir)}/01-report.md:7:3: warning half-width-punctuation Unexpected half-width \`,\` in Chinese text, expected \`，\``,
      `${path.basename(dir)}/01-report.md:9:1: error invalid-date Unexpected day 30 in \`2024年2月30日\`, expected 1 to 29 (2024年2月)`,
    ]);
    const fixed = await run(['check', '--fix', dir], dir);
    expect(fixed.code).toBe(1);
    expect(fixed.out[0]).toBe('01-report.md:7: fixed 1 half-width-punctuation (`,` → `，`)');
    await writeFile(path.join(dir, '01-report.md'), doc('我们，今天。\n\n2024年2月29日 开会。'));
    const warned = await run(['check', '.'], dir);
    expect(warned).toEqual({
      code: 0,
      out: [
        '01-report.md:9:11: warning space-in-chinese Unexpected space between `日` and `开`, expected none in Chinese text',
      ],
      err: '0 errors, 1 warning\n',
    });
  });

  test('a missing issue is a finding and exit 1', async () => {
    const dir = await tempDir();
    const result = await run(['check', 'nowhere'], dir);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      'nowhere:1:1: error no-documents Unexpected path: no issue folder or Markdown file here',
    ]);
  });

  test('issueErrors (what gazette build stops on) keeps only the errors', async () => {
    const issue = await readIssue(await issueFolder({ '01-report.md': doc('我们,今天。\n\n## 一、甲\n\n## 三、乙') }));
    expect((await issueErrors(issue)).map((message) => message.ruleId)).toEqual([ruleIds.numberingSequence]);
  });
});

describe('the sample issues', () => {
  test.each(['issues/hongkou-2024-03', 'issues/baoshan-2024-03', 'tests/fixtures/issues/mini-2024-01'])(
    '%s has no errors',
    async (source) => {
      const { findings } = await checkIssue(source);
      expect(findings.filter((message) => message.fatal === true).map(formatMessage)).toEqual([]);
    },
  );

  test('the warnings that remain are known', async () => {
    const findings = [
      ...(await checkIssue('issues/hongkou-2024-03')).findings,
      ...(await checkIssue('issues/baoshan-2024-03')).findings,
    ];
    // The printed gazette itself lacks the "（" of "三年行动计划（2021—2023）" (seed H10279-10281).
    expect(findings.map(formatMessage)).toEqual([
      'issues/hongkou-2024-03/23-inspection-report-residential-property-management.md:38:105: warning unbalanced-pair Unexpected 0 `（` and 1 `）` in one paragraph, expected as many of each: this `）` closes nothing',
    ]);
  });

  test('--fix on a copy of a sample changes nothing', async () => {
    const dir = await tempDir();
    await cp('issues/baoshan-2024-03', dir, { recursive: true });
    expect((await checkIssue(dir, { fix: true })).fixed).toEqual([]);
  });
});
