import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  chineseDate,
  chineseNumber,
  type IssueConfig,
  type LayoutProfile,
  type Meeting,
  meetingFileName,
  type PageSize,
} from '../model/index.js';
import { issueConfigName, type ListedIssue, listIssues, readIssueConfig } from '../sources/list-issues.js';
import { readIssue } from '../sources/read-issue.js';
import { type Logger, silentLogger } from './logger.js';

export { type IssueListing, type ListedIssue, listIssues } from '../sources/list-issues.js';

/** The latest issue: highest year, then number, then date of issue. */
export function latestIssue<T extends { config: IssueConfig }>(issues: readonly T[]): T | undefined {
  return [...issues].sort(
    (a, b) =>
      a.config.year - b.config.year || a.config.number - b.config.number || a.config.date.localeCompare(b.config.date),
  )[issues.length - 1];
}

export interface NewIssueOptions {
  /** The folder holding the issues (issues/); the new one is made in it. */
  issuesDir: string;
  /** The clock: today's date (within the issue's year) becomes the placeholder date, its year the default year. */
  now: Date;
  /** The issue to copy the publication's fields from; default: the latest issue of the publication. */
  from?: string;
  /** The issue's year; default: the year in the id, else today's. */
  year?: number;
  /** Which publication (and, with no issue of it yet, its name). */
  publication?: string;
  /** The issuing organ; required with no issue to copy from. */
  issuer?: string;
  profile?: LayoutProfile;
  pageSize?: PageSize;
  logger?: Logger;
}

export interface NewIssueResult {
  dir: string;
  config: IssueConfig;
  /** The issue the fields were copied from. */
  template?: ListedIssue;
  /** The files written, relative to `dir`. */
  files: string[];
}

/** `gazette new` declines: an existing folder, a publication it cannot tell, fields it lacks. */
export class NewIssueRefusedError extends Error {
  override name = 'NewIssueRefusedError';
}

/**
 * Scaffolds the next issue, `<issuesDir>/<id>/`: issue.yml with the publication's fields copied from its latest
 * issue (or `from`), the next number (1 in a new year), a placeholder date in its year, and a placeholder meeting after the
 * source issue's last; a starter agenda and attendance list. What is to be filled in is marked TODO. The folder
 * is written under a temporary name, read back with readIssue, then renamed: it never exists half-made.
 */
export async function newIssue(id: string, options: NewIssueOptions): Promise<NewIssueResult> {
  const logger = options.logger ?? silentLogger;
  if (!/^[^./\\\s][^/\\\s]*$/u.test(id) || id.endsWith('.md')) {
    throw new NewIssueRefusedError(
      `Unexpected issue id \`${id}\`, expected a folder name such as baoshan-2024-04 (no path, spaces or leading dot)`,
    );
  }
  const dir = path.join(options.issuesDir, id);
  for (const existing of [dir, `${dir}.md`]) {
    if (await stat(existing).catch(() => undefined)) {
      throw new NewIssueRefusedError(`${existing} already exists: gazette new never overwrites an issue`);
    }
  }

  const listing = await listIssues(options.issuesDir);
  for (const error of listing.unreadable)
    logger.warn(`skipped an issue whose fields cannot be read:\n${error.message}`);
  const template = options.from ? await listedIssue(options.from) : pickTemplate(id, listing.issues, options);
  const publication = options.publication ?? template?.config.publication;
  const issuer = options.issuer ?? template?.config.issuer;
  if (!publication || !issuer) {
    throw new NewIssueRefusedError(
      `No issue under ${options.issuesDir} to copy the publication's fields from: give --publication and --issuer (and --profile, --page-size) for a first issue, or --from <issue>`,
    );
  }

  const today = shanghaiDate(options.now);
  const idYear = yearInId(id);
  if (options.year !== undefined && idYear !== undefined && options.year !== idYear) {
    throw new NewIssueRefusedError(`Unexpected year ${options.year} for the issue id \`${id}\`, which names ${idYear}`);
  }
  const year = options.year ?? idYear ?? Number(today.slice(0, 4));
  const sameSeries = [...listing.issues, ...(template ? [template] : [])].filter(
    (listed) => listed.config.publication === publication && listed.config.year === year,
  );
  const number = Math.max(0, ...sameSeries.map((listed) => listed.config.number)) + 1;

  const last = latestMeeting(template?.config.meetings ?? []);
  // A placeholder date in the issue's year (today when that is this year), not before the issue copied from.
  const sameYear = template?.config.year === year ? template.config.date : undefined;
  const floor = sameYear && sameYear > `${year}-01-01` ? sameYear : `${year}-01-01`;
  const date = today < floor ? floor : today > `${year}-12-31` ? `${year}-12-31` : today;
  const meeting: Meeting = {
    number: (last?.number ?? 0) + 1,
    name: nextMeetingName(last, issuer),
    date,
  };
  const config: IssueConfig = {
    publication,
    issuer,
    year,
    number,
    date,
    profile: options.profile ?? template?.config.profile ?? 'one-column',
    pageSize: options.pageSize ?? template?.config.pageSize ?? 'A4',
    runningHead: publication === template?.config.publication ? template.config.runningHead : undefined,
    meetings: [meeting],
  };
  const files: Record<string, string> = {
    [issueConfigName]: issueYaml(config, template, last),
    [meetingFileName(meeting.number, 1, 'agenda')]: agendaSource(meeting),
    [meetingFileName(meeting.number, 90, 'attendance')]: attendanceSource(meeting),
  };

  await mkdir(options.issuesDir, { recursive: true });
  const scratch = await mkdtemp(path.join(options.issuesDir, `.new-${id}-`));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(scratch, name), text);
    await readIssue(scratch).catch((error: Error) => {
      throw new Error(`The scaffold of ${id} does not read back (a bug in gazette new):\n${error.message}`);
    });
    if (await stat(dir).catch(() => undefined)) {
      throw new NewIssueRefusedError(`${dir} already exists: gazette new never overwrites an issue`);
    }
    await rename(scratch, dir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { dir, config, template, files: Object.keys(files) };
}

