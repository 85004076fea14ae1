import path from 'node:path';
import type { Point } from 'unist';
import type { VFileMessage } from 'vfile-message';
import { isNode, parseDocument } from 'yaml';
import { type GazetteDocument, type IssueConfig, parseChineseNumber, ruleIds, say } from '../model/index.js';
import { finding } from './finding.js';

/** Where the issue's own fields are: issue.yml, or the front matter of a single-file issue. */
export interface ConfigSource {
  file: string;
  yaml: string;
  /** Offset of the YAML text in the file. */
  offset: number;
  toPoint: (offset: number) => Point | undefined;
}

/**
 * The issue's own fields against each other: the date of issue lies in the issue's `year` (`issue-date`), each
 * meeting's name names its `number` (`meeting-number`).
 */
export function checkIssueConfig(config: IssueConfig, source: ConfigSource): VFileMessage[] {
  const document = parseDocument(source.yaml);
  const placeOf = (keyPath: (string | number)[]) => {
    const node = document.getIn(keyPath, true);
    const start = isNode(node) ? node.range?.[0] : undefined;
    return source.toPoint(source.offset + (start ?? 0));
  };
  const findings: VFileMessage[] = [];
  if (!config.date.startsWith(`${config.year}-`)) {
    findings.push(
      finding(source.file, say.issueDateYear(config.date, config.year), {
        place: placeOf(['date']),
        ruleId: ruleIds.issueDate,
        fatal: true,
      }),
    );
  }
  for (const [index, meeting] of config.meetings.entries()) {
    const named = namedMeeting(meeting.name);
    if (named === undefined || named === meeting.number) continue;
    findings.push(
      finding(source.file, say.meetingNameNumber(meeting.name, named, meeting.number), {
        place: placeOf(['meetings', index, 'name']),
        ruleId: ruleIds.meetingNumber,
        fatal: true,
      }),
    );
  }
  return findings;
}

/** The committee meeting a text names ("…第二十次会议" → 20); a congress session is not one. */
export function namedMeeting(text: string): number | undefined {
  for (const match of text.matchAll(/第([〇零一二两三四五六七八九十0-9]+)次(?:全体)?会议/gu)) {
    if (/(?:代表大会|人代会)$/.test(text.slice(0, match.index))) continue;
    return parseChineseNumber(match[1] as string);
  }
  return undefined;
}

/**
 * `document-order`: the documents in the order of their meetings in issue.yml. The contents, the bookmarks and
 * the body all follow the documents' order, so a document filed after the next meeting's would be printed,
 * listed and bookmarked under the wrong meeting.
 */
export function checkDocumentOrder(
  config: IssueConfig,
  documents: readonly { document: GazetteDocument; place?: Point }[],
): VFileMessage[] {
  const rank = (document: GazetteDocument) =>
    config.meetings.findIndex((meeting) => meeting.number === document.meta.meeting);
  const findings: VFileMessage[] = [];
  let latest: GazetteDocument | undefined;
  for (const { document, place } of documents) {
    if (latest && rank(document) < rank(latest)) {
      findings.push(
        finding(
          document.file.path,
          say.documentOrder(document.meta.meeting, path.basename(latest.file.path), latest.meta.meeting),
          { place: place ?? { line: 1, column: 1 }, ruleId: ruleIds.documentOrder, fatal: true },
        ),
      );
    } else latest = document;
  }
  return findings;
}
