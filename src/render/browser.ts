import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { makeScratchDir, removeScratchDir } from './scratch.js';

/**
 * Where Debian, Ubuntu and common installs put Chromium or Chrome, tried in order. Debian's headless shell
 * (package chromium-headless-shell, the same Chromium without the browser's windowing layers) comes first: it
 * prints the same PDF byte for byte, and its start and first tab take a small part of the CPU the full
 * browser's do, which a build otherwise takes from reading the sources on a two-core machine.
 */
const knownBrowserPaths = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

export class BrowserNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      [
        'No Chromium found to render the PDF. Install it (Debian: `apt-get install chromium-headless-shell`) or set',
        `PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome binary. Looked at: ${tried.join(', ')}`,
      ].join(' '),
    );
    this.name = 'BrowserNotFoundError';
  }
}

/**
 * The one place the browser binary is chosen: PUPPETEER_EXECUTABLE_PATH, then the known paths. `shell: false`
 * skips the headless shell, for a browser that behaves as a person's does (a tab behind another is hidden and
 * gets no animation frames: what the preview's page meets in the office's browser).
 */
export function resolveBrowserExecutable(
  env: NodeJS.ProcessEnv = process.env,
  { shell = true }: { shell?: boolean } = {},
): string {
  const configured = env.PUPPETEER_EXECUTABLE_PATH?.trim();
  const known = shell ? knownBrowserPaths : knownBrowserPaths.filter((path) => !isHeadlessShell(path));
  const candidates = configured ? [configured] : known;
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new BrowserNotFoundError(candidates);
  return found;
}

function isHeadlessShell(executable: string): boolean {
  return path.basename(executable).includes('headless-shell');
}

/**
 * Flags for a headless, offline, reproducible render: root needs --no-sandbox; paged.js reads the styles over
 * file:// (--allow-file-access-from-files); no hinting so glyph advances do not depend on the machine; no
 * background traffic (this machine has no network and Chromium would keep trying).
 */
export const browserArgs = [
  '--no-sandbox',
  '--allow-file-access-from-files',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-extensions',
  '--mute-audio',
  // No blank first tab: it holds a renderer process of its own, and waiting for it slows the start; every
  // layout opens its own tab.
  '--no-startup-window',
];

export interface LaunchOptions {
  executablePath?: string;
  signal?: AbortSignal;
  /**
   * Every tab in one renderer process (`--process-per-site`: the pages are all file://), for a browser that lives
   * for one command: a second tab (another part, the annual index) adds no renderer of its own. A browser kept
   * between builds (the preview, the office page) gives each build's tabs a fresh renderer instead: one renderer
   * reused build after build laid out slower.
   */
  sharedRenderer?: boolean;
  /**
   * Opens a new tab ahead whenever the last one closes (see `openTab`), for a browser kept between builds; a
   * browser for one command gets one tab ahead, at its start.
   */
  keepTabAhead?: boolean;
  /**
   * false: a browser that only lays out and prints, whose tabs never draw a frame. Shown tabs (the headless
   * shell shows every one) draw some sixty a second, and each restyles and paints what paged.js added since
   * the last; paged.js's queue runs on messages here (gazette-handlers.js, PageQueue), so nothing waits for
   * one. `--enable-begin-frame-control` lets a frame begin only when asked for (HeadlessExperimental.beginFrame,
   * never sent): the shell honours it, the full browser's headless mode ignores it. A browser that drives the
   * office's web pages keeps its frames (puppeteer's waitForFunction polls on them), and so does one that lays
   * out without our page scripts: paged.js alone ticks on frames and never ends without them. Such a browser's
   * tabs also get V8's `gc()`, which the print calls (render-pdf.ts).
   */
  animationFrames?: boolean;
}

/** Each browser's profile folder, removed when the browser is stopped. */
const profiles = new WeakMap<Browser, string>();

