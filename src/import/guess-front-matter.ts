import { stringify } from 'yaml';
import {
  type DocumentKind,
  type DocumentMeta,
  headingLevelOf,
  type Meeting,
  parseChineseNumber,
  type Speaker,
  unpadName,
} from '../model/index.js';
import { normaliseLine } from './normalise-text.js';

/** One block of the Word file as the front matter guess sees it. */
export interface Line {
  /** Normalised text (full-width punctuation, no padding spaces). */
  text: string;
  /** The text as Word had it, spaces kept: a speaker line separates post and name with them. */
  raw: string;
  centred: boolean;
  right: boolean;
  bold: boolean;
  /** A Word heading (`Heading 1` …) rather than a paragraph. */
  heading: boolean;
  table: boolean;
}

export interface GuessOptions {
  kind?: DocumentKind | null;
  meeting?: number | null;
  /** The meetings of the issue the document goes into: a meeting is matched by number, then by date. */
  meetings?: readonly Meeting[] | null;
}

/** Fields of the front matter in the order they are written. */
const fieldOrder = [
  'kind',
  'meeting',
  'issuer',
  'title',
  'contents',
  'adopted',
  'number',
  'docNumber',
  'occasion',
  'speaker',
  'author',
  'session',
  'salutation',
  'signature',
] as const satisfies readonly (keyof DocumentMeta)[];

export type Field = (typeof fieldOrder)[number];

export interface GuessedFrontMatter {
  /** The fields; `meeting` is 0 when no meeting could be found. */
  meta: DocumentMeta;
  /** Guessed fields, each with a note for the reader (empty: just check it). */
  review: Map<Field, string>;
  /** The blocks [bodyStart, bodyEnd) are the body; those before and after went into the fields. */
  bodyStart: number;
  bodyEnd: number;
}

