import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { newIssue } from '../../src/api/new-issue.js';
import { checkIssue } from '../../src/check/index.js';
import { formatMessage } from '../../src/model/index.js';
import { runCli } from '../helpers/cli.js';
import { documentSource, twoMeetingIssueYml, useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('safety');
const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');

/** An issue folder of these files, in a temp dir. */
async function issue(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

function doc(meeting: number, body: string, fields: string[] = []): string {
  return documentSource(body, fields, { meeting });
}

/** `file:line:col rule` of each finding, the file as its base name. */
async function found(dir: string): Promise<string[]> {
  const { findings } = await checkIssue(dir);
  return findings.map(
    (message) => `${path.basename(message.file ?? '')}:${message.line}:${message.column} ${message.ruleId}`,
  );
}

describe('check: nothing unfinished passes', () => {
  test('an untouched scaffold fails check, each placeholder and note at its place', async () => {
    const issuesDir = await tempDir();
    await cp(fixture, path.join(issuesDir, 'mini-2024-01'), { recursive: true });
    const result = await newIssue('mini-2024-02', { issuesDir, now: new Date('2026-11-29T04:00:00Z') });
    const findings = await found(result.dir);
    const agenda = result.files.find((name) => name.endsWith('agenda.md')) as string;
    const agendaText = (await readFile(path.join(result.dir, agenda), 'utf8')).split('\n');
    const line = agendaText.findIndex((text) => text.includes('待填写')) + 1;
    const column = (agendaText[line - 1] as string).indexOf('待填写') + 1;
    expect(findings).toContain(`${agenda}:${line}:${column} placeholder`);
    expect(findings.filter((text) => text.endsWith(' placeholder')).length).toBeGreaterThanOrEqual(6);
    // The CLI exits 1.
    const cli = await runCli(['check', result.dir]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/error placeholder Unexpected placeholder `待填写`/);
  });

  test('the scaffold of a past year is dated in that year, and its files sort in meeting order', async () => {
    const issuesDir = await tempDir();
    await cp(fixture, path.join(issuesDir, 'mini-2024-01'), { recursive: true });
    const result = await newIssue('mini-2024-02', { issuesDir, now: new Date('2026-11-29T04:00:00Z') });
    expect(result.config.date.slice(0, 4)).toBe('2024');
    expect(result.config.meetings[0]?.date.slice(0, 4)).toBe('2024');
    const yml = await readFile(path.join(result.dir, 'issue.yml'), 'utf8');
    expect(yml).toMatch(/^date: 2024-/m);
    expect(yml).not.toMatch(/2026/);
    // Files carry their meeting first: another meeting's documents (07-…) sort after all of meeting 6's.
    const meeting = result.config.meetings[0]?.number as number;
    const names = (await readdir(result.dir)).filter((name) => name.endsWith('.md'));
    const next = `${String(meeting + 1).padStart(2, '0')}-01-agenda.md`;
    expect([...names, next].sort().at(-1)).toBe(next);
  });

  test('review marks, body # headings, date and meeting mismatches, files out of meeting order', async () => {
    const yml = twoMeetingIssueYml
      .replace('date: 2024-08-30', 'date: 2026-11-29')
      .replace('name: 虹口区第十七届人大常委会第二十二次会议', 'name: 虹口区第十七届人大常委会第二十三次会议');
    const dir = await issue({
      'issue.yml': yml,
      '01-report.md': doc(21, '正文。\n\n# 一、基本情况\n\n正文二。', [
        'occasion: 2024年5月29日在虹口区第十七届人大常委会第二十一次会议上',
      ]),
      '02-report.md': doc(22, '正文三。', ['author: 张三 # REVIEW: guessed from the last line']),
      '03-report.md': doc(21, '正文四。'),
    });
    const findings = await found(dir);
    expect(findings).toEqual(
      expect.arrayContaining([
        'issue.yml:5:7 issue-date',
        'issue.yml:12:11 meeting-number',
        '01-report.md:5:11 meeting-date',
        '01-report.md:10:1 body-heading',
        '02-report.md:5:12 review-mark',
        '03-report.md:3:1 document-order',
      ]),
    );
    // The messages say what to change.
    const { findings: messages } = await checkIssue(dir);
    const text = messages.map(formatMessage).join('\n');
    expect(text).toMatch(
      /meeting-date Unexpected `2024年5月29日` for meeting 21, expected its date in issue\.yml \(2024年5月21日\)/,
    );
    expect(text).toMatch(/document-order .*after 02-report\.md \(meeting 22\)/);
  });

  test('a finished issue has none of these', async () => {
    expect(await found(path.resolve('issues/baoshan-2024-03'))).toEqual([]);
  });
});
