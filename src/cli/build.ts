import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, cacheDirOf, encodingOption, fail, withBrowsers } from './context.js';

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
    .addHelpText(
      'after',
      '\nA rebuild lays out only the pages from the first change on (and, where every document starts on a new\npage, only the changed documents); the other pages come from the cache.\n\nExamples:\n  gazette build issues/baoshan-2024-03\n  gazette build --all -o output',
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
        },
      ) => {
        const issues = flags.all ? [...sources, ...(await allIssues(context.cwd))] : sources;
        if (issues.length === 0) fail('Missing issue: name one (gazette build issues/<id>) or use --all', 2);
        const timeout = Number(flags.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0)
          fail(`Unexpected --timeout ${flags.timeout}, expected seconds`, 2);
        const outDir = path.resolve(context.cwd, flags.out);
        const cacheDir = cacheDirOf(context, flags.cache, path.join(flags.out, '.cache'));
        const { buildIssue } = await import('../api/build.js');
        await withBrowsers(context, async (browser) => {
          for (const source of issues) {
            const started = performance.now();
            const result = await buildIssue(path.resolve(context.cwd, source), {
              outDir,
              cacheDir,
              logger: context.logger,
              browser,
              renderTimeoutMs: timeout * 1000,
              encoding: flags.encoding,
            });
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
              `${path.relative(context.cwd, result.pdfPath)}: ${result.pageCount} pages, ${result.contents.length} documents, ${seconds} s${result.reusedPages > 0 ? ` (${result.reusedPages} pages from the layout cache)` : ''}`,
            );
          }
        });
      },
    );
}

async function allIssues(cwd: string): Promise<string[]> {
  const root = path.join(cwd, 'issues');
  const names = await readdir(root).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.sort()) {
    const full = path.join(root, name);
    const info = await stat(full);
    if (info.isDirectory() || name.endsWith('.md')) found.push(path.join('issues', name));
  }
  return found;
}
