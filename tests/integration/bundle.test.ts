import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const env = useBrowserAndTempDir('bundle');

describe('the command as installed: bin/gazette.js runs the bundle (scripts/bundle.js, `npm run compile`)', () => {
  it('builds the same PDF and HTML, byte for byte, as the build run from the sources', async () => {
    const bundled = path.join(env.dir, 'bundled');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/gazette.js', 'build', fixture, '-o', bundled, '--no-cache', '--json'],
      { encoding: 'utf8', env: { ...process.env, GAZETTE_LANG: 'en' } },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ pages: expect.any(Number) });
    const own = await buildIssue(fixture, { outDir: path.join(env.dir, 'sources'), browser: env.browser });
    for (const file of [own.pdfPath, own.htmlPath]) {
      const fromBundle = await readFile(path.join(bundled, path.basename(file)));
      expect(Buffer.compare(fromBundle, await readFile(file))).toBe(0);
    }
  });
});
