import { existsSync } from 'node:fs';
import { cp, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildIssue } from '../../src/api/build.js';
import { pageScripts } from '../../src/layout/browser/index.js';
import { GazetteInputError } from '../../src/model/index.js';
import { launchBrowser, stopBrowser } from '../../src/render/browser.js';
import { layOutPage, RenderTimeoutError, renderPdf } from '../../src/render/render-pdf.js';
import { makeIssue } from '../helpers/cli.js';
import { readPdf } from '../helpers/pdf.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');

describe('faults while rendering', () => {
  it('a browser killed mid-render fails the build clearly and leaves the previous PDF as it was', async () => {
    // Chromium's socket folder in the temp folder (org.chromium.*), linked from its profile (other tests'
    // browsers have theirs meanwhile); the headless shell keeps none.
    const socketDir = async (of: Browser) => {
      const profile = of
        .process()
        ?.spawnargs.find((arg) => arg.startsWith('--user-data-dir='))
        ?.split('=')[1];
      const socket = await readlink(path.join(profile ?? '', 'SingletonSocket')).catch(() => undefined);
      return socket && path.dirname(socket);
    };
    const browser = await launchBrowser();
    const outDir = path.join(path.dirname(await makeIssue({})), 'out');
    const first = await buildIssue(fixture, { outDir, browser });
    const before = await readFile(first.pdfPath);
    const killer = await launchBrowser();
    let killed = false;
    const build = buildIssue(fixture, {
      outDir,
      browser: killer,
      logger: {
        progress: (message) => {
          if (!killed && message.includes('paged.js layout')) {
            killed = true;
            killer.process()?.kill('SIGKILL');
          }
        },
        warn() {},
        info() {},
      },
    });
    await expect(build).rejects.toThrow(/Chromium exited while laying out .*crashed or was killed/);
    expect(killed).toBe(true);
    const sockets = [await socketDir(browser), await socketDir(killer)].filter((dir) => dir !== undefined);
    for (const dir of sockets) expect(path.dirname(dir)).toBe(os.tmpdir());
    expect(await readFile(first.pdfPath)).toEqual(before);
    expect((await readdir(outDir)).sort()).toEqual(['mini-2024-01.html', 'mini-2024-01.pdf']);
    await stopBrowser(browser);
    await stopBrowser(killer);
    // Killed, Chromium leaves its socket's folder in the temp folder: stopping it removes that too.
    for (const dir of sockets) expect(existsSync(dir)).toBe(false);
  });

  it('sources the check refuses stop the build before a page is laid out: its message, nothing written', async () => {
    const dir = path.join(path.dirname(await makeIssue({})), 'mini-2024-01');
    await cp(fixture, dir, { recursive: true });
    const report = path.join(dir, '02-report-old-housing.md');
    await writeFile(report, `${await readFile(report, 'utf8')}\n待补充\n`);
    const outDir = path.join(dir, 'out');
    const steps: string[] = [];
    const browser = await launchBrowser();
    try {
      const build = buildIssue(dir, {
        outDir,
        browser,
        logger: { progress() {}, warn() {}, info() {}, step: (step) => steps.push(step) },
      });
      await expect(build).rejects.toThrow(GazetteInputError);
      await expect(build).rejects.toThrow(/02-report-old-housing\.md:\d+:1.*待补充/);
      // Checked first (checking beside the layout was no faster, and told of the error seconds later).
      expect(steps).toEqual([]);
      expect(existsSync(outDir) ? await readdir(outDir) : []).toEqual([]);
      expect((await browser.pages()).map((page) => page.url()).filter((url) => url !== 'about:blank')).toEqual([]);
    } finally {
      await stopBrowser(browser);
    }
  });

  it('a render over its time limit stops the browser and says so', async () => {
    const browser = await launchBrowser();
    const dir = await makeIssue({});
    const html = path.join(dir, 'slow.html');
    await writeFile(html, '<!doctype html><p>正文</p>');
    // A layout that never ends: a handler script that loops.
    const loop = path.join(dir, 'loop.js');
    await writeFile(loop, 'for (;;) {}');
    const render = renderPdf(browser, html, { scripts: [loop], allowedFiles: [], timeoutMs: 1500 });
    await expect(render).rejects.toBeInstanceOf(RenderTimeoutError);
    await expect(render).rejects.toThrow(/took longer than 2 s.*--timeout.*stopped/);
    expect(browser.connected).toBe(false);
    expect(browser.process()?.exitCode !== null || browser.process()?.signalCode !== null).toBe(true);
  });

  it('an error in the work done while the pages print fails the print with it, and nothing goes unheard', async () => {
    const browser = await launchBrowser();
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on('unhandledRejection', listen);
    try {
      const dir = await makeIssue({});
      const html = path.join(dir, 'page.html');
      await writeFile(html, '<!doctype html><p>正文</p>');
      const layout = await layOutPage(browser, html, { scripts: pageScripts, allowedFiles: [] });
      await expect(
        layout.print({
          whilePrinting: () => {
            throw new Error('the issue page could not be made');
          },
        }),
      ).rejects.toThrow('the issue page could not be made');
      await layout.close();
      // The print under way when the tab closed fails: it must not reach the process as an unhandled rejection.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(unheard).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
      await stopBrowser(browser);
    }
  });

  it('refuses every request but the allowed local files: no remote image, no /etc/passwd', async () => {
    const browser = await launchBrowser();
    const dir = await makeIssue({});
    const html = path.join(dir, 'page.html');
    await writeFile(
      html,
      '<!doctype html><p>正文</p><img src="https://example.com/x.png"><img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><iframe src="file:///etc/hostname"></iframe>',
    );
    const messages: string[] = [];
    try {
      const rendered = await renderPdf(browser, html, {
        scripts: [],
        allowedFiles: [],
        onPageMessage: (text) => messages.push(text),
      });
      expect(rendered.pdf.length).toBeGreaterThan(0);
    } finally {
      await stopBrowser(browser);
    }
    // Each is refused and reported: by the request allow-list, or before it by the page's
    // Content-Security-Policy (the browser's message names the address).
    for (const url of [
      'https://example.com/x.png',
      'file:///etc/passwd',
      'http://127.0.0.1:9/x.css',
      'file:///etc/hostname',
    ]) {
      expect(
        messages.some(
          (text) =>
            text === `refused request to ${url}` || (text.includes(url) && text.includes('Content Security Policy')),
        ),
        url,
      ).toBe(true);
    }
  });

  it('two builds of the same issue at once both finish, and the PDF is whole', async () => {
    const browser = await launchBrowser();
    const outDir = path.join(path.dirname(await makeIssue({})), 'out');
    try {
      const [a, b] = await Promise.all([
        buildIssue(fixture, { outDir, browser }),
        buildIssue(fixture, { outDir, browser }),
      ]);
      expect(a.pdfPath).toBe(b.pdfPath);
      // Whole: every page reads back with its text, as a build alone writes it (not two writers' bytes mixed).
      const alone = await buildIssue(fixture, { outDir: path.join(outDir, 'alone'), browser });
      const [together, single] = await Promise.all([readPdf(a.pdfPath), readPdf(alone.pdfPath)]);
      expect(together.pages.length).toBe(a.pageCount);
      expect(together.pages.map((page) => page.compact)).toEqual(single.pages.map((page) => page.compact));
      expect(await readFile(a.pdfPath)).toEqual(await readFile(alone.pdfPath));
    } finally {
      await stopBrowser(browser);
    }
  });
});
