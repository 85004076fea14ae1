import type { Browser } from 'puppeteer-core';
import { type LaunchOptions, launchBrowser, stopBrowser } from './browser.js';

/**
 * Browsers to lay out parts of an issue side by side, each started when first needed, without animation frames
 * (they only lay out and print). A browser lays out one tab at a time (with `sharedRenderer` its tabs share one
 * renderer's main thread), so parallel layout needs separate browsers.
 */
export class BrowserPool {
  readonly size: number;
  private readonly browsers: (Promise<Browser> | undefined)[] = [];
  private readonly owned: boolean;
  private closing: Promise<void> | undefined;

  /** A pool of `size` browsers it starts itself, or one made of browsers given (and not stopped by it). */
  constructor(
    size: number | Browser[],
    private readonly options: Pick<LaunchOptions, 'signal' | 'sharedRenderer' | 'keepTabAhead'> = {},
  ) {
    if (Array.isArray(size)) {
      this.size = size.length;
      this.browsers = size.map((browser) => Promise.resolve(browser));
      this.owned = false;
    } else {
      this.size = Math.max(1, Math.floor(size));
      this.owned = true;
    }
  }

  browser(index: number): Promise<Browser> {
    const slot = index % this.size;
    let browser = this.browsers[slot];
    if (!browser && this.closing) return Promise.reject(new Error('The browsers were stopped: no more layout'));
    if (!browser) {
      browser = launchBrowser({ ...this.options, animationFrames: false });
      this.browsers[slot] = browser;
    }
    return browser;
  }

  /** Starts `count` browsers now (they take a second), so they are ready when the layout needs them. */
  warmUp(count = this.size): void {
    for (let slot = 0; slot < Math.min(count, this.size); slot++) this.browser(slot).catch(() => undefined);
  }

  /**
   * Runs the tasks with at most one at a time per browser, in as many browsers as there are tasks, up to the
   * pool's size or `browsers`; results in the tasks' order.
   */
  async map<T, R>(
    items: readonly T[],
    task: (item: T, browser: Browser) => Promise<R>,
    browsers = this.size,
  ): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async (slot: number) => {
      for (let index = next++; index < items.length; index = next++) {
        results[index] = await task(items[index] as T, await this.browser(slot));
      }
    };
    const workers = Math.max(1, Math.min(this.size, browsers, items.length));
    await Promise.all(Array.from({ length: workers }, (_, slot) => worker(slot)));
    return results;
  }

  /** Stops the browsers the pool started (once: a second call waits for the first). */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    if (!this.owned) return;
    const started = this.browsers.filter((browser): browser is Promise<Browser> => browser !== undefined);
    await Promise.all(
      started.map(async (pending) => {
        const browser = await pending.catch(() => undefined);
        if (browser) await stopBrowser(browser);
      }),
    );
  }
}
