import path from 'node:path';
import type { Root } from 'mdast';
import type { Point } from 'unist';
import type { VFileMessage } from 'vfile-message';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import {
  chineseDate,
  documentTitle,
  type GazetteDocument,
  type Meeting,
  ruleIds,
  say,
  speakersOf,
  unpadName,
} from '../model/index.js';
import { finding } from './finding.js';
import { namedMeeting } from './issue-config.js';
import { checkText, meetingNumberProblems, runFindings, type TextProblem, type TextRun } from './text.js';

/** Where a document's fields sit in its source file: the front matter, or the ```yaml block of a single-file issue. */
export interface MetaSource {
  /** The YAML text. */
  yaml: string;
  /** Offset of the YAML text in the source file. */
  offset: number;
  /** Offset where the block ends (its closing fence). */
  end: number;
}

/** The front matter of a document file, from its body tree (remark-frontmatter's `yaml` node). */
export function frontMatterSource(tree: Root, text: string): MetaSource | undefined {
  const node = tree.children[0];
  const start = node?.position?.start.offset;
  if (node?.type !== 'yaml' || start === undefined) return undefined;
  return { yaml: node.value, offset: text.indexOf('\n', start) + 1, end: node.position?.end.offset ?? start };
}

/** The ```yaml block under the `index`-th `#` heading of a single-file issue, from the whole file's tree. */
export function singleFileMetaSource(tree: Root, text: string, index: number): MetaSource | undefined {
  const headings = tree.children.flatMap((node, at) => (node.type === 'heading' && node.depth === 1 ? [at] : []));
  const at = headings[index];
  if (at === undefined) return undefined;
  const block = tree.children[at + 1];
  const start = block?.position?.start.offset;
  if (block?.type !== 'code' || block.lang !== 'yaml' || start === undefined) return undefined;
  return { yaml: block.value, offset: text.indexOf('\n', start) + 1, end: block.position?.end.offset ?? start };
}

/** One string value of the fields: `title`, `speaker.name`, `signature.1` … */
export interface FieldValue {
  /** The top-level field it belongs to. */
  field: string;
  path: string;
  value: string;
  /** Offset of the field's key in the YAML text. */
  keyOffset: number;
  /** Offset of the value's first character in the YAML text, when the source holds it as it is. */
  valueOffset?: number;
}

/** The string values of a YAML mapping, each with the place of its key and (plain or quoted on one line) value. */
export function fieldValues(yaml: string): FieldValue[] {
  const document = parseDocument(yaml, { keepSourceTokens: false });
  const values: FieldValue[] = [];
  if (!isMap(document.contents)) return values;
  for (const pair of document.contents.items) {
    if (!isScalar(pair.key)) continue;
    const field = String(pair.key.value);
    const keyOffset = pair.key.range?.[0] ?? 0;
    const walk = (node: unknown, path: string) => {
      if (isScalar(node)) {
        if (typeof node.value === 'string') {
          values.push({ field, path, value: node.value, keyOffset, valueOffset: exactStart(yaml, node) });
        }
      } else if (isSeq(node)) {
        for (const [i, item] of node.items.entries()) walk(item, `${path}.${i}`);
      } else if (isMap(node)) {
        for (const inner of node.items)
          if (isScalar(inner.key)) walk(inner.value, `${path}.${String(inner.key.value)}`);
      }
    };
    walk(pair.value, field);
  }
  return values;
}

/** The offset of a scalar's value in the YAML text when its source is the value itself (plain or quoted). */
function exactStart(yaml: string, node: YamlNode & { value: unknown; type?: string }): number | undefined {
  const range = node.range;
  if (!range) return undefined;
  const source = yaml.slice(range[0], range[1]);
  if (node.type === 'PLAIN' && source === node.value) return range[0];
  if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && source.slice(1, -1) === node.value) {
    return range[0] + 1;
  }
  return undefined;
}

/** The fields where "第X次会议" names the meeting that adopted or heard the document. */
const meetingFields = new Set(['adopted', 'occasion']);

/**
 * The text rules on a document's field values (punctuation, spaces, dates, pairs; fixable where the value is
 * written plainly on one line), and `meeting-number` on `adopted` and `occasion`. The lines of a title given
 * as a list are one text ("对《…" / "…》的审议意见" closes its pair).
 */
export function checkFields(
  document: GazetteDocument,
  meta: MetaSource,
  toPoint: (offset: number) => Point | undefined,
  meeting?: Meeting,
): VFileMessage[] {
  const runs: { field: string; run: TextRun }[] = [];
  for (const value of fieldValues(meta.yaml)) {
    const previous = runs.at(-1);
    const joined = value.field === 'title' && previous?.field === 'title';
    const run = joined ? previous.run : { text: '', pieces: [] };
    run.pieces.push({
      at: run.text.length,
      length: value.value.length,
      offset: value.valueOffset === undefined ? undefined : meta.offset + value.valueOffset,
      point: toPoint(meta.offset + value.keyOffset),
    });
    run.text += value.value;
    if (!joined) runs.push({ field: value.field, run });
  }
  return runs.flatMap(({ field, run }) => {
    const problems: TextProblem[] = checkText(run.text);
    if (meetingFields.has(field)) {
      problems.push(...meetingNumberProblems(run.text, document.meta.meeting));
      if (meeting) problems.push(...meetingDateProblems(run.text, meeting));
    }
    return runFindings(run, problems, document.file.path, toPoint);
  });
}

