import path from 'node:path';
import type { Command } from 'commander';
import { say } from '../model/catalog.js';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, fail, withBrowser } from './context.js';
import { helpAfter } from './help.js';

/** `gazette index <year>`: the year's cumulative index (全年总目录) as `<out>/index-<year>.pdf` and `.csv`. */
export function registerIndex(program: Command, context: CliContext): void {
  program
    .command('index')
    .description("make a year's cumulative index (全年总目录) of the issues, by issue and by kind, as PDF and CSV")
    .argument('<year>', "the year (issue.yml's `year`)")
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--issues <dir>', 'the folder holding the issues', 'issues')
    .addOption(encodingOption())
    .option('--publication <name>', 'index only this publication (default: one index per publication)')
    .addHelpText(
      'after',
      helpAfter(
        'index',
        ['gazette index 2024', 'gazette index 2024 --issues archive/issues -o /tmp/out'],
        context.locale,
      ),
    )
    .action(
      async (
        yearText: string,
        flags: { out: string; issues: string; encoding: SourceEncoding; publication?: string },
      ) => {
        if (!/^\d{4}$/.test(yearText)) fail(say.badYear(yearText, 2024), 2);
        const { AnnualIndexRefusedError, buildAnnualIndexes } = await import('../api/annual-index.js');
        const issuesDir = path.resolve(context.cwd, flags.issues);
        try {
          const results = await withBrowser(context, (browser) =>
            buildAnnualIndexes(Number(yearText), {
              issuesDir,
              outDir: path.resolve(context.cwd, flags.out),
              cwd: context.cwd,
              browser,
              logger: context.logger,
              encoding: flags.encoding,
              publication: flags.publication,
            }),
          );
          for (const result of results) {
            const numbers = result.issues.map((issue) => issue.number).join(', ');
            context.stdout(
              `${path.relative(context.cwd, result.pdfPath)}: ${result.publication}, ${result.pageCount} pages, issues ${numbers}, ${result.rows.length} documents`,
            );
            context.stdout(`${path.relative(context.cwd, result.csvPath)}: ${result.rows.length} rows`);
          }
        } catch (error) {
          if (error instanceof AnnualIndexRefusedError) fail(error.message.replaceAll(`${issuesDir}`, flags.issues), 1);
          throw error;
        }
      },
    );
}
