import path from 'node:path';
import type { Command } from 'commander';
import { say } from '../model/catalog.js';
import { type CliContext, fail, portOf } from './context.js';
import { helpAfter } from './help.js';
import { stopRequested } from './preview.js';

interface ServeFlags {
  issues: string;
  data: string;
  archiveDir: string;
  host: string;
  port: string;
}

/** `gazette serve`: the office web page (sign-in, documents, Word import, build, preview, 签发). */
export function registerServe(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('the office web page: issues, documents, Word import, editing, build and preview, sign-off (签发)')
    .option('--issues <dir>', 'the folder holding the issues', 'issues')
    .option('--data <dir>', "the page's database, builds and layout caches", '.gazette')
    .option('--archive-dir <dir>', 'where 签发 archives, as `gazette archive`', 'output/archive')
    .option(
      '--host <address>',
      'the address to listen on (beyond this machine only once an account exists)',
      '127.0.0.1',
    )
    .option('-p, --port <port>', 'the port (0: any free port)', '8080')
    .addHelpText(
      'after',
      helpAfter(
        'serve',
        [
          'gazette serve',
          'gazette serve --host 0.0.0.0 --port 8080 --issues /srv/gazette/issues --data /srv/gazette/data',
        ],
        context.locale,
      ),
    )
    .action(async (flags: ServeFlags) => {
      const port = portOf(flags.port);
      // The web server (fastify, SQLite, Word import, the whole build) is loaded for this command only.
      const { ServeRefusedError, startServer } = await import('../server/serve.js');
      const server = await startServer({
        issuesDir: path.resolve(context.cwd, flags.issues),
        dataDir: path.resolve(context.cwd, flags.data),
        archiveRoot: path.resolve(context.cwd, flags.archiveDir),
        host: flags.host,
        port,
        logger: context.logger,
      }).catch((error: NodeJS.ErrnoException) => {
        if (error instanceof ServeRefusedError) fail(error.message, 1);
        if (error.code === 'EADDRINUSE') fail(say.portInUse(port));
        if (error.code === 'EADDRNOTAVAIL') fail(say.badHost(flags.host), 2);
        throw error;
      });
      context.stdout(server.url);
      context.logger.info('gazette serve: Ctrl-C stops the page.');
      await stopRequested(context.signal);
      await server.close();
    });
}
