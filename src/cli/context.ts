import type { Browser } from 'puppeteer-core';
import type { Logger } from '../api/logger.js';
import { launchBrowser, stopBrowser } from '../render/browser.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  cwd: string;
  logger: Logger;
  stdout: (line: string) => void;
  /** Error output (messages of failed commands, usage errors). */
  stderr: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM: the browser is stopped and nothing half-written is left. */
  signal?: AbortSignal;
}

/** Runs `work` with one browser for the whole command, stopped at the end, on error and on Ctrl-C. */
export async function withBrowser<T>(context: CliContext, work: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser({ signal: context.signal });
  try {
    return await work(browser);
  } finally {
    await stopBrowser(browser);
  }
}

/** A failure the user caused: the message is shown as it is, with this exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function fail(message: string, exitCode: 1 | 2 = 1): never {
  throw new CliError(message, exitCode);
}
