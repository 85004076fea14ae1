import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';
import { readPdf } from '../helpers/pdf.js';

const tempDir = useTempDirs('security-outputs');

describe('point 10: the outputs of one build are replaced together or not at all', () => {
  it('a build that fails after a good one leaves the old HTML beside the old PDF', async () => {
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('第一版正文。') });
    const out = await tempDir();
    expect((await runCli(['build', issue, '-o', out, '--no-cache'])).code).toBe(0);
    const html = path.join(out, `${path.basename(issue)}.html`);
    const pdf = path.join(out, `${path.basename(issue)}.pdf`);
    const before = { html: await readFile(html), pdf: await readFile(pdf) };
    await writeFile(path.join(issue, '01-report.md'), reportSource('第二版正文。'));
    // The render cannot finish in a tenth of a second: the build fails after the HTML was made.
    const failed = await runCli(['build', issue, '-o', out, '--no-cache', '--timeout', '0.1']);
    expect(failed.code).toBe(1);
    expect(await readFile(html)).toEqual(before.html);
    expect(await readFile(pdf)).toEqual(before.pdf);
    expect((await readFile(html, 'utf8')).includes('第二版')).toBe(false);
  });
});

describe('point 11: a long --timeout is a long time limit', () => {
  it('--timeout 2200000 (more than setTimeout can hold) builds', async () => {
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource('正文。') });
    const out = await tempDir();
    const result = await runCli(['build', issue, '-o', out, '--no-cache', '--timeout', '2200000']);
    expect(result.stderr).not.toMatch(/took longer than/);
    expect(result.code).toBe(0);
    expect((await readPdf(path.join(out, `${path.basename(issue)}.pdf`))).pages.length).toBeGreaterThan(2);
  });
});
