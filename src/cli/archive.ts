import path from 'node:path';
import type { Command } from 'commander';
import { say } from '../model/catalog.js';
import type { SourceEncoding } from '../model/choices.js';
import { type CliContext, encodingOption, fail, withBrowsers } from './context.js';

/** `gazette archive <issue>` and `gazette verify <archive-dir>`. */
export function registerArchive(program: Command, context: CliContext): void {
  program
    .command('archive')
    .description('archive the print-ready edition: print PDF, PDF/A-2b, press PDF/X, sources, manifest (write-once)')
    .argument('<issue>', 'issue folder (issues/<id>) or single-file issue (.md)')
    .option('--archive-dir <dir>', 'where archives live', 'output/archive')
    .option('--revision', 'archive a changed PDF as a new revision, keeping the earlier one')
    .option('--reason <text>', 'why the revision is made (更正说明), kept in the manifest; required with --revision')
    .addOption(encodingOption())
    .action(
      async (
        source: string,
        flags: { archiveDir: string; revision?: boolean; reason?: string; encoding: SourceEncoding },
      ) => {
        const { ArchiveRefusedError, archiveIssue } = await import('../api/archive.js');
        try {
          const outcome = await withBrowsers(context, (browser) =>
            archiveIssue(path.resolve(context.cwd, source), {
              archiveRoot: path.resolve(context.cwd, flags.archiveDir),
              revision: flags.revision,
              reason: flags.reason,
              encoding: flags.encoding,
              logger: context.logger,
              browser,
            }),
          );
          const where = path.relative(context.cwd, outcome.dir);
          context.stdout(
            outcome.status === 'unchanged'
              ? `${where}: unchanged (the archived r${outcome.revision.revision} is the same PDF)`
              : `${where}: ${outcome.status} r${outcome.revision.revision} (${outcome.revision.pages} pages)`,
          );
        } catch (error) {
          if (error instanceof ArchiveRefusedError) fail(error.message, 1);
          throw error;
        }
      },
    );

  program
    .command('verify')
    .description('re-hash an archive against its manifest and rebuild its PDF from the archived sources')
    .argument('<archive-dir>', 'an archived issue (output/archive/<id>)')
    .option('--no-rebuild', 'only check the hashes')
    .action(async (dir: string, flags: { rebuild: boolean }) => {
      const { verifyArchive } = await import('../api/archive.js');
      const report = await verifyArchive(path.resolve(context.cwd, dir), {
        rebuild: flags.rebuild,
        logger: context.logger,
      });
      for (const file of report.changed) context.stdout(`changed: ${file}`);
      for (const file of report.missing) context.stdout(`missing: ${file}`);
      for (const file of report.extra) context.stdout(`extra: ${file}`);
      for (const file of report.links) context.stdout(`link: ${file} (an archive holds copies, never links)`);
      for (const problem of report.problems) context.stdout(`problem: ${problem}`);
      for (const revision of report.revisions) {
        const same = (ok: boolean) => (ok ? 'same' : 'DIFFERS from the archived one');
        context.stdout(
          `rebuilt r${revision.revision}: print PDF ${same(revision.print)}, PDF/A ${same(revision.pdfa)}`,
        );
      }
      context.stdout(report.ok ? `${dir}: ok` : `${dir}: FAILED`);
      if (!report.ok) fail(say.archiveDoesNotVerify(dir), 1);
    });
}
