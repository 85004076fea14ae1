import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import { readPdf } from '../helpers/pdf.js';

/**
 * Bad input, each with its exact outcome: one clear message naming file and line and exit 1, or a build
 * that goes through when the input is merely unusual.
 */
const gbk = (text: string): Uint8Array => encodeGb18030(text);

/** GB18030 bytes of a text (Node decodes GB18030 but cannot encode it: use the code points' GBK table). */
function encodeGb18030(text: string): Uint8Array {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  // Build the table for just the characters needed, by decoding every two-byte GBK code.
  const needed = new Set(text);
  for (let lead = 0x81; lead <= 0xfe && table.size < needed.size; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (needed.has(char) && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return new Uint8Array(
    [...text].flatMap((char) => (char.charCodeAt(0) < 0x80 ? [char.charCodeAt(0)] : (table.get(char) ?? [0x3f]))),
  );
}

describe('sources the build refuses, each with one clear message and exit 1', () => {
  const cases: { name: string; files: () => Record<string, string | Uint8Array>; message: RegExp }[] = [
    {
      name: 'a GBK/GB18030 file',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': gbk(reportSource('本区工作情况良好。')) }),
      message:
        /01-report\.md:\d+:\d+: error source-encoding Unexpected GBK\/GB18030 text, expected UTF-8.*--encoding gb18030/,
    },
    {
      name: 'invalid UTF-8',
      files: () => ({
        'issue.yml': issueYml,
        '01-report.md': Buffer.concat([Buffer.from(reportSource('正文')), Buffer.from([0xff, 0xfe, 0x41])]),
      }),
      message: /01-report\.md:8:\d+: error source-encoding Unexpected bytes that are not UTF-8/,
    },
    {
      name: 'a file that is not text at all',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]) }),
      message: /01-report\.md:1:1: error source-encoding Unexpected binary data/,
    },
    {
      name: 'broken YAML',
      files: () => ({
        'issue.yml': issueYml,
        '01-report.md': '---\nkind: report\nmeeting: [1\ntitle: 报告\n---\n正文\n',
      }),
      message: /01-report\.md:\d+:\d+: error yaml-syntax Unexpected YAML/,
    },
    {
      name: 'an unknown document kind',
      files: () => ({
        'issue.yml': issueYml,
        '01-report.md': reportSource('正文').replace('kind: report', 'kind: reprot'),
      }),
      message: /01-report\.md:2:7: error front-matter Unexpected `kind` value "reprot", expected one of agenda, report/,
    },
    {
      name: 'a missing required field',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': '---\nkind: report\nmeeting: 1\n---\n正文\n' }),
      message: /01-report\.md:\d+:\d+: error front-matter Missing field `title`/,
    },
    {
      name: 'an empty front matter',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': '---\n---\n正文\n' }),
      message:
        /01-report\.md:1:1: error front-matter Unexpected empty front matter, expected the fields `kind`, `meeting` and `title`/,
    },
    {
      name: 'an issue with no documents',
      files: () => ({ 'issue.yml': issueYml }),
      message: /issue\.yml:1:1: error no-documents Unexpected issue without documents/,
    },
    {
      name: 'a document listed twice',
      files: () => ({
        'issue.yml': `${issueYml}documents:\n  - 01-report.md\n  - 01-report.md\n`,
        '01-report.md': reportSource('正文'),
      }),
      message:
        /issue\.yml:11:\d+: error duplicate-document Unexpected document listed twice in `documents`: 01-report\.md/,
    },
    {
      name: 'a missing image',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': reportSource('如图所示。\n\n![示意图](images/map.png)') }),
      message: /01-report\.md:9:1: error missing-file .*images\/map\.png/,
    },
    {
      name: 'an image path climbing out of the issue',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': reportSource('如图：\n\n![](../../etc/secret.png)') }),
      message:
        /01-report\.md:9:1: error image-outside-issue Unexpected image path `\.\.\/\.\.\/etc\/secret\.png` outside the issue folder/,
    },
    {
      name: 'an absolute image path',
      files: () => ({ 'issue.yml': issueYml, '01-report.md': reportSource('如图：\n\n![](/etc/passwd)') }),
      message: /01-report\.md:9:1: error image-outside-issue Unexpected image path `\/etc\/passwd`/,
    },
    {
      name: 'a remote image',
      files: () => ({
        'issue.yml': issueYml,
        '01-report.md': reportSource('如图：\n\n![](https://example.com/logo.png)'),
      }),
      message:
        /01-report\.md:9:1: error remote-image Unexpected remote image `https:\/\/example\.com\/logo\.png`.*never fetches/,
    },
  ];

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const dir = await makeIssue(testCase.files());
      const result = await runCli(['build', dir, '-o', path.join(dir, '..', 'out')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    });
  }
});

