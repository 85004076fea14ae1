import path from 'node:path';
import { type Command, Option } from 'commander';
import { say } from '../model/catalog.js';
import { layoutProfiles, pageSizes } from '../model/choices.js';
import type { LayoutProfile, PageSize } from '../model/index.js';
import { type CliContext, fail } from './context.js';
import { helpAfter } from './help.js';

interface NewFlags {
  issues: string;
  from?: string;
  year?: string;
  publication?: string;
  issuer?: string;
  profile?: LayoutProfile;
  pageSize?: PageSize;
}

/** `gazette new <issue-id>`: scaffolds the next issue's folder from the publication's latest issue. */
export function registerNew(program: Command, context: CliContext): void {
  program
    .command('new')
    .description(
      "scaffold the next issue: issue.yml with the next number and the publication's fields, a starter agenda and attendance list",
    )
    .argument('<issue-id>', 'the new folder under the issues folder (baoshan-2024-04)')
    .option('--issues <dir>', 'the folder holding the issues', 'issues')
    .option('--from <issue>', "copy the publication's fields and last meeting from this issue (default: its latest)")
    .option('--year <year>', 'the issue year (default: the year in the id, else this year)')
    .option('--publication <name>', 'the publication (required for its first issue)')
    .option('--issuer <name>', 'the issuing organ (required for the first issue)')
    .addOption(
      new Option('--profile <profile>', 'layout (default: as the latest issue, else one-column)').choices(
        layoutProfiles,
      ),
    )
    .addOption(new Option('--page-size <size>', 'page size (default: as the latest issue, else A4)').choices(pageSizes))
    .addHelpText(
      'after',
      helpAfter(
        'new',
        [
          'gazette new baoshan-2024-04',
          'gazette new baoshan-2025-01 --from issues/baoshan-2024-04',
          'gazette new minhang-2025-01 --publication 上海市闵行区人民代表大会常务委员会公报 --issuer 上海市闵行区人民代表大会常务委员会',
        ],
        context.locale,
      ),
    )
    .action(async (id: string, flags: NewFlags) => {
      if (flags.year !== undefined && !/^\d{4}$/.test(flags.year)) {
        fail(say.badYear(flags.year, 2025), 2);
      }
      const issuesDir = path.resolve(context.cwd, flags.issues);
      const { NewIssueRefusedError, newIssue } = await import('../api/new-issue.js');
      try {
        const result = await newIssue(id, {
          issuesDir,
          now: new Date(),
          from: flags.from === undefined ? undefined : path.resolve(context.cwd, flags.from),
          year: flags.year === undefined ? undefined : Number(flags.year),
          publication: flags.publication,
          issuer: flags.issuer,
          profile: flags.profile,
          pageSize: flags.pageSize,
          logger: context.logger,
        });
        const { config } = result;
        const meeting = config.meetings[0];
        context.stdout(
          `${path.relative(context.cwd, result.dir)}: ${config.year}年第${config.number}期${result.template ? ` (fields from ${result.template.id})` : ''}, meeting ${meeting?.number}; ${result.files.join(', ')}: fill in what is marked TODO`,
        );
      } catch (error) {
        if (error instanceof NewIssueRefusedError) fail(error.message.replaceAll(issuesDir, flags.issues), 1);
        throw error;
      }
    });
}
