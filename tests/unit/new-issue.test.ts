import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NewIssueRefusedError, newIssue } from '../../src/api/new-issue.js';
import { checkIssue } from '../../src/check/index.js';
import { main } from '../../src/cli/index.js';
import { readIssue } from '../../src/sources/read-issue.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const publication = '上海市示范区人民代表大会常务委员会公报';
/** 2 September 2024 in Shanghai, still 1 September in UTC. */
const now = new Date('2024-09-01T18:00:00Z');

const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp issues folder with a copy of the fixture per issue number given (`mini-2024-0N`). */
async function issuesFolder(numbers: number[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gazette-new-'));
  created.push(dir);
  for (const number of numbers) {
    const target = path.join(dir, `mini-2024-${String(number).padStart(2, '0')}`);
    await cp(fixture, target, { recursive: true });
    const config = path.join(target, 'issue.yml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^number: \d+$/m, `number: ${number}`));
  }
  return dir;
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NewIssueRefusedError);
  return (error as Error).message;
}

describe('gazette new', () => {
  it('takes the next number of the publication and year, and copies its fields', async () => {
    const issuesDir = await issuesFolder([1, 2]);
    const result = await newIssue('mini-2024-03', { issuesDir, now });
    expect(result.dir).toBe(path.join(issuesDir, 'mini-2024-03'));
    expect(result.template?.id).toBe('mini-2024-02');
    expect(result.config).toMatchObject({
      publication,
      issuer: '上海市示范区人民代表大会常务委员会',
      year: 2024,
      number: 3,
      date: '2024-09-02',
      profile: 'one-column',
      pageSize: 'A4',
      meetings: [{ number: 6, name: '示范区第一届人大常委会第六次会议', date: '2024-09-02' }],
    });
    expect((await readdir(result.dir)).sort()).toEqual(['06-01-agenda.md', '06-90-attendance.md', 'issue.yml']);
    const yml = await readFile(path.join(result.dir, 'issue.yml'), 'utf8');
    expect(yml).toMatch(/^number: 3$/m);
    expect(yml).toMatch(/# TODO: the meeting's name and date/);

    // The scaffold counts: the next one is 4.
    expect((await newIssue('mini-2024-04', { issuesDir, now })).config.number).toBe(4);
  });

  it('starts again at 1 in a later year, from the id or --year', async () => {
    const issuesDir = await issuesFolder([1, 2]);
    const fromId = await newIssue('mini-2025-01', { issuesDir, now });
    expect(fromId.config).toMatchObject({ year: 2025, number: 1, publication });
    const fromFlag = await newIssue('mini-next', { issuesDir, now, year: 2026 });
    expect(fromFlag.config).toMatchObject({ year: 2026, number: 1 });
    // Neither: the clock's year, 2024, where the numbers go on.
    expect((await newIssue('mini-later', { issuesDir, now })).config).toMatchObject({ year: 2024, number: 3 });
    expect(await refusal(newIssue('mini-2025-02', { issuesDir, now, year: 2026 }))).toContain('names 2025');
  });

  it('refuses to overwrite an existing issue, and the CLI exits 1 saying so', async () => {
    const issuesDir = await issuesFolder([1]);
    const config = path.join(issuesDir, 'mini-2024-01', 'issue.yml');
    const before = await readFile(config, 'utf8');
    expect(await refusal(newIssue('mini-2024-01', { issuesDir, now }))).toMatch(/mini-2024-01 already exists/);

    const stderr: string[] = [];
    const code = await main(['new', 'mini-2024-01', '--issues', issuesDir], {
      cwd: issuesDir,
      logger: { progress() {}, warn() {}, info() {} },
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
    });
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(/already exists: gazette new never overwrites an issue/);
    expect(await readFile(config, 'utf8')).toBe(before);
    expect(await readdir(issuesDir)).toEqual(['mini-2024-01']);
  });

  it('writes a scaffold that readIssue reads and gazette check passes', async () => {
    const issuesDir = await issuesFolder([1]);
    const stdout: string[] = [];
    const code = await main(['new', 'mini-2024-02', '--issues', issuesDir], {
      cwd: issuesDir,
      logger: { progress() {}, warn() {}, info() {} },
      stdout: (line) => stdout.push(line),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(stdout.join('\n')).toMatch(/mini-2024-02: 2024年第2期 \(fields from mini-2024-01\), meeting 6/);
    const issue = await readIssue(path.join(issuesDir, 'mini-2024-02'));
    expect(issue.config.number).toBe(2);
    expect(issue.documents.map((document) => [document.id, document.meta.kind, document.meta.meeting])).toEqual([
      ['06-01-agenda', 'agenda', 6],
      ['06-90-attendance', 'attendance', 6],
    ]);
    expect(issue.documents[0]?.meta.title).toBe('示范区第一届人大常委会第六次会议议程');
    expect(String(issue.documents[1]?.file.value)).toContain(':::names');
    const { findings } = await checkIssue(path.join(issuesDir, 'mini-2024-02'));
    // What is left to fill in, and nothing else.
    const errors = findings.filter((finding) => finding.fatal === true).map((finding) => finding.ruleId);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set(['placeholder']));
  });

  it('needs --publication and --issuer for a first issue', async () => {
    const issuesDir = await issuesFolder([]);
    expect(await refusal(newIssue('minhang-2025-01', { issuesDir, now }))).toMatch(/--publication and --issuer/);
    const result = await newIssue('minhang-2025-01', {
      issuesDir,
      now,
      publication: '上海市闵行区人民代表大会常务委员会公报',
      issuer: '上海市闵行区人民代表大会常务委员会',
      profile: 'two-column',
    });
    expect(result.config).toMatchObject({ year: 2025, number: 1, profile: 'two-column', pageSize: 'A4' });
    expect(result.config.meetings[0]).toMatchObject({
      number: 1,
      name: '上海市闵行区人民代表大会常务委员会第一次会议',
    });
    const issue = await readIssue(result.dir);
    expect(issue.config).toMatchObject({
      publication: '上海市闵行区人民代表大会常务委员会公报',
      issuer: '上海市闵行区人民代表大会常务委员会',
      year: 2025,
      number: 1,
      profile: 'two-column',
    });
    expect(issue.documents.map((document) => [document.meta.kind, document.meta.meeting])).toEqual([
      ['agenda', 1],
      ['attendance', 1],
    ]);
    // Only what is left to fill in.
    const { findings } = await checkIssue(result.dir);
    const errors = findings.filter((finding) => finding.fatal === true).map((finding) => finding.ruleId);
    expect(new Set(errors)).toEqual(new Set(['placeholder']));
  });

  it('tells publications apart by --from, --publication or the id, and refuses to guess', async () => {
    const issuesDir = await issuesFolder([1, 2]);
    const other = path.join(issuesDir, 'other-2024-07');
    await cp(fixture, other, { recursive: true });
    const config = path.join(other, 'issue.yml');
    await writeFile(
      config,
      (await readFile(config, 'utf8'))
        .replaceAll('示范区', '样板区')
        .replace(/^number: \d+$/m, 'number: 7')
        .replace('profile: one-column', 'profile: two-column'),
    );

    expect(await refusal(newIssue('next-2024', { issuesDir, now }))).toMatch(/2 publications/);
    expect((await newIssue('other-2024-08', { issuesDir, now })).config).toMatchObject({
      number: 8,
      profile: 'two-column',
    });
    expect((await newIssue('x-2024', { issuesDir, now, publication })).config.number).toBe(3);
    // --from chooses the issue whose fields and last meeting are copied; the number follows its publication.
    const from = await newIssue('y-2024', { issuesDir, now, from: path.join(issuesDir, 'mini-2024-01') });
    expect(from.template?.id).toBe('mini-2024-01');
    expect(from.config).toMatchObject({ publication, number: 4, meetings: [{ number: 6 }] });
    expect(await refusal(newIssue('z-2024', { issuesDir, now, from: path.join(issuesDir, 'nope') }))).toMatch(
      /Unexpected --from .*nope: no issue folder/,
    );
  });
});
