import type { Element, ElementContent, Root, Text } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * Display lines (titles, adoption notes, occasion lines) break by sense, as GB/T 9704 asks: between words,
 * never inside an institution's name, an ordinal, a date or a short quoted or bracketed term, and never with
 * one character alone on the last line. The element gets the class `display-line` (the stylesheet sets
 * `word-break: keep-all`, so Chromium breaks nowhere else) and a `<wbr>` at each break the words allow.
 * Intl.Segmenter's Chinese dictionary finds the words; the terms a gazette repeats are added here because the
 * segmenter cuts them ("人民|代表|大会").
 */
export interface DisplayLinesOptions {
  /** Elements with one of these classes are display lines. */
  classes: readonly string[];
}

/** Names and terms a People's Congress gazette repeats, each kept on one line. */
export const gazetteTerms = [
  '人民代表大会',
  '常务委员会',
  '人大常委会',
  '人民政府',
  '人民法院',
  '人民检察院',
  '监察委员会',
  '委员会',
  '人大代表',
  '代表资格审查',
  '法制委员会',
  '财政经济',
  '城市建设环境保护',
  '教育科学文化卫生',
  '社会建设',
  '华侨民族宗教事务',
  '国民经济和社会发展',
  '预算执行情况',
  '乡村振兴',
  '义务教育',
  '营商环境',
  '生态环境',
  '创新城',
  '审议意见',
  '研究处理情况',
  '执法检查',
  '专题询问',
  '决议',
  '决定',
];

const han = /\p{Script=Han}/u;

/** Stretches of the text a line must not break inside: terms, ordinals, dates, short quoted terms. */
const keptPatterns = [
  new RegExp(gazetteTerms.join('|'), 'gu'),
  /第[一二三四五六七八九十百千零〇两\d]+[届次期号条款章节项批]/gu,
  /\d+年(?:\d+月(?:\d+日)?)?|\d+月\d+日/gu,
  /“[^“”]{1,8}”|‘[^‘’]{1,8}’|《[^《》]{1,12}》|〔[^〔〕]{1,8}〕|（[^（）]{1,8}）|【[^【】]{1,8}】/gu,
  // A law's name inside a title's 《…》: 〈中华人民共和国乡村振兴促进法〉.
  /〈[^〈〉]{1,16}〉/gu,
  /[\p{Script=Latin}\d][\p{Script=Latin}\d.%/-]*/gu,
];

/** Characters that lean on the word after them rather than before ("第", "在…上", "本区", "对"). */
const leansForward = new Set(['第', '在', '对', '于', '本', '各', '全', '与', '和', '及', '向', '把', '将']);

/**
 * Where a display line may break: offsets between words, none inside a kept stretch, none that would leave a
 * lone character on either side of the line.
 */
export function displayBreaks(text: string): number[] {
  const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
  const words = [...segmenter.segment(text)].map((segment) => ({
    start: segment.index,
    end: segment.index + segment.segment.length,
    text: segment.segment,
  }));
  // Kept stretches that only touch ("第九届" "人民代表大会") may break between them.
  const kept = keptPatterns.flatMap((pattern) => [...text.matchAll(pattern)].map(spanOf));
  const inside = (at: number) => kept.some(([start, end]) => start < at && at < end);
  const breaks = new Set<number>();
  for (const [index, word] of words.entries()) {
    if (index === 0) continue;
    const before = words[index - 1] as (typeof words)[number];
    const at = word.start;
    if (inside(at)) continue;
    // A one-character word sticks to its neighbour: to the next if it leans forward, else to the previous.
    if (isSingleHan(before.text) && leansForward.has(before.text)) continue;
    if (isSingleHan(word.text) && !leansForward.has(word.text)) continue;
    // Punctuation never starts a line and opening brackets never end one (Chromium holds these too).
    if (!/[\p{L}\p{N}“‘（《〈〔【(]/u.test(word.text.charAt(0))) continue;
    if (/[“‘（《〈〔【(]$/u.test(before.text)) continue;
    breaks.add(at);
  }
  // No lone character on the last or first line.
  const letters = [...text].filter((char) => /[\p{L}\p{N}]/u.test(char)).length;
  return [...breaks].filter((at) => lettersIn(text.slice(at)) >= 2 && lettersIn(text.slice(0, at)) >= 2 && letters > 2);
}

function spanOf(match: RegExpMatchArray): [number, number] {
  return [match.index as number, (match.index as number) + match[0].length];
}

function isSingleHan(word: string): boolean {
  return [...word].length === 1 && han.test(word);
}

function lettersIn(text: string): number {
  return [...text].filter((char) => /[\p{L}\p{N}]/u.test(char)).length;
}

/** Marks display lines and puts a `<wbr>` at each break their words allow. */
export default function rehypeDisplayLines(options: DisplayLinesOptions) {
  const classes = new Set(options.classes);
  return (tree: Root | Element) => {
    visit(tree, 'element', (node) => {
      const names = (node.properties.className as string[] | undefined) ?? [];
      if (!names.some((name) => classes.has(name))) return;
      markDisplayLine(node);
      return 'skip';
    });
  };
}

/** Makes an element a display line: a `<wbr>` at each break its words allow, and the class `display-line`. */
export function markDisplayLine(line: Element): void {
  breakByWords(line);
  const names = (line.properties.className as string[] | undefined) ?? [];
  line.properties.className = [...names, 'display-line'];
}

function breakByWords(line: Element): void {
  const texts: { node: Text; parent: Element; start: number }[] = [];
  let length = 0;
  visit(line, 'text', (node, _index, parent) => {
    texts.push({ node, parent: parent as Element, start: length });
    length += node.value.length;
  });
  const breaks = displayBreaks(texts.map((entry) => entry.node.value).join(''));
  const placed = new Set<number>();
  for (const { node, parent, start } of texts) {
    // Text inside a no-break span (clreq glue) stays whole.
    if (((parent.properties.className as string[] | undefined) ?? []).includes('nobr')) continue;
    const cuts = breaks.filter((at) => at >= start && at <= start + node.value.length && !placed.has(at));
    if (cuts.length === 0) continue;
    const pieces: ElementContent[] = [];
    let from = 0;
    for (const at of cuts) {
      placed.add(at);
      if (at - start > from) pieces.push({ type: 'text', value: node.value.slice(from, at - start) });
      pieces.push({ type: 'element', tagName: 'wbr', properties: {}, children: [] });
      from = at - start;
    }
    if (from < node.value.length) pieces.push({ type: 'text', value: node.value.slice(from) });
    parent.children.splice(parent.children.indexOf(node), 1, ...pieces);
  }
}
