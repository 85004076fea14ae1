import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Makes temp folders for a test file and removes them all after its tests. */
export function useTempDirs(prefix: string): () => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `gazette-${prefix}-`));
    created.push(dir);
    return dir;
  };
}

/** An issue.yml with two meetings (21 and 22), as the Hongkou sample has. */
export const twoMeetingIssueYml = [
  'publication: 上海市虹口区人民代表大会常务委员会公报',
  'issuer: 上海市虹口区人民代表大会常务委员会',
  'year: 2024',
  'number: 3',
  'date: 2024-08-30',
  'profile: two-column',
  'meetings:',
  '  - number: 21',
  '    name: 虹口区第十七届人大常委会第二十一次会议',
  '    date: 2024-05-21',
  '  - number: 22',
  '    name: 虹口区第十七届人大常委会第二十二次会议',
  '    date: 2024-07-25',
  '',
].join('\n');

/**
 * A document: front matter on lines 1-5 (kind on 2, meeting on 3, title on 4) plus `fields` from line 5, the
 * closing `---`, a blank line, then the body (on line 7 without extra fields).
 */
export function documentSource(
  body: string,
  fields: string[] = [],
  head: { kind?: string; meeting?: number; title?: string } = {},
) {
  return [
    '---',
    `kind: ${head.kind ?? 'report'}`,
    `meeting: ${head.meeting ?? 21}`,
    `title: ${head.title ?? '关于工作情况的报告'}`,
    ...fields,
    '---',
    '',
    body,
    '',
  ].join('\n');
}
