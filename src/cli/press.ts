import path from 'node:path';
import type { Command } from 'commander';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, renderTimeoutMs, withBrowsers } from './context.js';
import { helpAfter } from './help.js';

/** `gazette press <issue…>`: the print shop's edition, `<out>/<id>.press.pdf`. */
export function registerPress(program: Command, context: CliContext): void {
  program
    .command('press')
    .description("the print shop's edition: PDF/X-3, CMYK, black text in black ink only, pages to a multiple of 4")
    .argument('<issues...>', 'issue folders (issues/<id>) or single-file issues (.md)')
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--marks', 'crop marks at the trim corners')
    .option('--timeout <seconds>', "time limit of one issue's render", '600')
    .addOption(encodingOption())
    .addHelpText(
      'after',
      helpAfter(
        'press',
        ['gazette press issues/baoshan-2024-03', 'gazette press issues/hongkou-2024-03 --marks -o /tmp/print'],
        context.locale,
      ),
    )
    .action(
      async (sources: string[], flags: { out: string; marks?: boolean; timeout: string; encoding: SourceEncoding }) => {
        const renderTimeout = renderTimeoutMs(flags.timeout);
        const outDir = path.resolve(context.cwd, flags.out);
        const { pressIssue } = await import('../api/press.js');
        await withBrowsers(context, async (browser) => {
          for (const source of sources) {
            const result = await pressIssue(path.resolve(context.cwd, source), {
              outDir,
              marks: flags.marks,
              logger: context.logger,
              browser,
              renderTimeoutMs: renderTimeout,
              encoding: flags.encoding,
            });
            const { edition } = result;
            const blanks = edition.blankPages.length > 0 ? `, blank pages ${edition.blankPages.join(', ')}` : '';
            context.stdout(`${path.relative(context.cwd, result.pressPath)}: ${edition.pageCount} pages${blanks}`);
          }
        });
      },
    );
}
