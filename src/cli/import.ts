import path from 'node:path';
import { type Command, Option } from 'commander';
import { say } from '../model/catalog.js';
import { type DocumentKind, documentKinds } from '../model/kinds.js';
import { type CliContext, fail } from './context.js';
import { helpAfter } from './help.js';

interface ImportFlags {
  into?: string;
  name?: string;
  meeting?: string;
  kind?: DocumentKind;
  acceptChanges?: boolean;
  rejectChanges?: boolean;
}

/** `gazette import <file.docx>`: a Word document as a document source, printed or written into an issue. */
export function registerImport(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('convert a Word document (.docx) into a document source file (Markdown with front matter)')
    .argument('<file>', 'the Word document (.docx)')
    .option('--into <issue>', 'write it into this issue folder as its next document (NN-<kind>.md)')
    .option('--name <file>', 'with --into: the file name to write instead of NN-<kind>.md')
    .option('--meeting <number>', "the meeting's number (issue.yml), when the text does not tell it")
    .option('--accept-changes', "take the document's tracked changes (修订) and leave its comments (批注) out")
    .option('--reject-changes', 'keep the text as it was before the tracked changes, and leave the comments out')
    .addOption(
      new Option('--kind <kind>', 'the kind of document, when the title does not tell it').choices(documentKinds),
    )
    .addHelpText(
      'after',
      helpAfter(
        'import',
        ['gazette import 报告.docx > issues/x/05-report.md', 'gazette import 报告.docx --into issues/baoshan-2024-03'],
        context.locale,
      ),
    )
    .action(async (file: string, flags: ImportFlags) => {
      const meeting = flags.meeting === undefined ? undefined : Number(flags.meeting);
      if (meeting !== undefined && !(Number.isInteger(meeting) && meeting > 0)) {
        fail(say.badMeeting(String(flags.meeting)), 2);
      }
      if (flags.name !== undefined && (!flags.name.endsWith('.md') || flags.name !== path.basename(flags.name))) {
        fail(say.badFileName(flags.name), 2);
      }
      if (flags.name !== undefined && !flags.into) fail(say.nameWithoutInto(), 2);
      if (flags.acceptChanges && flags.rejectChanges) fail(say.acceptAndReject(), 2);
      const [{ importDocx }, { formatMessageIn, GazetteInputError }] = await Promise.all([
        import('../import/import-docx.js'),
        import('../model/index.js'),
      ]);
      const result = await importDocx(path.resolve(context.cwd, file), {
        into: flags.into ? path.resolve(context.cwd, flags.into) : undefined,
        name: flags.name,
        kind: flags.kind,
        meeting,
        changes: flags.acceptChanges ? 'accept' : flags.rejectChanges ? 'reject' : undefined,
      });
      // Messages name the file as it was typed.
      for (const message of [...result.warnings, ...result.problems]) message.file = file;
      for (const warning of result.warnings) context.logger.warn(formatMessageIn(warning, context.locale ?? 'en'));
      if (!flags.into && result.problems.length === 0) context.stdout(result.markdown.trimEnd());
      if (result.problems.length > 0) {
        if (flags.into) context.logger.info(context.locale === 'zh' ? '未写入任何文件' : 'nothing written');
        throw new GazetteInputError(result.problems);
      }
      for (const image of result.images) context.stdout(`${path.relative(context.cwd, image)}: image`);
      if (result.written) {
        context.stdout(
          `${path.relative(context.cwd, result.written)}: ${result.meta.kind}, review the fields marked REVIEW`,
        );
      }
    });
}