const patterns = {
  occasion: /^[-—–－─]+\s*(.+)$/u,
  adopted: /^[（(](.+通过)[）)]$/u,
  session: /^[（(](会期.+)[）)]$/u,
  number: /^[（(]([〔【[].+号)[）)]$/u,
  docNumber: /^\S{1,12}[〔【[]\d{4}[〕】\]]\d+号$/u,
  salutation: /^[^。，；！？]{2,30}：$/u,
  addressee: /主任|委员|常委会|人大|代表|同志|政府|会议/u,
  sentenceEnd: /[。；，：！？]$/u,
  bodyOpening: /(?:决定|认为|要求|指出|通知如下|公告如下)：$/u,
  closingFormula: /^(?:特此(?:报告|公告|通知|函告)|以上报告|请予审议|妥否)/u,
  date: /^[\d〇零一二三四五六七八九]{4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$/u,
  meeting: /第([〇零一二两三四五六七八九十百\d]+)次(?:全体)?会议/u,
  issuerLine: /(?:人民代表大会常务委员会|人大常委会)$/u,
  organ: /(?:人民政府|委员会|工委|法院|检察院|局|办公室|代表组)$/u,
  speakerNoSpace: /^(.+(?:长|主任|委员|书记|主席|主委|代表|员|官))([\p{Script=Han}·]{2,4})$/u,
  name: /^[\p{Script=Han}·]{2,6}$/u,
};

/** Kinds whose speaker line may come right under the title, with no occasion line (a deputy's duty report). */
const speakerKinds = new Set<DocumentKind>(['duty-report', 'speech']);

/** A line that is a date and nothing else ("2024年5月29日", "二〇二四年五月二十九日"): a signature's last line. */
export function isDateLine(text: string): boolean {
  return patterns.date.test(text);
}

/** The kind a title names, suffixes looked at in this order (调研报告 before 报告). */
const kindSuffixes: [RegExp, DocumentKind][] = [
  [/调研报告$/u, 'research-report'],
  [/执法检查(?:情况的)?报告$/u, 'inspection-report'],
  // "关于检查本区贯彻实施《…》情况的报告": the committee's inspection of how a law is carried out.
  [/^关于检查.*(?:贯彻实施|执行|实施).*情况的报告$/u, 'inspection-report'],
  [/履职情况(?:的)?报告$/u, 'duty-report'],
  [/备案报告$/u, 'filing-report'],
  [/审议意见$/u, 'opinion'],
  [/决议$/u, 'resolution'],
  [/决定$/u, 'decision'],
  [/公告$/u, 'announcement'],
  [/名单$/u, 'appointments'],
  [/出席(?:会议)?情况$/u, 'attendance'],
  [/列席(?:会议)?情况$/u, 'attendees'],
  [/(?:议程|议题)$/u, 'agenda'],
  [/讲话$/u, 'speech'],
  [/(?:书面报告|的情况报告)$/u, 'written-report'],
  [/报告$/u, 'report'],
];

/** The kind of a document told by its title ("…的报告" → report), `other` when none fits. */
export function kindOfTitle(title: string): DocumentKind {
  const bare = title.replace(/[（(][^（）()]*[）)]$/u, '');
  return kindSuffixes.find(([pattern]) => pattern.test(bare))?.[1] ?? 'other';
}

/**
 * Reads the front matter off the first blocks of a Word document, the way the printed gazette lays them out:
 * title lines (up to the first line of another kind), "——…会议上" (occasion), the speaker's post and name,
 * "（…通过）" (adoption note), "（会期…）", "（〔…〕第…号）", and the salutation that ends the title block.
 * A date at the end, with the lines of an issuer above it, is the signature.
 */
export function guessFrontMatter(lines: Line[], options: GuessOptions = {}): GuessedFrontMatter {
  const review = new Map<Field, string>();
  const fields: Partial<Record<Field, unknown>> = {};
  const title: string[] = [];
  let titleStyled = false;
  let afterTitle = false;
  let at = 0;
  for (; at < lines.length && at < 16; at++) {
    const line = lines[at] as Line;
    const text = line.text;
    if (line.table) break;
    const match = (pattern: RegExp) => pattern.exec(text)?.[1];
    const occasion = title.length > 0 ? match(patterns.occasion) : undefined;
    if (occasion !== undefined && fields.occasion === undefined) {
      fields.occasion = occasion;
      afterTitle = true;
    } else if (match(patterns.adopted) !== undefined && fields.adopted === undefined) {
      fields.adopted = match(patterns.adopted);
      afterTitle = true;
    } else if (match(patterns.session) !== undefined && fields.session === undefined) {
      fields.session = match(patterns.session);
      afterTitle = true;
    } else if (match(patterns.number) !== undefined && fields.number === undefined) {
      fields.number = match(patterns.number);
      afterTitle = true;
    } else if (title.length > 0 && patterns.docNumber.test(text) && fields.docNumber === undefined) {
      fields.docNumber = text;
      afterTitle = true;
    } else if (title.length > 0 && isSalutation(text)) {
      fields.salutation = text;
      at++;
      break;
    } else if (title.length === 0) {
      if (headingLevelOf(text) !== undefined) break;
      title.push(text);
      titleStyled = line.centred || line.bold || line.heading;
    } else if (fields.occasion === undefined && fields.author === undefined && isAuthor(line, lines[at + 1])) {
      fields.author = text;
      afterTitle = true;
      review.set('author', '');
    } else if (!afterTitle && title.length < 4 && continuesTitle(line, titleStyled, lines.slice(at + 1, at + 3))) {
      title.push(text);
    } else if (
      fields.speaker === undefined &&
      (fields.occasion !== undefined ||
        fields.adopted !== undefined ||
        speakerKinds.has(kindOfTitle(title.join('')))) &&
      parseSpeaker(line.raw)
    ) {
      fields.speaker = parseSpeaker(line.raw);
      review.set('speaker', '');
    } else {
      break;
    }
  }
  const bodyStart = at;

  if (title.length > 1 && patterns.issuerLine.test(title[0] as string)) {
    fields.issuer = title.shift();
    review.set('issuer', '');
  }
  fields.title = title.length === 1 ? title[0] : title.length > 1 ? title : '';
  review.set('title', title.length === 0 ? 'no title found: write it here' : '');

  const signature = trailingSignature(lines, bodyStart);
  if (signature.length > 0) {
    fields.signature = signature;
    review.set('signature', '');
  }

  const titleText = title.join('');
  fields.kind = options.kind ?? kindOfTitle(titleText);
  if (!options.kind) {
    review.set('kind', fields.kind === 'other' ? 'no kind told by the title: choose one (docs/source-format.md)' : '');
  }

  const meeting =
    options.meeting ?? guessMeeting([fields.occasion, fields.adopted, fields.session, titleText], options);
  fields.meeting = meeting ?? 0;
  if (!options.meeting) {
    review.set(
      'meeting',
      meeting === undefined ? 'no “第…次会议” found: write the number of the meeting in issue.yml' : '',
    );
  }

  const meta = Object.fromEntries(
    fieldOrder.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]),
  ) as DocumentMeta;
  return { meta, review, bodyStart, bodyEnd: lines.length - signature.length };
}

function isSalutation(text: string): boolean {
  // "…第二十次会议决定：" opens a resolution's body: it addresses no one.
  return patterns.salutation.test(text) && patterns.addressee.test(text) && !patterns.bodyOpening.test(text);
}

/** A second or third title line: styled like the first, or followed by a line of the title block. */
function continuesTitle(line: Line, titleStyled: boolean, next: Line[]): boolean {
  if (line.table || headingLevelOf(line.text) !== undefined || [...line.text].length > 40) return false;
  if (patterns.sentenceEnd.test(line.text)) return false;
  if (titleStyled) return line.centred || line.bold || line.heading;
  return next.some((following) => isTitleBlockLine(following.text));
}

