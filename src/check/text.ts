import type { Nodes, Parents, PhrasingContent, Root } from 'mdast';
import type { Point } from 'unist';
import { SKIP, visit } from 'unist-util-visit';
import type { VFileMessage } from 'vfile-message';
import { chineseNumber, parseChineseNumber, type RuleId, ruleIds } from '../model/index.js';
import { finding } from './finding.js';

/** A problem in a string: the characters [start, end), and, when it can be fixed, what they become. */
export interface TextProblem {
  start: number;
  end: number;
  ruleId: RuleId;
  reason: string;
  /** The reason in Chinese, where the rule has one. */
  zh?: string;
  fatal: boolean;
  expected?: string;
}

/**
 * Stands for inline content that is not text (code, raw HTML, links, images) in a run's string: it is neither
 * Chinese nor a digit, so nothing next to it counts as "in Chinese text".
 */
export const opaque = '\uFFFC';

const hanPattern = /\p{Script=Han}/u;
const digitPattern = /[0-9]/;

function isHan(char: string | undefined): boolean {
  return char !== undefined && hanPattern.test(char);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && digitPattern.test(char);
}

/** The full-width form of each half-width mark the gazette never prints in Chinese text. */
export const fullWidthOf: Record<string, string> = {
  ',': '，',
  ';': '；',
  ':': '：',
  '(': '（',
  ')': '）',
  '?': '？',
  '!': '！',
};

const halfWidthMark = /[,;:()?!]/;

/** Addresses, which keep their half-width marks: `https://…`, `www.…`, `name@host`. */
const urlPattern =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;

/**
 * The text rules on one paragraph (or heading, table cell, front-matter value): half-width punctuation and
 * spaces in Chinese text, impossible dates, unbalanced pairs. Pure: positions are indexes into `text`.
 */
export function checkText(text: string): TextProblem[] {
  // Most paragraphs hold no address: no flag per character for them.
  let inUrl: boolean[] = [];
  for (const match of text.matchAll(urlPattern)) {
    if (inUrl.length === 0) inUrl = new Array<boolean>(text.length).fill(false);
    inUrl.fill(true, match.index, match.index + match[0].length);
  }
  return [
    ...halfWidthPunctuation(text, inUrl),
    ...spacesInChinese(text),
    ...invalidDates(text),
    ...unbalancedPairs(text),
  ].sort((a, b) => a.start - b.start);
}

/**
 * `,;:()?!` next to a Han character → the full-width mark. A pair of parentheses goes together: when either
 * one, or the text between them, is Chinese, both are reported ("规划(2017-2035)" → "规划（2017-2035）").
 * Marks between digits ("1:1", "10:30") and inside addresses are left alone. The fix also takes the ASCII
 * spaces on the mark's outer side ("我们, 今天" → "我们，今天").
 */
export function halfWidthPunctuation(text: string, inUrl: boolean[] = []): TextProblem[] {
  if (!halfWidthMark.test(text)) return [];
  const partner = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (inUrl[i]) continue;
    if (text[i] === '(') open.push(i);
    else if (text[i] === ')') {
      const opening = open.pop();
      if (opening !== undefined) {
        partner.set(opening, i);
        partner.set(i, opening);
      }
    }
  }
  const nextToHan = (i: number) => isHan(text[i - 1]) || isHan(text[i + 1]);
  const problems: TextProblem[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const full = fullWidthOf[char];
    if (full === undefined || inUrl[i]) continue;
    let chinese = nextToHan(i);
    const other = partner.get(i);
    if (!chinese && other !== undefined) {
      chinese = nextToHan(other) || hanPattern.test(text.slice(Math.min(i, other) + 1, Math.max(i, other)));
    }
    if (!chinese) continue;
    let start = i;
    let end = i + 1;
    if (char === '(') {
      while (start > 0 && text[start - 1] === ' ') start--;
      if (start === 0 || /\s/.test(text[start - 1] as string)) start = i;
    } else {
      while (text[end] === ' ') end++;
      if (end === text.length || /\s/.test(text[end] as string)) end = i + 1;
    }
    problems.push({
      start,
      end,
      ruleId: ruleIds.halfWidthPunctuation,
      reason: `Unexpected half-width \`${char}\` in Chinese text, expected \`${full}\``,
      zh: `中文中用了半角“${char}”：请改为全角“${full}”（gazette check --fix 可自动改正）`,
      fatal: false,
      expected: full,
    });
  }
  return problems;
}

/**
 * An ASCII space (or tab) between two Han characters, or between a Han character and a digit → removed.
 * Inside quotation marks and book-title marks a space between two Han characters stays: it separates the
 * phrases of a slogan or a name as printed (“整治大操大办 减轻人情负担”).
 */