/**
 * `meeting-date`: a line that names the document's meeting ("2024年5月29日…第二十次会议通过") gives that
 * meeting's date as issue.yml does. Lines naming another meeting (`meeting-number`) or none are left alone.
 */
export function meetingDateProblems(text: string, meeting: Meeting): TextProblem[] {
  if (namedMeeting(text) !== meeting.number) return [];
  const match = /([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日/u.exec(text);
  if (!match) return [];
  const written = `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
  if (written === meeting.date) return [];
  const { en, zh } = say.meetingDate(match[0], meeting.number, chineseDate(meeting.date));
  return [
    {
      start: match.index,
      end: match.index + match[0].length,
      ruleId: ruleIds.meetingDate,
      reason: en,
      zh,
      fatal: true,
    },
  ];
}

/** The place of a field's key (`title:`), else the start of the fields. */
export function fieldPoint(
  meta: MetaSource,
  field: string,
  toPoint: (offset: number) => Point | undefined,
): Point | undefined {
  const document = parseDocument(meta.yaml);
  const pair = isMap(document.contents)
    ? document.contents.items.find((item) => isScalar(item.key) && item.key.value === field)
    : undefined;
  const key = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return toPoint(meta.offset + (key ?? 0));
}

/** A document with the place of its fields, for the rules across documents. */
export interface PlacedDocument {
  document: GazetteDocument;
  meta?: MetaSource;
  toPoint: (offset: number) => Point | undefined;
  /** The body's text (without the fields), trimmed. */
  body: string;
}

/**
 * Rules across the documents of an issue: the same kind, title and speaker (or author) twice in one meeting
 * (`duplicate-title`, a warning: an issue carries several 任免名单 and 履职情况报告, but not two equal ones);
 * two documents with one id or one body (`duplicate-document`).
 */
export function checkAcrossDocuments(documents: PlacedDocument[]): VFileMessage[] {
  const findings: VFileMessage[] = [];
  const byTitle = new Map<string, VFileMessage>();
  const byId = new Map<string, VFileMessage>();
  const byBody = new Map<string, VFileMessage>();
  for (const placed of documents) {
    const { document } = placed;
    const file = document.file.path;
    const titlePlace = placed.meta ? fieldPoint(placed.meta, 'title', placed.toPoint) : undefined;
    const here = (reason: string) =>
      finding(file, reason, { place: titlePlace, ruleId: ruleIds.duplicateDocument, fatal: true });

    // Lists name no one, and one meeting may adopt several "任免名单": only a title that names its speaker
    // (or author) twice is suspicious.
    const speakers = speakersOf(document.meta).map((speaker) => unpadName(speaker.name));
    if (speakers.length === 0 && document.meta.author) speakers.push(document.meta.author);
    const titleKey = JSON.stringify([
      document.meta.meeting,
      document.meta.kind,
      documentTitle(document.meta),
      speakers,
    ]);
    const sameTitle = speakers.length > 0 ? byTitle.get(titleKey) : undefined;
    if (sameTitle) {
      findings.push(
        finding(
          file,
          `Unexpected second ${document.meta.kind} “${documentTitle(document.meta)}”${speakers.length > 0 ? ` by ${speakers.join('、')}` : ''} in meeting ${document.meta.meeting}, expected each document once (the first is ${nameOf(sameTitle)}:${sameTitle.line})`,
          { place: titlePlace, ruleId: ruleIds.duplicateTitle, fatal: false, cause: sameTitle },
        ),
      );
    } else byTitle.set(titleKey, here('The first one'));

    const sameId = byId.get(document.id);
    if (sameId) {
      findings.push(
        finding(file, `Unexpected second document with the id \`${document.id}\`, expected one (${nameOf(sameId)})`, {
          place: titlePlace,
          ruleId: ruleIds.duplicateDocument,
          fatal: true,
          cause: sameId,
        }),
      );
    } else byId.set(document.id, here('The first one'));

    if (placed.body === '') continue;
    const sameBody = byBody.get(placed.body);
    if (sameBody) {
      findings.push(
        finding(file, `Unexpected body identical to ${nameOf(sameBody)}, expected each document once`, {
          place: titlePlace,
          ruleId: ruleIds.duplicateDocument,
          fatal: false,
          cause: sameBody,
        }),
      );
    } else byBody.set(placed.body, here('The first one'));
  }
  return findings;
}

/** The file name of the document a finding is on (documents of one issue share its folder). */
function nameOf(message: VFileMessage): string {
  return path.basename(message.file ?? '');
}
