import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';

/** What passed without a word, or with a message naming no file: each now an error at its file and line. */
async function check(files: Record<string, string>) {
  const issue = await makeIssue({ 'issue.yml': issueYml, ...files });
  const result = await runCli(['check', issue]);
  return { ...result, text: result.stdout + result.stderr };
}

describe('point 11: images that would print broken', () => {
  it('a raw <img> of a file that does not exist', async () => {
    const result = await check({ '01-report.md': reportSource('正文。\n\n<img src="images/nonexistent.png">\n') });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error missing-file Missing image file `images\/nonexistent\.png`/);
  });

  it('an image path climbing out through %2f escapes', async () => {
    const result = await check({
      '01-report.md': reportSource('正文。\n\n![](images/..%2f..%2f..%2f..%2fetc/x.png)\n'),
    });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:9:1: error image-outside-issue .*outside the issue folder/);
  });
});

describe('point 11: characters that break the contents or mislead the reader', () => {
  it('a lone surrogate in a title (a YAML escape)', async () => {
    const source = reportSource('正文。').replace(
      'title: 关于测试工作情况的报告',
      'title: "关于测试\\ud800工作情况的报告"',
    );
    const result = await check({ '01-report.md': source });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:4:8: error suspect-character Unexpected lone surrogate \(U\+D800\)/);
  });

  it('a right-to-left override in a title, a zero-width space in a name', async () => {
    const source = reportSource('正文。', 'speaker:\n  post: 区长\n  name: 张\u200b三\n').replace(
      '关于测试工作情况的报告',
      '关于\u202e告报的况情作工',
    );
    const result = await check({ '01-report.md': source });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(
      /01-report\.md:4:8: error suspect-character Unexpected text direction control \(U\+202E\)/,
    );
    expect(result.text).toMatch(
      /01-report\.md:7:9: error suspect-character Unexpected invisible character \(U\+200B\)/,
    );
  });

  it('a zero-width space in the body is a warning at its place', async () => {
    const result = await check({ '01-report.md': reportSource('本区\u200b工作情况良好。') });
    expect(result.text).toMatch(/01-report\.md:7:3: warning suspect-character Unexpected invisible character/);
  });
});

describe('point 11: YAML that was silently dropped or reported without a place', () => {
  it('an alias bomb in issue.yml names the file and line', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const name of 'bcdefgh') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const issue = await makeIssue({
      'issue.yml': `${issueYml}${levels.join('\n')}\n`,
      '01-report.md': reportSource('正文。'),
    });
    const result = await runCli(['check', issue]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(
      /issue\.yml:1:1: error yaml-syntax Unexpected YAML: Excessive alias count/,
    );
  });

  it('an unknown tag (!!js/function) is an error, not dropped', async () => {
    const source = reportSource('正文。').replace(
      'title: 关于测试工作情况的报告',
      'title: !!js/function "function () {}"',
    );
    const result = await check({ '01-report.md': source });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/01-report\.md:4:8: error yaml-syntax Unexpected YAML: Unresolved tag/);
  });
});
