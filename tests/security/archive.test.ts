import { cp, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveManifest, archiveIssue, verifyArchive } from '../../src/api/archive.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';

/**
 * The archive holds copies, never links; `verify` rebuilds every revision and both editions, so a file replaced
 * together with its hash in the manifest is caught; links, a damaged manifest and an archive without editions
 * fail with a message.
 */
const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const env = useBrowserAndTempDir('security-archive');
const manifestOf = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ArchiveManifest;
const sha256 = async (file: string) =>
  (await import('node:crypto'))
    .createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** A copy of the archive with `file` replaced by `bytes` and its hash written into the manifest. */
async function forge(dir: string, name: string, file: string, bytes: Uint8Array): Promise<string> {
  const copy = path.join(env.dir, name);
  await cp(dir, copy, { recursive: true });
  await writeFile(path.join(copy, file), bytes);
  const manifest = await manifestOf(copy);
  manifest.files[file] = await sha256(path.join(copy, file));
  await writeFile(path.join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return copy;
}

describe('point 3: the archive holds copies, and verify rebuilds every revision and edition', () => {
  let source: string;
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    source = path.join(env.dir, 'mini-2024-01');
    await cp(fixture, source, { recursive: true });
    outside = path.join(env.dir, 'elsewhere');
    await mkdir(outside);
    // A document reached through a link inside the issue (to a file inside it): archived as its content.
    await cp(path.join(source, '05-attendance.md'), path.join(source, 'attendance.txt'));
    await writeFile(path.join(outside, 'note.txt'), '外部文件');
    await symlink(path.join(outside, 'note.txt'), path.join(source, 'note.txt'));
    const archiveRoot = path.join(env.dir, 'archive');
    dir = (await archiveIssue(source, { archiveRoot, browser: env.browser })).dir;
    const agenda = path.join(source, '01-agenda.md');
    await writeFile(agenda, `${await readFile(agenda, 'utf8')}\n3. 其他事项。\n`);
    await expect(archiveIssue(source, { archiveRoot, browser: env.browser, revision: true })).rejects.toThrow(
      /更正说明/,
    );
    await archiveIssue(source, { archiveRoot, browser: env.browser, revision: true, reason: '更正议程第三项' });
  });

  it('archives files, not links, leaves out a link to a file outside, and records the revision reason', async () => {
    const manifest = await manifestOf(dir);
    expect(manifest.revisions.map((revision) => revision.reason)).toEqual([undefined, '更正议程第三项']);
    const copied = path.join(dir, 'r1/sources/mini-2024-01');
    expect((await lstat(path.join(copied, '01-agenda.md'))).isFile()).toBe(true);
    await expect(lstat(path.join(copied, 'note.txt'))).rejects.toThrow();
    expect(Object.keys(manifest.files)).not.toContain('r1/sources/mini-2024-01/note.txt');
  });

  it('an altered r1 print PDF with its hash updated in the manifest fails', async () => {
    const r2 = await readFile(path.join(dir, 'r2/mini-2024-01.pdf'));
    const copy = await forge(dir, 'forged-r1', 'r1/mini-2024-01.pdf', r2);
    const report = await verifyArchive(copy, { browser: env.browser });
    expect(report.changed).toEqual([]);
    expect(report.revisions.find((revision) => revision.revision === 1)?.print).toBe(false);
    expect(report.ok).toBe(false);
  });

  it('a replaced PDF/A edition of the latest revision with its hash updated fails', async () => {
    const r1 = await readFile(path.join(dir, 'r1/mini-2024-01.pdfa.pdf'));
    const copy = await forge(dir, 'forged-pdfa', 'r2/mini-2024-01.pdfa.pdf', r1);
    const report = await verifyArchive(copy, { browser: env.browser });
    expect(report.revisions.find((revision) => revision.revision === 2)).toMatchObject({ print: true, pdfa: false });
    expect(report.ok).toBe(false);
  });

  it('the untouched archive verifies: every revision rebuilt to the same bytes', async () => {
    const report = await verifyArchive(dir, { browser: env.browser });
    expect(report.revisions).toEqual([
      { revision: 1, print: true, pdfa: true },
      { revision: 2, print: true, pdfa: true },
    ]);
    expect(report.ok).toBe(true);
  });

  it('a symbolic link added inside the archive is reported', async () => {
    const copy = path.join(env.dir, 'linked');
    await cp(dir, copy, { recursive: true });
    await symlink('/etc/hostname', path.join(copy, 'r1/sources/mini-2024-01/hostname'));
    const report = await verifyArchive(copy, { rebuild: false });
    expect(report.links).toEqual(['r1/sources/mini-2024-01/hostname']);
    expect(report.ok).toBe(false);
  });
});

describe('point 11: a damaged manifest or one without editions', () => {
  it('a truncated manifest.json gets a message, not a JavaScript error', async () => {
    const copy = path.join(env.dir, 'truncated');
    await mkdir(copy, { recursive: true });
    await writeFile(path.join(copy, 'manifest.json'), '{"issue": "mini-2024-01", "revis');
    const result = await runCli(['verify', copy, '--no-rebuild']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/manifest\.json: damaged manifest \(not valid JSON/);
    expect(result.stderr).not.toMatch(/SyntaxError|at JSON\.parse/);
  });

  it('an archive with no editions does not verify', async () => {
    const copy = path.join(env.dir, 'empty');
    await mkdir(copy, { recursive: true });
    await writeFile(
      path.join(copy, 'manifest.json'),
      JSON.stringify({ issue: 'x', title: 'x', revisions: [], files: {} }),
    );
    const result = await runCli(['verify', copy]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/lists no editions/);
  });
});
