import path from 'node:path';
import { type Command, Option } from 'commander';
import { type ContentsFormat, contentsFormats, type SourceEncoding } from '../model/choices.js';
import { type CliContext, cacheDirOf, encodingOption, withBrowsers } from './context.js';
import { helpAfter } from './help.js';

/** `gazette toc <issue>`: the contents from a real layout pass, printed or written in a chosen format. */
export function registerToc(program: Command, context: CliContext): void {
  program
    .command('toc')
    .description('regenerate the contents (目录) from a real layout pass and print or export it')
    .argument('<issue>', 'issue folder (issues/<id>) or single-file issue (.md)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(contentsFormats).default('text'))
    .option('-o, --out <file>', 'write to a file instead of standard output (docx needs one)')
    .option('--cache <dir>', 'the layout cache shared with build (default: output/.cache)')
    .option('--no-cache', 'lay out every page anew')
    .addOption(encodingOption())
    .addHelpText(
      'after',
      helpAfter(
        'toc',
        [
          'gazette toc issues/baoshan-2024-03',
          'gazette toc issues/baoshan-2024-03 -f json',
          'gazette toc issues/baoshan-2024-03 -f docx -o 目录.docx',
        ],
        context.locale,
      ),
    )
    .action(
      async (
        source: string,
        flags: { format: ContentsFormat; out?: string; cache?: string | false; encoding: SourceEncoding },
      ) => {
        const [{ issueContents }, { writeFileAtomic }, { formatContents }, { issueTitle }] = await Promise.all([
          import('../api/contents.js'),
          import('../sources/write-atomic.js'),
          import('../export/contents.js'),
          import('../layout/compose.js'),
        ]);
        const cacheDir = cacheDirOf(context, flags.cache, path.join('output', '.cache'));
        const { issue, entries } = await withBrowsers(context, (browser) =>
          issueContents(path.resolve(context.cwd, source), {
            logger: context.logger,
            browser,
            cacheDir,
            encoding: flags.encoding,
          }),
        );
        const out = flags.out ? path.resolve(context.cwd, flags.out) : undefined;
        const result = await formatContents(entries, flags.format, {
          publication: issue.config.publication,
          title: issueTitle(issue.config),
          cwd: context.cwd,
          pdfHref: out
            ? path.relative(path.dirname(out), path.resolve(context.cwd, 'output', `${issue.id}.pdf`))
            : `${issue.id}.pdf`,
        });
        if (out) {
          await writeFileAtomic(out, result);
          context.logger.info(`${path.relative(context.cwd, out)}: ${entries.length} entries`);
        } else if (typeof result === 'string') {
          context.stdout(result.replace(/\n$/, ''));
        } else {
          throw new Error('The docx format is a binary file: give -o <file>.docx');
        }
      },
    );
}
