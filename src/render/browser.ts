import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Where Debian, Ubuntu and common installs put Chromium or Chrome, tried in order. */
const knownBrowserPaths = [
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
        'No Chromium found to render the PDF. Install it (Debian: `apt-get install chromium`) or set',
        `PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome binary. Looked at: ${tried.join(', ')}`,
      ].join(' '),
    );
    this.name = 'BrowserNotFoundError';
  }
}

/** The one place the browser binary is chosen: PUPPETEER_EXECUTABLE_PATH, then the known paths. */
export function resolveBrowserExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PUPPETEER_EXECUTABLE_PATH?.trim();
  const candidates = configured ? [configured] : knownBrowserPaths;
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new BrowserNotFoundError(candidates);
  return found;
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
];

export async function launchBrowser(options: { executablePath?: string; signal?: AbortSignal } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? resolveBrowserExecutable();
  try {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: browserArgs,
      timeout: 60_000,
      protocolTimeout: 30 * 60_000,
      // puppeteer's own handlers kill Chromium and exit at once on Ctrl-C, leaving its profile and our scratch
      // folders behind: the command stops the browser itself on its signal (src/cli/run.ts) and cleans up.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    if (options.signal?.aborted) {
      // Stopped while it started: an abort listener added now would never be called.
      await stopBrowser(browser);
      throw options.signal.reason;
    }
    options.signal?.addEventListener('abort', () => void stopBrowser(browser), { once: true });
    return browser;
  } catch (error) {
    throw new Error(
      `Chromium at ${executablePath} failed to start: ${(error as Error).message.split('\n')[0]}. ` +
        'Reinstall it (`apt-get install --reinstall chromium`) or point PUPPETEER_EXECUTABLE_PATH at a working one.',
    );
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
}
