import os from 'node:os';
import path from 'node:path';
import { Option } from 'commander';
import type { Browser } from 'puppeteer-core';
import type { Logger } from '../api/logger.js';
import { say } from '../model/catalog.js';
import { sourceEncodings } from '../model/choices.js';
import type { Bilingual, Locale } from '../model/i18n.js';
import type { BrowserPool } from '../render/pool.js';

// A command's modules (the browser, unified, mammoth…) are imported when it runs, not here: `gazette --help`
// and `--version` load commander and these few lines only.

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  cwd: string;
  logger: Logger;
  stdout: (line: string) => void;
  /** Error output (messages of failed commands, usage errors). */
  stderr: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM: the browser is stopped and nothing half-written is left. */
  signal?: AbortSignal;
  /** The language of messages and help (from LC_ALL, LC_MESSAGES, LANG in src/cli/run.ts); English unless told. */
  locale?: Locale;
  /** Standard input, read to its end (`gazette user add --password-stdin`). */
  readStdin?: () => Promise<string>;
}

/** Browsers laying out parts of an issue side by side: one per core, at most two (this machine has two). */
export const defaultJobs = Math.max(1, Math.min(2, os.availableParallelism()));

/**
 * Runs `work` with a pool of browsers for the whole command (started as needed, each with its tabs in one
 * renderer), stopped at the end, on error and on Ctrl-C.
 */
export async function withBrowsers<T>(
  context: CliContext,
  work: (pool: BrowserPool) => Promise<T>,
  jobs = defaultJobs,
): Promise<T> {
  const { BrowserPool } = await import('../render/pool.js');
  const pool = new BrowserPool(jobs, { signal: context.signal, sharedRenderer: true });
  try {
    return await work(pool);
  } finally {
    await pool.close();
  }
}

/**
 * The layout cache folder from `--cache <dir>` / `--no-cache` (commander gives the folder, false or nothing):
 * `fallback` (relative to the working folder) unless told.
 */
export function cacheDirOf(
  context: CliContext,
  flag: string | false | undefined,
  fallback: string,
): string | undefined {
  return flag === false ? undefined : path.resolve(context.cwd, flag ?? fallback);
}

/** A failure the user caused: the message is shown in the user's language, with this exit code. */
export class CliError extends Error {
  readonly text: Bilingual;
  constructor(
    message: string | Bilingual,
    readonly exitCode: 1 | 2,
  ) {
    const text = typeof message === 'string' ? { en: message, zh: message } : message;
    super(text.en);
    this.text = text;
    this.name = 'CliError';
  }
}

export function fail(message: string | Bilingual, exitCode: 1 | 2 = 1): never {
  throw new CliError(message, exitCode);
}

/** `--timeout <seconds>` (build, press): the render's time limit in milliseconds. */
export function renderTimeoutMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) fail(say.badTimeout(value), 2);
  return seconds * 1000;
}

/** `--port <port>` (preview, serve): a port number, 0 for any free one. */
export function portOf(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) fail(say.badPort(value), 2);
  return port;
}

/** Runs `work` with one browser (for commands that lay out one page at a time). */
export function withBrowser<T>(context: CliContext, work: (browser: Browser) => Promise<T>): Promise<T> {
  return withBrowsers(context, async (pool) => work(await pool.browser(0)), 1);
}

/** `--encoding`: every command that reads an issue reads it the same way. */
export function encodingOption(): Option {
  return new Option('--encoding <encoding>', 'encoding of the sources (gb18030: GBK files saved on Windows)')
    .choices(sourceEncodings)
    .default('utf-8');
}