/**
 * Starts Chromium. It talks to us over a pipe (not a WebSocket port), so it ends when this process ends, even
 * on kill -9: the pipe closes and Chromium shuts down. Its profile is a scratch folder of ours (swept by the
 * next run if this one is killed).
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? resolveBrowserExecutable();
  const userDataDir = await makeScratchDir('browser');
  // The headless shell is Chromium's old headless mode (the full browser runs the new one), and opens a blank
  // tab as it starts whatever it is told: that tab is the first one ahead.
  const shell = isHeadlessShell(executablePath);
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: shell ? 'shell' : true,
      args: [
        ...browserArgs,
        ...(options.sharedRenderer ? ['--process-per-site'] : []),
        ...(options.animationFrames === false ? ['--enable-begin-frame-control', '--js-flags=--expose-gc'] : []),
      ],
      pipe: true,
      waitForInitialPage: shell,
      userDataDir,
      timeout: 60_000,
      protocolTimeout: 30 * 60_000,
      // puppeteer's own handlers kill Chromium and exit at once on Ctrl-C, leaving its profile and our scratch
      // folders behind: the command stops the browser itself on its signal (src/cli/run.ts) and cleans up.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    profiles.set(browser, userDataDir);
    const state: TabState = { working: 0, keepAhead: options.keepTabAhead === true };
    tabs.set(browser, state);
    if (shell) {
      state.ahead = browser.pages().then(([initial]) => initial ?? browser.newPage());
      state.ahead.catch(() => undefined);
    } else openTabAhead(browser);
    if (options.signal?.aborted) {
      // Stopped while it started: an abort listener added now would never be called.
      await stopBrowser(browser);
      throw options.signal.reason;
    }
    options.signal?.addEventListener('abort', () => void stopBrowser(browser), { once: true });
    return browser;
  } catch (error) {
    await removeScratchDir(userDataDir);
    if (options.signal?.aborted) throw error;
    throw new Error(
      `Chromium at ${executablePath} failed to start: ${(error as Error).message.split('\n')[0]}. ` +
        `Reinstall it (\`apt-get install --reinstall ${path.basename(executablePath)}\`) or point PUPPETEER_EXECUTABLE_PATH at a working one.`,
    );
  }
}

/** Per browser: the blank tab opened ahead, how many tabs `openTab` gave out are open. */
interface TabState {
  ahead?: Promise<Page>;
  working: number;
  keepAhead: boolean;
}
const tabs = new WeakMap<Browser, TabState>();

/**
 * A tab's renderer process takes a few tenths of a second to start: a blank tab opened ahead starts it while
 * the sources are read and checked, and its first navigation keeps that process. Only while no tab of ours is
 * open: in the full browser a new tab hides the others, and a hidden tab, which gets no frames, printed slower
 * there (measured: the print paints every page at once). The headless shell shows every tab; there the layout
 * browsers draw no frames at all (`animationFrames`), which measured faster: no page is painted twice.
 */
function openTabAhead(browser: Browser): void {
  const state = tabs.get(browser);
  if (!state || state.ahead || state.working > 0 || !browser.connected) return;
  state.ahead = browser.newPage();
  state.ahead.catch(() => undefined);
}

/** A new tab: the one opened ahead, if it is still there (and no other call took it), or a new one. */
export async function openTab(browser: Browser): Promise<Page> {
  const state = tabs.get(browser);
  if (!state) return browser.newPage();
  // Counted and taken at once: a tab opened ahead meanwhile would hide this one.
  state.working++;
  const ahead = state.ahead;
  state.ahead = undefined;
  try {
    const taken = await ahead?.catch(() => undefined);
    const tab = taken && !taken.isClosed() ? taken : await browser.newPage();
    tab.once('close', () => {
      state.working--;
      if (state.keepAhead) openTabAhead(browser);
    });
    return tab;
  } catch (error) {
    state.working--;
    throw error;
  }
}

/**
 * Closes a browser, and kills its process if it does not close within a few seconds (a renderer stuck in a
 * layout loop does not answer); Chromium's child processes end with it. Never throws.
 */
