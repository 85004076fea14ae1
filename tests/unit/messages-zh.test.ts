import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { localeFrom, ruleIds } from '../../src/model/index.js';
import { issueYml, reportSource, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('zh');

async function issue(files: Record<string, string>): Promise<string> {
  const dir = path.join(await tempDir(), 'test-2024-01');
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('messages in Chinese when the locale is Chinese', () => {
  test('the locale: LC_ALL, then LC_MESSAGES, then LANG; zh_* is Chinese, anything else English', () => {
    expect(localeFrom({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(localeFrom({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.GB18030' })).toBe('zh');
    expect(localeFrom({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(localeFrom({ LC_ALL: 'zh_TW' })).toBe('zh');
    expect(localeFrom({})).toBe('en');
  });

  test('a full-width colon in a field is explained at the colon, in the user language', async () => {
    const dir = await issue({
      'issue.yml': issueYml,
      '01-report.md': '---\nkind: report\nmeeting: 1\ntitle：关于测试工作情况的报告\n---\n\n正文。\n',
    });
    const zh = await runCli(['check', dir], dir, 'zh');
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain(
      `01-report.md:4:6: 错误 ${ruleIds.yaml} 字段名后用了全角冒号“：”：请改为半角冒号 ':'，并在其后加一个空格（如 title: …）`,
    );
    expect(zh.stdout).not.toMatch(/Implicit keys/);
    expect(zh.stderr).toMatch(/1 个错误，0 个警告/);
    const en = await runCli(['check', dir], dir, 'en');
    expect(en.stdout).toContain(
      '01-report.md:4:6: error yaml-syntax Unexpected full-width colon `：` after a field name',
    );
    expect(en.stdout).not.toMatch(/请改为/);
  });

  test('a missing field and a field of the wrong kind say what to write', async () => {
    const dir = await issue({
      'issue.yml': issueYml,
      '01-report.md': '---\nkind: rport\ntitle: 关于测试工作情况的报告\n---\n\n正文。\n',
    });
    const zh = await runCli(['check', dir], dir, 'zh');
    expect(zh.stdout).toMatch(
      /01-report\.md:2:7: 错误 front-matter 字段 kind 的值 "rport" 不在可选范围内：请改为 agenda, report/,
    );
    expect(zh.stdout).toMatch(/错误 front-matter 缺少字段 meeting：请补上这一项/);
  });

  test('placeholders and the build refusal in Chinese; rule ids stay the same', async () => {
    const dir = await issue({ 'issue.yml': issueYml, '01-report.md': reportSource('出席（待填写）人。') });
    const check = await runCli(['check', dir], dir, 'zh');
    expect(check.stdout).toMatch(/01-report\.md:7:4: 错误 placeholder 占位符“待填写”尚未填写：请改为实际内容/);
    const build = await runCli(['build', dir, '-o', path.join(dir, 'out')], dir, 'zh');
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/还有 1 处未完成.*--draft/);
  });

  test('the text and numbering rules say what to change in Chinese', async () => {
    const dir = await issue({
      'issue.yml': issueYml,
      '01-report.md': reportSource('## 一、总体情况\n\n今年以来,工作顺利。\n\n## 三、下一步'),
    });
    const zh = await runCli(['check', dir], dir, 'zh');
    expect(zh.stdout).toMatch(/01-report\.md:9:5: 警告 half-width-punctuation 中文中用了半角“,”：请改为全角“，”/);
    expect(zh.stdout).toMatch(/01-report\.md:11:4: 错误 numbering-sequence “一、”之后是“三、”：请改为“二、”/);
  });

  test('--help in Chinese, and in English otherwise', async () => {
    const zh = await runCli(['build', '--help'], process.cwd(), 'zh');
    expect(zh.stdout).toContain('用法： gazette build');
    expect(zh.stdout).toContain('把期次排成可付印的 PDF');
    expect(zh.stdout).toMatch(/--draft +校对样/);
    expect(zh.stdout).toMatch(/输出文件夹（默认：output）/);
    const top = await runCli(['--help'], process.cwd(), 'zh');
    expect(top.stdout).toMatch(/import \[options\] <file> +把 Word 文档/);
    const en = await runCli(['build', '--help'], process.cwd(), 'en');
    expect(en.stdout).toContain('Usage: gazette build');
    expect(en.stdout).toContain('build issues into print-ready PDFs');
  });

  test('every command and subcommand has its help in Chinese: no English description, note or heading left', async () => {
    const commands = [
      [],
      ...[
        'build',
        'check',
        'toc',
        'index',
        'new',
        'import',
        'preview',
        'archive',
        'verify',
        'press',
        'serve',
        'user',
      ].map((name) => [name]),
      ...['add', 'passwd', 'remove', 'list'].map((name) => ['user', name]),
    ];
    for (const command of commands) {
      const zh = await runCli([...command, '--help'], process.cwd(), 'zh');
      expect(zh.code, command.join(' ')).toBe(0);
      // What stays English is what the user types: the term column (commands, arguments, options), examples,
      // choices and defaults, file names and the names of formats.
      const prose = zh.stdout
        .split('\n')
        .filter((line) => !/^ {2}(gazette|echo) |^用法：/.test(line))
        .map((line) =>
          line
            .replace(/^ {2}.*? {2,}/, '')
            .replace(
              /（(可选|默认)：[^）]*）|[a-z]+-\d{4}-\d{2}|--?[\w-]+|<[^>]+>|[\w./-]*\.(md|docx|yml|txt|pdf|cache)\b|\b(gazette|editor|approver|issues|utf-8|gb18030|one-column|two-column|pressBlankPages|before-last|PDF|PDF\/A-2b|PDF\/X-3|CMYK|HTML|CSV|Word|Markdown|YAML|JSON|Ctrl-C|A4|Windows|GBK|docx|year|number|images|output|archive|serve|add|passwd|remove|list|build|check|toc|index|new|import|preview|archive|verify|press|user)\b/g,
              '',
            ),
        );
      expect(
        prose.filter((line) => /[A-Za-z]{3,}/.test(line)),
        command.join(' '),
      ).toEqual([]);
    }
    const user = await runCli(['user', 'add', '--help'], process.cwd(), 'zh');
    expect(user.stdout).toMatch(/--role <role> +editor 编辑/);
    expect(user.stdout).toContain('示例：');
    const serve = await runCli(['serve', '--help'], process.cwd(), 'zh');
    expect(serve.stdout).toContain('账号：gazette user add 登录名');
  });

  test("commander's usage errors and the command line's own refusals in Chinese, saying what to write", async () => {
    const unknown = await runCli(['biuld'], process.cwd(), 'zh');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('错误：没有“biuld”这个命令\n（是不是要写 build？）');
    const choice = await runCli(['user', 'add', 'zhang', '--role', 'boss'], process.cwd(), 'zh');
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain('错误：选项 --role <role> 不能取“boss”，可选：editor、approver');
    const missing = await runCli(['toc'], process.cwd(), 'zh');
    expect(missing.stderr).toContain('错误：缺少参数 issue');
    const option = await runCli(['build', '--nope'], process.cwd(), 'zh');
    expect(option.stderr).toContain('错误：没有“--nope”这个选项');
    const timeout = await runCli(['build', 'x', '--timeout', 'soon'], process.cwd(), 'zh');
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toBe('gazette: --timeout soon 不是秒数：请写排版时限的秒数（如 600）\n');
    const port = await runCli(['serve', '--port', '99999'], process.cwd(), 'zh');
    expect(port.stderr).toContain('--port 99999 不是端口号');
    // English stays English.
    const en = await runCli(['build', 'x', '--timeout', 'soon'], process.cwd(), 'en');
    expect(en.stderr).toBe('gazette: Unexpected --timeout soon, expected seconds\n');
    expect((await runCli(['biuld'], process.cwd(), 'en')).stderr).toContain("error: unknown command 'biuld'");
  });
});