describe('unusual sources that still build', () => {
  it('reads a GBK file with --encoding gb18030', async () => {
    const dir = await makeIssue({ 'issue.yml': issueYml, '01-report.md': gbk(reportSource('本区工作情况良好。')) });
    const out = path.join(dir, '..', 'out');
    const result = await runCli(['build', dir, '-o', out, '--encoding', 'gb18030']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const pdf = await readPdf(path.join(out, 'test-2024-01.pdf'));
    expect(pdf.pages.map((page) => page.compact).join('')).toContain('本区工作情况良好。');
  });

  it('removes scripts, iframes and event handlers with a warning for each', async () => {
    const body =
      '正文<script>alert(1)</script>和<iframe src="file:///etc/passwd"></iframe><span onclick="x()">点</span>，PM<sub>2.5</sub>。';
    const dir = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource(body) });
    const out = path.join(dir, '..', 'out');
    const result = await runCli(['build', dir, '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/01-report\.md:7:3: warning raw-html Removed raw HTML `<script>`/);
    expect(result.stderr).toMatch(/01-report\.md:7:\d+: warning raw-html Removed raw HTML `<iframe>`/);
    expect(result.stderr).toMatch(/01-report\.md:7:\d+: warning raw-html Removed raw HTML attribute `onclick`/);
    const html = await readFile(path.join(out, 'test-2024-01.html'), 'utf8');
    expect(html).not.toMatch(/<script|<iframe|onclick|passwd/);
    expect(html).toContain('PM<sub>2.5</sub>');
  });

  it('builds a table of 2,000 rows, its header repeated on every page it continues', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `| 第${i + 1}项 | ${i * 3} | 完成 |`).join('\n');
    const dir = await makeIssue({
      'issue.yml': issueYml,
      '01-report.md': reportSource(`表一：大表\n\n| 项目 | 数量 | 状态 |\n| --- | --- | --- |\n${rows}`),
    });
    const out = path.join(dir, '..', 'out');
    const result = await runCli(['build', dir, '-o', out]);
    expect(result.code).toBe(0);
    const pages = (await readPdf(path.join(out, 'test-2024-01.pdf'))).pages;
    const tablePages = pages.filter((page) => page.compact.includes('完成'));
    expect(tablePages.length).toBeGreaterThan(30);
    for (const page of tablePages.slice(1)) expect(page.compact).toContain('（续表）项目数量状态');
    expect(pages.map((page) => page.compact).join('')).toContain('第2000项5997完成');
  });

  it('builds a 10,000-character paragraph without punctuation', async () => {
    const dir = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('区'.repeat(10_000)) });
    const out = path.join(dir, '..', 'out');
    const result = await runCli(['build', dir, '-o', out]);
    expect(result.code).toBe(0);
    const text = (await readPdf(path.join(out, 'test-2024-01.pdf'))).pages.map((page) => page.compact).join('');
    expect(text.match(/区/g)?.length).toBeGreaterThanOrEqual(10_000);
  });
});

describe('faults', () => {
  let savedPath: string | undefined;
  beforeAll(() => {
    savedPath = process.env.PUPPETEER_EXECUTABLE_PATH;
  });
  afterAll(() => {
    if (savedPath === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = savedPath;
  });

  it('says how to install Chromium when there is none', async () => {
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
    const dir = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文') });
    const result = await runCli(['build', dir, '-o', path.join(dir, '..', 'out')]);
    process.env.PUPPETEER_EXECUTABLE_PATH = savedPath ?? '';
    if (savedPath === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No Chromium found.*apt-get install chromium.*PUPPETEER_EXECUTABLE_PATH/);
  });

  it('gives a clear error for an output folder it cannot create', async () => {
    const dir = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文') });
    const blocker = path.join(dir, '..', 'a-file');
    await writeFile(blocker, 'not a folder');
    const result = await runCli(['build', dir, '-o', path.join(blocker, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot create the output folder .*a-file\/out/);
  });
});
