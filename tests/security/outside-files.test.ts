import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

/**
 * Nothing outside the issue folder is read: a link out of it (an image, a document), a `documents` entry that
 * climbs out, are refused with the line that names them; a FIFO or a folder where a file should be is named.
 */
const tempDir = useTempDirs('security-files');
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
);

/** A folder outside the issue with a secret document and a secret image. */
async function secrets(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'secret.md'), reportSource('机密内容不得外传。'));
  await writeFile(path.join(dir, 'secret.png'), png);
  await writeFile(path.join(dir, 'secret.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>机密</text></svg>');
  return dir;
}

describe('point 2: files outside the issue folder are refused', () => {
  it('an image that is a link to a file outside the issue', async () => {
    const outside = await secrets();
    const issue = await makeIssue({
      'issue.yml': issueYml,
      '01-report.md': reportSource('正文。\n\n![图](images/a.svg)\n'),
    });
    await mkdir(path.join(issue, 'images'));
    await symlink(path.join(outside, 'secret.svg'), path.join(issue, 'images', 'a.svg'));
    const check = await runCli(['check', issue]);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(
      /01-report\.md:9:1: error image-outside-issue .*outside the issue folder/,
    );
    const build = await runCli(['build', issue, '-o', await tempDir()]);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/01-report\.md:9:1: .*outside the issue folder/);
  });

  it('a `documents` entry that climbs out of the issue, named at its line', async () => {
    const outside = await secrets();
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文。') });
    const relative = path.relative(issue, path.join(outside, 'secret.md'));
    await writeFile(path.join(issue, 'issue.yml'), `${issueYml}documents:\n  - 01-report.md\n  - ${relative}\n`);
    const result = await runCli(['check', issue]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/issue\.yml:13:5: error source-file .*outside the issue folder/);
    expect(result.stdout + result.stderr).not.toContain('机密内容');
  });

  it('a document in the folder that is a link to a file outside', async () => {
    const outside = await secrets();
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文。') });
    await symlink(path.join(outside, 'secret.md'), path.join(issue, '02-secret.md'));
    const result = await runCli(['build', issue, '-o', await tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/02-secret\.md:1:1: error source-file .*outside the issue folder/);
  });
});

describe('point 6: a FIFO is refused at once, not read', () => {
  it('check and build name the FIFO and stop', async () => {
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文。') });
    execFileSync('mkfifo', [path.join(issue, '99-fifo.md')]);
    const result = await runCli(['check', issue]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/99-fifo\.md:1:1: error source-file .*named pipe \(FIFO\)/);
  }, 10_000);
});

describe('point 11: a link loop or a folder is not called "missing"', () => {
  it('names a folder called x.md and a symlink loop for what they are', async () => {
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文。') });
    await mkdir(path.join(issue, '02-folder.md'));
    await symlink('03-loop.md', path.join(issue, '03-loop.md'));
    const result = await runCli(['check', issue]);
    const text = result.stdout + result.stderr;
    expect(result.code).toBe(1);
    expect(text).toMatch(/02-folder\.md:1:1: error source-file Unexpected folder/);
    expect(text).toMatch(/03-loop\.md:1:1: error source-file .*loop/);
    expect(text).not.toContain('Missing document');
  });
});
