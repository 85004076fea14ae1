import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, fail } from './context.js';

/** `gazette preview <issue>`: the issue paginated in the browser on 127.0.0.1, reloading on every save. */
export function registerPreview(program: Command, context: CliContext): void {
  program
    .command('preview')
    .description('show an issue paginated by paged.js in the browser, reloading on every save')
    .argument('<issue>', 'issue folder (issues/<id>) or single-file issue (.md)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0: any free port)', '4173')
    .addOption(encodingOption())
    .addHelpText(
      'after',
      '\nThe URL is printed on stdout; Ctrl-C stops the server.\n\nExamples:\n  gazette preview issues/baoshan-2024-03\n  gazette preview issues/baoshan-2024-03 --port 0',
    )
    .action(async (source: string, flags: { port: string; encoding: SourceEncoding }) => {
      const port = Number(flags.port);
      if (!/^\d+$/.test(flags.port) || port > 65_535) {
        fail(`Unexpected --port ${flags.port}, expected a port number from 0 to 65535`, 2);
      }
      const full = path.resolve(context.cwd, source);
      if (!(await stat(full).catch(() => undefined))) {
        fail(`Unexpected path ${source}: no issue folder or Markdown file here`, 1);
      }
      const { startPreview } = await import('../preview/server.js');
      const preview = await startPreview(full, { port, logger: context.logger, encoding: flags.encoding }).catch(
        (error: NodeJS.ErrnoException) =>
          error.code === 'EADDRINUSE'
            ? fail(`Port ${port} is in use: choose another with --port (0: any free port)`)
            : Promise.reject(error),
      );
      context.stdout(preview.url);
      context.logger.info('Watching the sources; Ctrl-C stops the preview.');
      await stopRequested(context.signal);
      await preview.close();
    });
}

/**
 * Resolves when the command is to stop: on the context's signal (src/cli/run.ts aborts it on SIGINT and
 * SIGTERM), or, when the caller gave none, on those signals themselves.
 */
export function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