async function listedIssue(source: string): Promise<ListedIssue> {
  if (!(await stat(source).catch(() => undefined))) {
    throw new NewIssueRefusedError(`Unexpected --from ${source}: no issue folder or Markdown file here`);
  }
  const id = path.basename(source).replace(/\.md$/, '');
  return { id, source, config: await readIssueConfig(source) };
}

/**
 * The issue to copy from: the latest of the publication asked for; without one, of the only publication in
 * the folder, or of the publication whose issue ids share the new id's stem ("baoshan-…").
 */
function pickTemplate(id: string, issues: ListedIssue[], options: NewIssueOptions): ListedIssue | undefined {
  if (options.publication)
    return latestIssue(issues.filter((listed) => listed.config.publication === options.publication));
  const publications = (list: ListedIssue[]) => [...new Set(list.map((listed) => listed.config.publication))];
  if (publications(issues).length <= 1) return latestIssue(issues);
  const sameStem = issues.filter((listed) => idStem(listed.id) === idStem(id));
  if (sameStem.length > 0 && publications(sameStem).length === 1) return latestIssue(sameStem);
  throw new NewIssueRefusedError(
    `Unexpected issues of ${publications(issues).length} publications under ${options.issuesDir} (${publications(issues).join('、')}), expected to tell which one from the id: give --from <issue> or --publication <name>`,
  );
}

/** "baoshan-2024-04" → "baoshan": the id without its numbers. */
export function idStem(id: string): string {
  return id.replace(/[-_.]?\d+/g, '');
}

/** The year an issue id names ("baoshan-2024-04" → 2024), if any. */
function yearInId(id: string): number | undefined {
  const match = /(?<!\d)(19[5-9]\d|2[01]\d\d)(?!\d)/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** Today in Shanghai (the gazette's dates are China Standard Time, as the PDF dates are), as YYYY-MM-DD. */
function shanghaiDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(now);
}

function latestMeeting(meetings: readonly Meeting[]): Meeting | undefined {
  return [...meetings].sort((a, b) => a.number - b.number).at(-1);
}

/** The next meeting's name from the last one's ("…第二十一次会议" → "…第二十二次会议"), else the issuer's. */
function nextMeetingName(last: Meeting | undefined, issuer: string): string {
  const next = `第${chineseNumber((last?.number ?? 0) + 1)}次`;
  const marker = last ? `第${chineseNumber(last.number)}次` : undefined;
  if (last && marker && last.name.includes(marker)) return last.name.replace(marker, next);
  return `${issuer}${next}会议`;
}

function field(key: string, value: string | number): string {
  return `${key}: ${stringify(value).trimEnd()}`;
}

function issueYaml(config: IssueConfig, template: ListedIssue | undefined, last: Meeting | undefined): string {
  const meeting = config.meetings[0] as Meeting;
  const after = last && template ? `, after meeting ${last.number} in ${template.id}` : '';
  return [
    `# ${config.publication} ${config.year}年第${config.number}期, scaffolded by \`gazette new\`${template ? ` from ${template.id}` : ''}.`,
    '# `gazette check` lists what is left to fill in (the notes below); remove each note once done, then add the',
    '# documents: gazette import 报告.docx --into <this folder>. Files are named <meeting>-<NN>-<kind>.md, so they',
    '# sort in meeting order: the contents, the bookmarks and the body follow that order.',
    field('publication', config.publication),
    field('issuer', config.issuer),
    field('year', config.year),
    field('number', config.number),
    `${field('date', config.date)} # TODO: the date of issue (a placeholder in ${config.year} for now)`,
    field('profile', config.profile),
    field('pageSize', config.pageSize),
    ...(config.runningHead ? [field('runningHead', config.runningHead)] : []),
    'meetings:',
    `  # TODO: the meeting's name and date (placeholders: meeting ${meeting.number}${after}); add the other meetings`,
    `  - ${field('number', meeting.number)}`,
    `    ${field('name', meeting.name)}`,
    `    ${field('date', meeting.date)}`,
    '',
  ].join('\n');
}

function agendaSource(meeting: Meeting): string {
  return [
    '---',
    'kind: agenda',
    field('meeting', meeting.number),
    field('title', `${meeting.name}议程`),
    '# TODO: the adoption note, without its parentheses:',
    `# adopted: ${chineseDate(meeting.date)}${meeting.name}通过`,
    '---',
    '',
    '1. 议程事项（待填写）。',
    '',
  ].join('\n');
}

function attendanceSource(meeting: Meeting): string {
  return [
    '---',
    'kind: attendance',
    field('meeting', meeting.number),
    field('title', `${meeting.name}组成人员出席情况`),
    '# TODO: the session, without its parentheses:',
    `# session: 会期半天，${chineseDate(meeting.date)}下午`,
    '---',
    '',
    '一、应出席会议：（待填写）人',
    '',
    '二、出席（待填写）：',
    '',
    ':::names{columns=6}',
    '待填写',
    ':::',
    '',
    '三、请假（待填写）：',
    '',
    ':::names{columns=6}',
    '待填写',
    ':::',
    '',
  ].join('\n');
}