export async function stopBrowser(browser: Browser, graceMs = 5000): Promise<void> {
  const child = browser.process();
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    browser.close().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!closed && child && child.exitCode === null) child.kill('SIGKILL');
  const profile = profiles.get(browser);
  if (!profile) return;
  await removeSocketDir(profile);
  await removeScratchDir(profile);
}

/**
 * Chromium keeps its profile's socket in a folder of the system's temp folder (org.chromium.Chromium.*, linked
 * from the profile's SingletonSocket) and removes it when it exits, but not when it is killed.
 */
async function removeSocketDir(profile: string): Promise<void> {
  const socket = await readlink(path.join(profile, 'SingletonSocket')).catch(() => undefined);
  if (!socket) return;
  const dir = path.dirname(socket);
  if (path.dirname(dir) !== os.tmpdir() || !path.basename(dir).startsWith('org.chromium.')) return;
  await rm(dir, { recursive: true, force: true });
}

/** What a confined page may run: only scripts added through `addScript` (they carry the page's nonce). */
export interface ConfinedPage {
  addScript(file: string, type?: 'module'): Promise<void>;
}

/**
 * Confines a tab to one HTML file and the local files listed: the HTML is served with a Content-Security-Policy
 * that runs no script but those added with the page's nonce (no inline script or event handler from a source
 * or a cached page), connects nowhere but file: (paged.js fetches the stylesheets) and opens no frame, object
 * or worker; every request for anything else (other files, the network) is refused and reported.
 * WebSockets pass request interception (CDP's Fetch domain does not see them), hence the policy, and the
 * constructors are removed before any script of the page runs.
 */
export async function confinePage(
  page: Page,
  htmlPath: string,
  options: { allowedFiles: readonly string[]; onRefused?: (url: string) => void },
): Promise<ConfinedPage> {
  const nonce = randomBytes(18).toString('base64');
  const main = pathToFileURL(path.resolve(htmlPath)).href;
  const allowed = new Set(options.allowedFiles.map((file) => path.resolve(file)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url().split('#')[0] as string;
    if (url === main && request.isNavigationRequest()) {
      readFile(htmlPath).then(
        (body) =>
          request.respond({
            status: 200,
            contentType: 'text/html; charset=utf-8',
            headers: { 'Content-Security-Policy': pagePolicy(nonce) },
            body,
          }),
        () => request.abort('failed'),
      );
      return;
    }
    if (url.startsWith('data:') || (url.startsWith('file:') && allowed.has(fileURLToPath(url)))) {
      void request.continue();
      return;
    }
    options.onRefused?.(request.url().slice(0, 200));
    void request.abort('accessdenied');
  });
  await page.evaluateOnNewDocument(() => {
    for (const name of ['WebSocket', 'WebTransport', 'EventSource', 'RTCPeerConnection']) {
      Reflect.deleteProperty(window, name);
    }
  });
  return {
    async addScript(file, type) {
      // Loaded by its file URL, not sent as text: a megabyte of paged.js through the DevTools pipe took longer
      // than its compile and run. It runs before its load event, a module's too; an error thrown while it runs
      // rejects.
      allowed.add(path.resolve(file));
      await page.evaluate(
        (url: string, scriptType: string, scriptNonce: string) =>
          new Promise<void>((resolve, reject) => {
            const failed = (error: ErrorEvent) => reject(new Error(`${error.message} (${error.filename})`));
            window.addEventListener('error', failed, { once: true });
            const script = document.createElement('script');
            script.type = scriptType;
            script.nonce = scriptNonce;
            script.addEventListener('load', () => {
              window.removeEventListener('error', failed);
              resolve();
            });
            script.addEventListener('error', () => {
              window.removeEventListener('error', failed);
              reject(new Error(`the page could not load ${url}`));
            });
            script.src = url;
            document.head.append(script);
          }),
        pathToFileURL(path.resolve(file)).href,
        type ?? 'text/javascript',
        nonce,
      );
    },
  };
}

/** The policy of a confined page (see `confinePage`): paged.js inserts <style> elements, hence 'unsafe-inline'. */
function pagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src file: 'unsafe-inline'",
    'font-src file: data:',
    'img-src file: data:',
    'connect-src file:',
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
