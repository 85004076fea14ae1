import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { say } from '../model/catalog.js';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, fail, portOf } from './context.js';
import { helpAfter } from './help.js';

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
      helpAfter(
        'preview',
        ['gazette preview issues/baoshan-2024-03', 'gazette preview issues/baoshan-2024-03 --port 0'],
        context.locale,
      ),
    )
    .action(async (source: string, flags: { port: string; encoding: SourceEncoding }) => {
      const port = portOf(flags.port);
      const full = path.resolve(context.cwd, source);
      if (!(await stat(full).catch(() => undefined))) {
        fail(say.noSuchPath(source), 1);
      }
      const { startPreview } = await import('../preview/server.js');
      const preview = await startPreview(full, { port, logger: context.logger, encoding: flags.encoding }).catch(
        (error: NodeJS.ErrnoException) =>
          error.code === 'EADDRINUSE' ? fail(say.portInUse(port)) : Promise.reject(error),
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
