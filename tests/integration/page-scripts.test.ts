import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confinePage } from '../../src/render/browser.js';
import { useBrowserAndTempDir } from '../helpers/browser.js';

/**
 * paged.js starts right after our handlers are added: a module script that had not run yet by then left some
 * parts of an issue laid out without them (a signature pushed alone onto a page, now and then, under load).
 */
const env = useBrowserAndTempDir('page-scripts');

async function confinedPage(scripts: Record<string, string>) {
  const html = path.join(env.dir, 'page.html');
  await writeFile(html, '<!doctype html><html><head></head><body><p>正文</p></body></html>');
  const files = Object.keys(scripts).map((name) => path.join(env.dir, name));
  for (const [name, text] of Object.entries(scripts)) await writeFile(path.join(env.dir, name), text);
  const page = await env.browser.newPage();
  const confined = await confinePage(page, html, { allowedFiles: files });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  return { page, confined, files };
}

describe('scripts added to a confined page', () => {
  it('a module script has run when addScript returns', async () => {
    const { page, confined, files } = await confinedPage({
      'handlers.js': 'window.registered = (window.registered ?? 0) + 1;\nexport {};\n',
    });
    try {
      await confined.addScript(files[0] as string, 'module');
      // Read in the same task as the return: a module still queued would leave it undefined.
      expect(await page.evaluate(() => (window as unknown as { registered?: number }).registered)).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('a module script that throws makes addScript fail with its message', async () => {
    const { page, confined, files } = await confinedPage({
      'broken.js': "throw new Error('Paged is not defined here');\nexport {};\n",
    });
    try {
      await expect(confined.addScript(files[0] as string, 'module')).rejects.toThrow(/Paged is not defined here/);
    } finally {
      await page.close();
    }
  });
});
