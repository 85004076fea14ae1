import path from 'node:path';
import type { Command } from 'commander';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, fail } from './context.js';
import { helpAfter } from './help.js';
import { holdOptimizing, resumeOptimizing } from './optimizing.js';

/**
 * `gazette check <issue…>`: one line per finding (`file:line:col: error|warning rule-id message`), paths
 * relative to the working folder; exit 1 when there is an error. `--fix` first applies the safe punctuation
 * and space fixes and says what it changed.
 */
export function registerCheck(program: Command, context: CliContext): void {
  program
    .command('check')
    .description("lint issues' sources before building: front matter, structure, text, references")
    .argument('<issues...>', 'issue folders (issues/<id>) or single-file issues (.md)')
    .option('--fix', 'apply the safe fixes (half-width punctuation, spaces in Chinese text) in place')
    .addOption(encodingOption())
    .addHelpText(
      'after',
      helpAfter(
        'check',
        ['gazette check issues/baoshan-2024-03', 'gazette check --fix issues/baoshan-2024-03'],
        context.locale,
      ),
    )
    .action(async (sources: string[], flags: { fix?: boolean; encoding: SourceEncoding }) => {
      const [{ checkIssue }, { formatMessageIn, say }] = await Promise.all([
        import('../check/index.js'),
        import('../model/index.js'),
      ]);
      // Paths as the user would type them: relative to the working folder when inside it.
      const relative = (file: string | undefined) => {
        if (file === undefined) return undefined;
        const inside = path.relative(context.cwd, path.resolve(context.cwd, file));
        if (inside === '') return '.';
        return inside.startsWith('..') || path.isAbsolute(inside) ? file : inside;
      };
      const locale = context.locale ?? 'en';
      let errors = 0;
      let warnings = 0;
      for (const source of sources) {
        holdOptimizing();
        const result = await checkIssue(path.resolve(context.cwd, source), {
          fix: flags.fix === true,
          encoding: flags.encoding,
        }).finally(resumeOptimizing);
        for (const record of result.fixed) {
          context.stdout(
            `${relative(record.file)}:${record.line}: fixed ${record.count} ${record.ruleId} (${record.changes.join(', ')})`,
          );
        }
        for (const message of result.findings) {
          message.file = relative(message.file);
          context.stdout(formatMessageIn(message, locale));
          if (message.fatal === true) errors++;
          else warnings++;
        }
      }
      const summary = say.checkSummary(errors, warnings)[locale];
      if (errors > 0) fail(summary, 1);
      context.logger.info(summary);
    });
}
