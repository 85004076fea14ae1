import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, stopBrowser } from '../../src/render/browser.js';

/**
 * One real Chromium and one temp folder for a test file, started before its tests and removed after them.
 * Read `browser` and `dir` inside tests or hooks (they are set once `beforeAll` ran).
 */
export function useBrowserAndTempDir(prefix: string): { readonly browser: Browser; readonly dir: string } {
  const state = {} as { browser: Browser; dir: string };
  beforeAll(async () => {
    state.browser = await launchBrowser();
    state.dir = await mkdtemp(path.join(os.tmpdir(), `gazette-${prefix}-`));
  });
  afterAll(async () => {
    // stopBrowser, not close(): it removes the browser's profile folder too.
    if (state.browser) await stopBrowser(state.browser);
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}
