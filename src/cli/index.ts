import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../layout/compose.js';
import { GazetteInputError } from '../model/index.js';
import { BrowserNotFoundError } from '../render/browser.js';
import { registerBuild } from './build.js';
import { type CliContext, CliError } from './context.js';
import { registerToc } from './toc.js';

const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

/** Exit codes: 0 done, 1 the input or the build failed, 2 the command line was wrong. */
export async function main(argv: string[], context: CliContext): Promise<number> {
  const program = new Command('gazette')
    .description("Typesets a district People's Congress Standing Committee gazette (公报) from Markdown sources")
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout(text.trimEnd()),
      writeErr: (text) => process.stderr.write(text),
    })
    .showHelpAfterError('(run gazette --help for usage)');
  registerBuild(program, context);
  registerToc(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`gazette: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof GazetteInputError || error instanceof BrowserNotFoundError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`gazette: ${(error as Error).message}\n`);
    return 1;
  }
}
