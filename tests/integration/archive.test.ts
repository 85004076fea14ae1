import { execFileSync } from 'node:child_process';
import { cp, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveManifest, ArchiveRefusedError, archiveIssue, verifyArchive } from '../../src/api/archive.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { pdffonts, readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');

const env = useBrowserAndTempDir('archive-test');

const manifestOf = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ArchiveManifest;

describe('gazette archive and verify', () => {
  let source: string;
  let archiveRoot: string;
  let dir: string;

  beforeAll(async () => {
    source = path.join(env.dir, 'mini-2024-01');
    archiveRoot = path.join(env.dir, 'archive');
    await cp(fixture, source, { recursive: true });
    const outcome = await archiveIssue(source, {
      archiveRoot,
      browser: env.browser,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    dir = outcome.dir;
    expect(outcome.status).toBe('archived');
  });

  it('writes the print PDF, the PDF/A edition, the sources and a manifest of sha256 sums', async () => {
    const manifest = await manifestOf(dir);
    expect(manifest.revisions).toHaveLength(1);
    expect(manifest.revisions[0]).toMatchObject({
      revision: 1,
      buildDate: '2024-03-14T16:00:00.000Z',
      archivedAt: '2026-01-02T03:04:05.000Z',
      print: 'r1/mini-2024-01.pdf',
      pdfa: 'r1/mini-2024-01.pdfa.pdf',
      press: 'r1/mini-2024-01.press.pdf',
      tool: { name: 'gazette' },
    });
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining([
        'r1/mini-2024-01.pdf',
        'r1/mini-2024-01.pdfa.pdf',
        'r1/mini-2024-01.press.pdf',
        'r1/sources/mini-2024-01/issue.yml',
      ]),
    );
    expect(Object.values(manifest.files).every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
  });

  it('keeps the press edition beside it, PDF/X-3 as poppler reads it', () => {
    const info = execFileSync('pdfinfo', [path.join(dir, 'r1/mini-2024-01.press.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/PDF subtype:\s+PDF\/X-3:2002/);
  });

  it('makes a PDF/A-2b edition with XMP, output intent, ID and embedded TrueType fonts', async () => {
    // Read by other tools than the one that wrote it: poppler's XMP, qpdf's structure check, pdfjs's text.
    const pdfaPath = path.join(dir, 'r1/mini-2024-01.pdfa.pdf');
    const xmp = execFileSync('pdfinfo', ['-meta', pdfaPath], { encoding: 'utf8' });
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(execFileSync('qpdf', ['--check', pdfaPath], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    const [pdfa, print] = await Promise.all([readPdf(pdfaPath), readPdf(path.join(dir, 'r1/mini-2024-01.pdf'))]);
    const chinese = (page: { compact: string }) => page.compact.replace(/[^\p{Script=Han}\d]/gu, '');
    expect(pdfa.pages.map(chinese)).toEqual(print.pages.map(chinese));
    expect(pdfa.outline).toEqual(print.outline);
    expect(
      pdffonts(path.join(dir, 'r1/mini-2024-01.pdfa.pdf')).filter((font) => !font.embedded || font.type === 'Type 3'),
    ).toEqual([]);
  });

  // Ghostscript 10.0's new PDF interpreter wrote wrong ToUnicode maps ("（3）" read as "ÿ3Ā"); the PostScript
  // one (-dNEWPDF=false, src/pdf/ghostscript.ts) keeps them.
  it('keeps the full-width punctuation readable in the PDF/A edition (its ToUnicode maps)', async () => {
    const [pdfa, print] = await Promise.all([
      readPdf(path.join(dir, 'r1/mini-2024-01.pdfa.pdf')),
      readPdf(path.join(dir, 'r1/mini-2024-01.pdf')),
    ]);
    expect(pdfa.pages.map((page) => page.compact)).toEqual(print.pages.map((page) => page.compact));
  });

  it('is reproducible: archiving the same sources again changes nothing', async () => {
    const before = await manifestOf(dir);
    const again = await archiveIssue(source, { archiveRoot, browser: env.browser });
    expect(again.status).toBe('unchanged');
    expect(await manifestOf(dir)).toEqual(before);
  });

  it('refuses a different PDF without --revision, keeps both with it', async () => {
    const agenda = path.join(source, '01-agenda.md');
    await writeFile(agenda, `${await readFile(agenda, 'utf8')}\n3. 其他事项。\n`);
    await expect(archiveIssue(source, { archiveRoot, browser: env.browser })).rejects.toBeInstanceOf(
      ArchiveRefusedError,
    );
    expect((await manifestOf(dir)).revisions).toHaveLength(1);
    const revised = await archiveIssue(source, {
      archiveRoot,
      browser: env.browser,
      revision: true,
      reason: '补充议程',
    });
    expect(revised.status).toBe('revised');
    const manifest = await manifestOf(dir);
    expect(manifest.revisions.map((revision) => revision.revision)).toEqual([1, 2]);
    expect(manifest.files['r1/mini-2024-01.pdf']).not.toBe(manifest.files['r2/mini-2024-01.pdf']);
  });

  it('verifies, and rebuilds the same PDF from the archived sources', async () => {
    const report = await verifyArchive(dir, { browser: env.browser });
    expect(report).toMatchObject({ changed: [], missing: [], extra: [], reproduced: true, ok: true });
  });

  it('gazette verify from the command line: ok and exit 0, then FAILED and exit 1 on a changed file', async () => {
    const verified = await runCli(['verify', dir]);
    expect(verified).toMatchObject({ code: 0 });
    // Every revision rebuilt from its own sources, both editions compared.
    expect(verified.stdout.split('\n')).toEqual([
      'rebuilt r1: print PDF same, PDF/A same',
      'rebuilt r2: print PDF same, PDF/A same',
      `${dir}: ok`,
      '',
    ]);
    const copy = path.join(env.dir, 'changed-by-hand');
    await cp(dir, copy, { recursive: true });
    await writeFile(path.join(copy, 'r1/sources/mini-2024-01/issue.yml'), 'changed: by hand\n');
    const failed = await runCli(['verify', copy, '--no-rebuild']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('changed: r1/sources/mini-2024-01/issue.yml');
    expect(failed.stdout).toContain(`${copy}: FAILED`);
    expect(failed.stderr).toContain('the archive does not verify');
  });

  it('catches a flipped byte, a removed file and an added file', async () => {
    const copy = path.join(env.dir, 'tampered');
    await cp(dir, copy, { recursive: true });
    const pdf = path.join(copy, 'r1/mini-2024-01.pdf');
    const bytes = await readFile(pdf);
    bytes[1000] = (bytes[1000] ?? 0) ^ 0x01;
    await writeFile(pdf, bytes);
    await unlink(path.join(copy, 'r1/sources/mini-2024-01/05-attendance.md'));
    await writeFile(path.join(copy, 'r2/notes.txt'), 'added later');
    const report = await verifyArchive(copy, { browser: env.browser, rebuild: false });
    expect(report).toMatchObject({
      changed: ['r1/mini-2024-01.pdf'],
      missing: ['r1/sources/mini-2024-01/05-attendance.md'],
      extra: ['r2/notes.txt'],
      ok: false,
    });
  });
});