export function spacesInChinese(text: string): TextProblem[] {
  const problems: TextProblem[] = [];
  let quoted: [number, number][] | undefined;
  for (const match of text.matchAll(/[ \t]+/g)) {
    const before = text[match.index - 1];
    const after = text[match.index + match[0].length];
    const between = isHan(before) && isHan(after);
    quoted ??= between ? quotedSpans(text) : undefined;
    if (between && quoted?.some(([start, end]) => start < match.index && match.index < end)) continue;
    const chinese = between || (isHan(before) && isDigit(after)) || (isDigit(before) && isHan(after));
    if (!chinese) continue;
    problems.push({
      start: match.index,
      end: match.index + match[0].length,
      ruleId: ruleIds.spaceInChinese,
      reason: `Unexpected space between \`${before}\` and \`${after}\`, expected none in Chinese text`,
      zh: `“${before}”和“${after}”之间有多余的空格：请删去（gazette check --fix 可自动改正）`,
      fatal: false,
      expected: '',
    });
  }
  return problems;
}

const quotePairs: [string, string][] = [
  ['“', '”'],
  ['《', '》'],
];

/** [start, end) of each “…” and 《…》 in the text (innermost and outermost alike). */
function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const [opening, closing] of quotePairs) {
    if (!text.includes(opening)) continue;
    const open: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === opening) open.push(i);
      else if (text[i] === closing) {
        const start = open.pop();
        if (start !== undefined) spans.push([start, i]);
      }
    }
  }
  return spans;
}

const datePattern = /(?<![0-9])(?:([0-9]{4})[ \t]*年[ \t]*)?([0-9]{1,2})[ \t]*月(?:[ \t]*([0-9]{1,2})[ \t]*日)?/g;

/**
 * Dates that do not exist: "2024年13月", "2024年2月30日", "2023年2月29日", "4月31日" (a month and day without
 * a year may be 29 February).
 */
export function invalidDates(text: string): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const match of text.matchAll(datePattern)) {
    const [written, yearText, monthText, dayText] = match;
    if (yearText === undefined && dayText === undefined) continue; // "6月", "1至6月": a month, not a date
    const month = Number(monthText);
    const place = { start: match.index, end: match.index + written.length, ruleId: ruleIds.invalidDate, fatal: true };
    if (month < 1 || month > 12) {
      problems.push({
        ...place,
        reason: `Unexpected month ${month} in \`${written}\`, expected 1 to 12`,
        zh: `日期“${written}”中的月份 ${month} 不存在：请改为 1 至 12 月`,
      });
      continue;
    }
    if (dayText === undefined) continue;
    const day = Number(dayText);
    const year = yearText === undefined ? 2000 : Number(yearText); // 2000 was a leap year
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days) {
      const monthName = yearText === undefined ? `${month}月` : `${year}年${month}月`;
      problems.push({
        ...place,
        reason: `Unexpected day ${day} in \`${written}\`, expected 1 to ${days} (${monthName})`,
        zh: `日期“${written}”不存在：${monthName}只有 ${days} 天，请改正`,
      });
    }
  }
  return problems;
}

const pairs: [string, string][] = [
  ['“', '”'],
  ['《', '》'],
  ['（', '）'],
  ['【', '】'],
];

/**
 * Quotes and brackets opened and closed a different number of times within one paragraph, pointing at the
 * first one left unmatched. (Equal counts pass, whatever their order.)
 */
export function unbalancedPairs(text: string): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const [opening, closing] of pairs) {
    const opens = countOf(text, opening);
    const closes = countOf(text, closing);
    if (opens === closes) continue;
    const unclosed: number[] = [];
    let stray: number | undefined;
    for (let i = 0; i < text.length && stray === undefined; i++) {
      if (text[i] === opening) unclosed.push(i);
      else if (text[i] === closing && unclosed.pop() === undefined) stray = i;
    }
    const at = stray ?? (unclosed[0] as number);
    const which = stray === undefined ? `this \`${opening}\` is not closed` : `this \`${closing}\` closes nothing`;
    problems.push({
      start: at,
      end: at + 1,
      ruleId: ruleIds.unbalancedPair,
      reason: `Unexpected ${opens} \`${opening}\` and ${closes} \`${closing}\` in one paragraph, expected as many of each: ${which}`,
      zh: `本段有 ${opens} 个“${opening}”、${closes} 个“${closing}”，不成对：${stray === undefined ? `这个“${opening}”没有对应的“${closing}”` : `这个“${closing}”前面没有“${opening}”`}，请补上或删去`,
      fatal: false,
    });
  }
  return problems;
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/**
 * "第X次会议" that names another meeting than the document's `meeting` ("第二十一次会议" in a meeting-20
 * document). A congress session ("人民代表大会第五次会议") is not a committee meeting and is skipped.
 */
export function meetingNumberProblems(text: string, meeting: number): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const match of text.matchAll(/第([〇零一二两三四五六七八九十0-9]+)次(?:全体)?会议/gu)) {
    if (/(?:代表大会|人代会)$/.test(text.slice(0, match.index))) continue;
    const number = parseChineseNumber(match[1] as string);
    if (number === undefined || number === meeting) continue;
    problems.push({
      start: match.index,
      end: match.index + match[0].length,
      ruleId: ruleIds.meetingNumber,
      reason: `Unexpected \`${match[0]}\` (meeting ${number}), expected meeting ${meeting} as in \`meeting\` (第${chineseNumber(meeting)}次会议)`,
      zh: `“${match[0]}”与本文件的 meeting（第${chineseNumber(meeting)}次会议）不一致：请改正其中一处`,
      fatal: false,
    });
  }
  return problems;
}

