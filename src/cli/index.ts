import { Command, CommanderError } from 'commander';
import { tool } from '../api/version.js';
import { registerIndex } from './annual-index.js';
import { registerArchive } from './archive.js';
import { registerBuild } from './build.js';
import { registerCheck } from './check.js';
import { type CliContext, CliError } from './context.js';
import { localiseHelp } from './help.js';
import { registerImport } from './import.js';
import { registerNew } from './new-issue.js';
import { registerPress } from './press.js';
import { registerPreview } from './preview.js';
import { registerServe } from './serve.js';
import { registerToc } from './toc.js';
import { registerUser } from './user.js';

/** Exit codes: 0 done, 1 the input or the build failed, 2 the command line was wrong. */
export async function main(argv: string[], context: CliContext): Promise<number> {
  const program = new Command('gazette')
    .description("Typesets a district People's Congress Standing Committee gazette (公报) from Markdown sources")
    .version(tool.version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout(text.trimEnd()),
      writeErr: (text) => context.stderr(text),
    })
    .showHelpAfterError('(run gazette --help for usage)');
  registerBuild(program, context);
  registerImport(program, context);
  registerCheck(program, context);
  registerToc(program, context);
  registerArchive(program, context);
  registerPress(program, context);
  registerIndex(program, context);
  registerNew(program, context);
  registerPreview(program, context);
  registerServe(program, context);
  registerUser(program, context);
  localiseHelp(program, context.locale ?? 'en');
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
      context.stderr(`gazette: ${error.text[context.locale ?? 'en']}\n`);
      return error.exitCode;
    }
    // Loaded only now: a command that failed has loaded them already, and `--help` never needs them.
    const [{ GazetteInputError, formatMessageIn, say, unfinishedRules }, { BrowserNotFoundError }] = await Promise.all([
      import('../model/index.js'),
      import('../render/browser.js'),
    ]);
    if (error instanceof GazetteInputError) {
      const locale = context.locale ?? 'en';
      const lines = error.messages.map((message) => formatMessageIn(message, locale));
      const unfinished = error.messages.filter((message) => unfinishedRules.has(message.ruleId as never)).length;
      if (unfinished > 0) lines.push(say.unfinished(unfinished)[locale]);
      context.stderr(`${lines.join('\n')}\n`);
      return 1;
    }
    if (error instanceof BrowserNotFoundError) {
      context.stderr(`${error.message}\n`);
      return 1;
    }
    context.stderr(`gazette: ${(error as Error).message}\n`);
    return 1;
  }
}