function isTitleBlockLine(text: string): boolean {
  return (
    patterns.occasion.test(text) ||
    patterns.adopted.test(text) ||
    patterns.session.test(text) ||
    patterns.number.test(text) ||
    isSalutation(text)
  );
}

/** An author line ("宝山区人民政府"): an organ's name right above the salutation. */
function isAuthor(line: Line, next: Line | undefined): boolean {
  if ([...line.text].length > 30 || !patterns.organ.test(line.text)) return false;
  return next !== undefined && isSalutation(next.text);
}

/**
 * A speaker line: post, then name, separated by spaces ("宝山区副区长  朱众伟"), the name maybe padded
 * ("局长  王 甯"); without spaces, the name is what follows the last title word of the post ("副区长朱众伟").
 */
export function parseSpeaker(raw: string): Speaker | undefined {
  const text = raw.replace(/[\s\u3000]+/g, ' ').trim();
  if ([...text].length > 40 || /[。，；：！？]/u.test(text) || headingLevelOf(text) !== undefined) return undefined;
  const parts = text.split(' ');
  let post: string;
  let name: string;
  if (parts.length >= 2) {
    let singles = 0;
    while (singles < parts.length - 1 && singles < 3 && [...(parts.at(-1 - singles) as string)].length === 1) {
      singles++;
    }
    const nameParts = singles >= 2 ? parts.slice(-singles) : parts.slice(-1);
    name = unpadName(nameParts.join(''));
    post = normaliseLine(parts.slice(0, parts.length - nameParts.length).join(''));
  } else {
    const match = patterns.speakerNoSpace.exec(text);
    if (!match) return undefined;
    post = normaliseLine(match[1] as string);
    name = match[2] as string;
  }
  if (!patterns.name.test(name) || post === '') return undefined;
  return { post, name };
}

/** Signature lines at the end: a date, with up to two short lines (the issuer, "申请人：…") above it. */
function trailingSignature(lines: Line[], bodyStart: number): string[] {
  const last = lines.at(-1);
  if (!last || lines.length - 1 < bodyStart || !patterns.date.test(last.text)) return [];
  const signature = [last.text];
  for (let index = lines.length - 2; index >= bodyStart && signature.length < 3; index--) {
    const line = lines[index] as Line;
    const short = [...line.text].length <= 30 && !/[。；！？]$/u.test(line.text) && !line.table && !line.heading;
    if (!short || headingLevelOf(line.text) !== undefined || (!line.right && /[，、]/u.test(line.text))) break;
    if (patterns.closingFormula.test(line.text)) break;
    signature.unshift(line.text);
  }
  return signature;
}

/** The meeting's number: "第二十次会议" in the texts, else the issue's meeting on the date they name. */
function guessMeeting(texts: (unknown | undefined)[], options: GuessOptions): number | undefined {
  const all = texts.filter((text): text is string => typeof text === 'string').join('\n');
  const written = patterns.meeting.exec(all)?.[1];
  if (written !== undefined) return parseChineseNumber(written);
  const meetings = options.meetings ?? [];
  for (const [, y, m, d] of all.matchAll(/(\d{4})年(\d{1,2})月(\d{1,2})日/gu)) {
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const meeting = meetings.find((candidate) => candidate.date === iso);
    if (meeting) return meeting.number;
  }
  return meetings.length === 1 ? meetings[0]?.number : undefined;
}

/**
 * The front matter block: a comment naming the Word file, the fields in their usual order, each guessed one
 * marked `# REVIEW` (with why, where something is missing).
 */
export function frontMatterYaml(meta: DocumentMeta, review: Map<Field, string>, sourceName?: string | null): string {
  const lines = ['---', `# imported from ${sourceName || 'a Word file'}: review the fields marked REVIEW`];
  const scalar = (value: unknown) => stringify(value, { lineWidth: 0 }).trimEnd();
  for (const field of fieldOrder) {
    const value = meta[field];
    if (value === undefined) continue;
    const note = review.get(field);
    const mark = note === undefined ? '' : ` # REVIEW${note ? `: ${note}` : ''}`;
    if (Array.isArray(value)) {
      lines.push(`${field}:${mark}`, ...value.map((item) => `  - ${scalar(item)}`));
    } else if (typeof value === 'object' && value !== null) {
      lines.push(`${field}:${mark}`, ...Object.entries(value).map(([key, item]) => `  ${key}: ${scalar(item)}`));
    } else {
      lines.push(`${field}: ${scalar(value)}${mark}`);
    }
  }
  lines.push('---');
  return `${lines.join('\n')}\n`;
}
