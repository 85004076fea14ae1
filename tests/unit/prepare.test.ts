import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareIssue } from '../../src/api/prepare.js';
import { GazetteInputError } from '../../src/model/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const tempDir = useTempDirs('prepare');

/** A copy of the mini issue with one document's text changed. */
async function editedCopy(file: string, edit: (text: string) => string): Promise<string> {
  const dir = path.join(await tempDir(), 'mini-2024-01');
  await cp(fixture, dir, { recursive: true });
  await writeFile(path.join(dir, file), edit(await readFile(path.join(dir, file), 'utf8')));
  return dir;
}

function capturingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { progress() {}, info() {}, warn: (message: string) => warnings.push(message) } };
}

describe('prepareIssue, the front door of build, toc, index, archive and preview', () => {
  it('warns which characters are printed in a fallback face', async () => {
    // Ⅲ is in Noto Serif SC; an Extension B character is not.
    const dir = await editedCopy('04-announcement.md', (text) => text.replace('特此公告。', '特此公告（第Ⅲ号𠀀）。'));
    const { warnings, logger } = capturingLogger();
    const { laidOut } = await prepareIssue(dir, { logger });
    expect(laidOut.fallbackCharacters).toEqual(['𠀀']);
    expect(warnings).toEqual(['mini-2024-01: characters printed in a fallback face: 𠀀']);
  });

  it('stops on the errors `gazette check` finds, with file:line:col (so toc and index stop as build does)', async () => {
    const dir = await editedCopy('03-resolution.md', (text) => `${text}\n会议于2024年2月30日召开。\n`);
    const error = await prepareIssue(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GazetteInputError);
    expect((error as GazetteInputError).message).toMatch(/03-resolution\.md:\d+:\d+: error invalid-date/);
  });

  it('reads in the encoding asked for', async () => {
    const dir = await editedCopy('04-announcement.md', (text) => text);
    const file = path.join(dir, '04-announcement.md');
    const { default: iconv } = await import('iconv-lite');
    await writeFile(file, iconv.encode(await readFile(file, 'utf8'), 'gb18030'));
    await expect(prepareIssue(dir)).rejects.toThrow(/source-encoding/);
    const { issue } = await prepareIssue(dir, { encoding: 'gb18030' });
    expect(String(issue.documents[3]?.file.value)).toContain('特此公告。');
  });
});

describe('build --all', () => {
  it('builds the issues sources lists, and stops on an unreadable issue.yml before starting a browser', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'issues', 'not-an-issue'), { recursive: true });
    await mkdir(path.join(cwd, 'issues', 'broken-2024-01'), { recursive: true });
    await writeFile(path.join(cwd, 'issues', 'broken-2024-01', 'issue.yml'), 'year: twenty\n');
    const result = await runCli(['build', '--all'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/issues\/broken-2024-01\/issue\.yml:1:\d+: error issue-config/);
    expect(result.stderr).not.toContain('not-an-issue');
  });
});
