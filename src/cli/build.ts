import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { say } from '../model/catalog.js';
import type { SourceEncoding } from '../model/choices.js';
import { textIn } from '../model/i18n.js';
import { type CliContext, cacheDirOf, encodingOption, fail, renderTimeoutMs, withBrowsers } from './context.js';
import { helpAfter } from './help.js';
import { holdOptimizing, resumeOptimizing } from './optimizing.js';

/** `gazette build <issue…>`: each issue folder (or single-file issue) into `<out>/<id>.pdf` and `.html`. */
export function registerBuild(program: Command, context: CliContext): void {
  program
    .command('build')
    .description('build issues into print-ready PDFs (and the laid-out HTML)')
    .argument('[issues...]', 'issue folders (issues/<id>) or single-file issues (.md)')
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--all', 'build every issue under issues/')
    .option('--timeout <seconds>', "time limit of one issue's render", '600')
    .addOption(encodingOption())
    .option('--cache <dir>', 'folder of laid-out pages kept between builds (default: <out>/.cache)')
    .option('--no-cache', 'lay out every page anew, keeping nothing')
    .option('--json', 'one JSON line per issue on stdout (pdf, pages, documents, seconds, reusedPages) for scripts')
    .option('--draft', 'a proof of unfinished sources: every page marked 样稿, written as <id>.draft.pdf')
    .addHelpText(
      'after',
      helpAfter('build', ['gazette build issues/baoshan-2024-03', 'gazette build --all -o output'], context.locale),
    )
    .action(
      async (
        sources: string[],
        flags: {
          out: string;
          all?: boolean;
          timeout: string;
          encoding: SourceEncoding;
          cache?: string | false;
          json?: boolean;
          draft?: boolean;
        },
      ) => {
        const all = flags.all ? await allIssues(context.cwd) : [];
        if (flags.all && all.length === 0 && sources.length === 0) {
          const folder = path.join(context.cwd, 'issues');
          const exists = await stat(folder).then(
            (info) => info.isDirectory(),
            () => false,
          );
          fail(exists ? say.noIssuesUnder(folder) : say.noIssuesFolder(context.cwd), 1);
        }
        const issues = [...sources, ...all];
        if (issues.length === 0) fail(say.missingIssue(), 2);
        const renderTimeout = renderTimeoutMs(flags.timeout);
        const outDir = path.resolve(context.cwd, flags.out);
        const cacheDir = cacheDirOf(context, flags.cache, path.join(flags.out, '.cache'));
        await withBrowsers(context, async (browser) => {
          // Chromium starts while the build's modules load and the sources are read (a second of each).
          browser.warmUp(1);
          const { buildIssue } = await import('../api/build.js');
          for (const [index, source] of issues.entries()) {
            const started = performance.now();
            holdOptimizing();
            const result = await buildIssue(path.resolve(context.cwd, source), {
              outDir,
              cacheDir,
              logger: context.logger,
              browser,
              renderTimeoutMs: renderTimeout,
              encoding: flags.encoding,
              signal: context.signal,
              draft: flags.draft === true,
              locale: context.locale,
              // After the print, the PDF's finishing gets the optimizing compiler back; after the last issue's,
              // Chromium stops while the PDF is joined and finished.
              onPrinted: () => {
                resumeOptimizing();
                if (index === issues.length - 1) browser.close().catch(() => undefined);
              },
            }).finally(resumeOptimizing);
            const seconds = ((performance.now() - started) / 1000).toFixed(1);
            if (flags.json) {
              context.stdout(
                JSON.stringify({
                  pdf: path.relative(context.cwd, result.pdfPath),
                  pages: result.pageCount,
                  documents: result.contents.length,
                  seconds: Number(seconds),
                  reusedPages: result.reusedPages,
                }),
              );
              continue;
            }
            context.stdout(
              textIn(
                say.built(
                  path.relative(context.cwd, result.pdfPath),
                  result.pageCount,
                  result.contents.length,
                  seconds,
                  result.reusedPages,
                ),
                context.locale ?? 'en',
              ),
            );
          }
        });
      },
    );
}

/** The issues under issues/ (as sources lists them), relative to the working folder; one unreadable stops all. */
async function allIssues(cwd: string): Promise<string[]> {
  const [{ listIssues }, { GazetteInputError }] = await Promise.all([
    import('../sources/list-issues.js'),
    import('../model/index.js'),
  ]);
  const listing = await listIssues(path.join(cwd, 'issues'));
  if (listing.unreadable.length > 0) {
    throw new GazetteInputError(listing.unreadable.flatMap((error) => error.messages));
  }
  return listing.issues.map((issue) => path.relative(cwd, issue.source));
}
