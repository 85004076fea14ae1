import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, openTab, resolveBrowserExecutable, stopBrowser } from '../../src/render/browser.js';
import { BrowserPool } from '../../src/render/pool.js';
import { useTempDirs } from '../helpers/fixtures.js';
import { readPdf } from '../helpers/pdf.js';

/** The renderer processes under `root` (Chromium forks them from its zygote, a child of the browser). */
async function renderers(root: number): Promise<number> {
  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    commands.set(Number(entry), await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''));
  }
  let count = 0;
  const stack = [root];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    if (commands.get(pid)?.includes('--type=renderer')) count++;
    stack.push(...(children.get(pid) ?? []));
  }
  return count;
}

describe('the browser a command starts', () => {
  const tempDir = useTempDirs('browser');

  it("renders with Debian's headless shell, the full browser only when asked, what PUPPETEER_EXECUTABLE_PATH names first", async () => {
    const shell = resolveBrowserExecutable({});
    expect(shell).toBe('/usr/lib/chromium/chromium-headless-shell');
    const full = resolveBrowserExecutable({}, { shell: false });
    expect(full).not.toMatch(/headless-shell/);
    expect(resolveBrowserExecutable({ PUPPETEER_EXECUTABLE_PATH: full })).toBe(full);
    const browser = await launchBrowser();
    try {
      expect(browser.process()?.spawnfile).toBe(shell);
    } finally {
      await stopBrowser(browser);
    }
  });

  it('opens one tab ahead, which the first layout takes; with keepTabAhead another once that one closes', async () => {
    for (const keepTabAhead of [false, true]) {
      const browser = await launchBrowser({ keepTabAhead });
      try {
        const tab = await openTab(browser);
        // The tab opened at the start is the one given: no second tab, and no other renderer started for it.
        expect(await browser.pages()).toEqual([tab]);
        const second = await openTab(browser);
        expect(await browser.pages()).toHaveLength(2);
        await second.close();
        await tab.close();
        await expect.poll(async () => (await browser.pages()).length, { timeout: 5000 }).toBe(keepTabAhead ? 1 : 0);
        // Still one ahead, not one per closed tab.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await browser.pages()).toHaveLength(keepTabAhead ? 1 : 0);
        // Two layouts starting at once: one takes the tab ahead, the other gets a tab of its own.
        const together = await Promise.all([openTab(browser), openTab(browser)]);
        expect(together[0]).not.toBe(together[1]);
        expect(await browser.pages()).toHaveLength(2);
      } finally {
        await stopBrowser(browser);
      }
    }
  });

  it('with sharedRenderer puts every tab in one renderer process', async () => {
    const html = path.join(await tempDir(), 'page.html');
    await writeFile(html, '<!doctype html><meta charset="utf-8"><p>公报</p>');
    const counts: Record<string, number> = {};
    for (const sharedRenderer of [false, true]) {
      const browser = await launchBrowser({ sharedRenderer });
      try {
        for (let tab = 0; tab < 4; tab++) await (await openTab(browser)).goto(pathToFileURL(html).href);
        counts[String(sharedRenderer)] = await renderers(browser.process()?.pid ?? -1);
      } finally {
        await stopBrowser(browser);
      }
    }
    // Four tabs: four renderers apart, one shared (give or take Chromium's spare renderer).
    expect(counts.false).toBeGreaterThanOrEqual(4);
    expect((counts.false ?? 0) - (counts.true ?? 0)).toBeGreaterThanOrEqual(2);
  });

  it("a pool's browser draws no animation frame in its tabs and gives them gc(), and still loads and prints; launchBrowser's own draws frames and keeps gc() hidden", async () => {
    const html = path.join(await tempDir(), 'frames.html');
    await writeFile(html, '<!doctype html><meta charset="utf-8"><style>@page { size: A6; }</style><p>公报</p>');
    const framesIn = (tab: Page) =>
      tab.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let frames = 0;
            const count = () => {
              frames++;
              requestAnimationFrame(count);
            };
            requestAnimationFrame(count);
            setTimeout(() => resolve(frames), 500);
          }),
      );
    const pool = new BrowserPool(1);
    const own = await launchBrowser();
    try {
      const tab = await openTab(await pool.browser(0));
      await tab.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      expect(await framesIn(tab)).toBe(0);
      expect(await tab.evaluate(() => typeof (globalThis as { gc?: unknown }).gc)).toBe('function');
      const pdf = path.join(path.dirname(html), 'frames.pdf');
      await writeFile(pdf, await tab.pdf({ preferCSSPageSize: true }));
      expect((await readPdf(pdf)).pages.map((page) => page.compact)).toEqual(['公报']);
      const ownTab = await openTab(own);
      expect(await framesIn(ownTab)).toBeGreaterThan(5);
      expect(await ownTab.evaluate(() => typeof (globalThis as { gc?: unknown }).gc)).toBe('undefined');
    } finally {
      await pool.close();
      await stopBrowser(own);
    }
  });
});
