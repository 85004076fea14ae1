import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

/**
 * Sources past the bounds (nesting, table rows) get one message naming the file and line, exit 1 and no
 * browser; an image address with broken %-escapes is a message, not a crash.
 */
const tempDir = useTempDirs('security-limits');

async function check(body: string, command: 'check' | 'build' = 'check') {
  const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource(body) });
  const args = command === 'build' ? ['build', issue, '-o', await tempDir()] : ['check', issue];
  const result = await runCli(args);
  return { ...result, text: result.stdout + result.stderr };
}

describe('point 9: deep nesting, malformed addresses and huge tables end in a message naming the file', () => {
  it('10,000 nested quotes', async () => {
    const result = await check(`正文。\n\n${'> '.repeat(10_000)}引文。`);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error source-limit .*nested 10000 deep/);
    expect(result.text).not.toContain('Maximum call stack');
  });

  it('10,000 nested list markers', async () => {
    const result = await check(`正文。\n\n${'* '.repeat(10_000)}条目。`);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error source-limit .*nested 10000 deep/);
  });

  it('10,000 nested emphasis markers', async () => {
    const result = await check(`正文。\n\n${'*'.repeat(10_000)}强调${'*'.repeat(10_000)}`);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error source-limit .*run of 10000 `\*`/);
    expect(result.text).not.toContain('Maximum call stack');
  });

  it('10,000 nested <span> elements', async () => {
    const result = await check(`正文。\n\n${'<span>'.repeat(10_000)}文字`);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:\d+: error source-limit .*HTML elements nested/);
    expect(result.text).not.toContain('Maximum call stack');
  });

  it('an image address with a malformed %-escape, in check and in build', async () => {
    for (const command of ['check', 'build'] as const) {
      const result = await check('正文。\n\n![图](%E0%A4%A)\n', command);
      expect(result.code, command).toBe(1);
      expect(result.text, command).toMatch(
        /01-report\.md:9:1: error \S+ (Unexpected image address .*malformed|Missing file)/,
      );
      expect(result.text, command).not.toContain('URI malformed');
    }
  });

  it('a table of 100,000 rows is refused at once, before any browser starts', async () => {
    const rows = Array.from({ length: 100_000 }, (_, index) => `| ${index} | 名称 |`).join('\n');
    const started = performance.now();
    const result = await check(`正文。\n\n| 序号 | 名称 |\n| --- | --- |\n${rows}\n`, 'build');
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error source-limit Unexpected table of more than 3000 rows/);
    expect(result.text).not.toMatch(/Chromium|Reinstall/);
    // Refused from the text, not after parsing it: well under the two minutes the check took.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