/**
 * A piece of a run: `length` characters at `at` in the run's string. `offset` is where they start in the
 * source when the source holds exactly those characters (no escapes, no stripped indentation); `point`, the
 * start of the node they came from, serves otherwise.
 */
export interface RunPiece {
  at: number;
  length: number;
  offset?: number;
  point?: Point;
}

/** The text of one paragraph, heading, table cell or field value, with the way back to the source. */
export interface TextRun {
  text: string;
  pieces: RunPiece[];
}

/**
 * The runs of a body: paragraphs, headings and table cells, each with its inline text (inside bold and
 * emphasis too; code, raw HTML, links and images as `opaque`). Code blocks and `:::names` grids, where spaces
 * separate names, are left out.
 */
export function textRuns(tree: Root, source: string): TextRun[] {
  const runs: TextRun[] = [];
  visit(tree, (node) => {
    if (node.type === 'code' || node.type === 'html' || node.type === 'yaml') return SKIP;
    if (node.type === 'containerDirective' && node.name === 'names') return SKIP;
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const run: TextRun = { text: '', pieces: [] };
      collect(node, run, source);
      runs.push(run);
      return SKIP;
    }
    return undefined;
  });
  return runs;
}

function collect(parent: Parents, run: TextRun, source: string): void {
  for (const child of parent.children as PhrasingContent[]) {
    switch (child.type) {
      case 'text':
        add(run, child.value, child, source);
        break;
      case 'textDirective': {
        // Not part of the format: the text it was written as (remark-blocks puts that back).
        const start = child.position?.start.offset;
        const end = child.position?.end.offset;
        add(run, start !== undefined && end !== undefined ? source.slice(start, end) : opaque, child, source);
        break;
      }
      case 'strong':
      case 'emphasis':
      case 'delete':
        collect(child, run, source);
        break;
      case 'break':
        add(run, '\n', undefined, source);
        break;
      default:
        add(run, opaque, undefined, source);
    }
  }
}

function add(run: TextRun, value: string, node: Nodes | undefined, source: string): void {
  const start = node?.position?.start;
  const end = node?.position?.end;
  const exact = start?.offset !== undefined && source.slice(start.offset, end?.offset) === value;
  run.pieces.push({
    at: run.text.length,
    length: value.length,
    offset: exact ? start?.offset : undefined,
    point: start ? { line: start.line, column: start.column } : undefined,
  });
  run.text += value;
}

/**
 * Turns a run's problems into findings on `file`: exact line and column when the source holds the run's
 * characters as they are, and a fix (`actual` → `expected`) only then.
 */
export function runFindings(
  run: TextRun,
  problems: TextProblem[],
  file: string,
  toPoint: (offset: number) => Point | undefined,
): VFileMessage[] {
  return problems.map((problem) => {
    const piece = run.pieces.findLast((candidate) => candidate.at <= problem.start);
    const inside = piece !== undefined && problem.end <= piece.at + piece.length;
    let place: Point | { start: Point; end: Point } | undefined = piece?.point;
    let fixable = false;
    if (piece?.offset !== undefined) {
      const start = toPoint(piece.offset + problem.start - piece.at);
      const end = inside ? toPoint(piece.offset + problem.end - piece.at) : undefined;
      place = start && end ? { start, end } : (start ?? place);
      fixable = start !== undefined && end !== undefined;
    }
    return finding(file, problem.zh ? { en: problem.reason, zh: problem.zh } : problem.reason, {
      place,
      ruleId: problem.ruleId,
      fatal: problem.fatal,
      ...(fixable && problem.expected !== undefined
        ? { actual: run.text.slice(problem.start, problem.end), expected: problem.expected }
        : {}),
    });
  });
}

/**
 * The text rules over a body's runs. A quotation of several paragraphs opens each with “ and closes only the
 * last (GB/T 15834): a paragraph that starts with an unclosed “ is not reported when the next one starts
 * with “ too.
 */
export function checkBodyText(
  tree: Root,
  source: string,
  file: string,
  toPoint: (offset: number) => Point | undefined,
): VFileMessage[] {
  const runs = textRuns(tree, source);
  return runs.flatMap((run, index) => {
    const next = runs[index + 1]?.text.trimStart();
    const problems = checkText(run.text).filter(
      (problem) => !(continuesQuotation(run.text, problem) && next?.startsWith('“')),
    );
    return runFindings(run, problems, file, toPoint);
  });
}

/** An unclosed “ that opens its paragraph. */
function continuesQuotation(text: string, problem: TextProblem): boolean {
  return (
    problem.ruleId === ruleIds.unbalancedPair &&
    text[problem.start] === '“' &&
    text.slice(0, problem.start).trim() === '' &&
    countOf(text, '“') === countOf(text, '”') + 1
  );
}
