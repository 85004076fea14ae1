import path from 'node:path';
import { type Command, Option } from 'commander';
import { type DocumentKind, documentKinds } from '../model/kinds.js';
import { type CliContext, fail } from './context.js';

/** `gazette import <file.docx>`: a Word document as a document source, printed or written into an issue. */
export function registerImport(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('convert a Word document (.docx) into a document source file (Markdown with front matter)')
    .argument('<file>', 'the Word document (.docx)')
    .option('--into <issue>', 'write it into this issue folder as its next document (NN-<kind>.md)')
    .option('--name <file>', 'with --into: the file name to write instead of NN-<kind>.md')
    .option('--meeting <number>', "the meeting's number (issue.yml), when the text does not tell it")
    .addOption(
      new Option('--kind <kind>', 'the kind of document, when the title does not tell it').choices(documentKinds),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gazette import 报告.docx > issues/x/05-report.md\n  gazette import 报告.docx --into issues/baoshan-2024-03',
    )
    .action(async (file: string, flags: { into?: string; name?: string; meeting?: string; kind?: DocumentKind }) => {
      const meeting = flags.meeting === undefined ? undefined : Number(flags.meeting);
      if (meeting !== undefined && !(Number.isInteger(meeting) && meeting > 0)) {
        fail(`Unexpected --meeting ${flags.meeting}, expected a meeting's number (1, 2, …)`, 2);
      }
      if (flags.name !== undefined && (!flags.name.endsWith('.md') || flags.name !== path.basename(flags.name))) {
        fail(`Unexpected --name ${flags.name}, expected a file name ending in .md`, 2);
      }
      if (flags.name !== undefined && !flags.into) fail('Unexpected --name without --into', 2);
      const { importDocx } = await import('../import/import-docx.js');
      const result = await importDocx(path.resolve(context.cwd, file), {
        into: flags.into ? path.resolve(context.cwd, flags.into) : undefined,
        name: flags.name,
        kind: flags.kind,
        meeting,
      });
      for (const warning of result.warnings) context.logger.warn(`${file}: ${warning}`);
      if (!flags.into) context.stdout(result.markdown.trimEnd());
      if (result.problems.length > 0) {
        const where = flags.into ? ' (nothing written)' : '';
        fail(result.problems.map((problem) => `${file}: ${problem}${where}`).join('\n'));
      }
      if (result.written) {
        context.stdout(
          `${path.relative(context.cwd, result.written)}: ${result.meta.kind}, review the fields marked REVIEW`,
        );
      }
    });
}
