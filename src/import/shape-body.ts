import type { Heading, Paragraph, PhrasingContent, Root, RootContent, Strong, Table, Text } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { type HeadingLevel, headingLevelOf } from '../model/index.js';
import { normaliseMarker, normaliseText } from './normalise-text.js';

export interface ShapeOptions {
  /**
   * The document numbers its items rather than its sections (an agenda, an appointment list): a short
   * numbered paragraph stays a paragraph.
   */
  numberedItems?: boolean;
}

/** A heading's numbering level, or its Word level when it has no numbering marker. */
interface HeadingInfo {
  node: Heading;
  level: HeadingLevel | undefined;
  wordDepth: number;
}

/**
 * Shapes the body the way the source format writes it: text normalised (full-width punctuation, no spaces
 * next to Chinese characters), bold kept and italics, links and images dropped, a short numbered paragraph
 * made a heading, a numbered bold sentence kept as a run-in heading (`**（一）…。**text`), heading depths
 * told by numbering markers (一、 `##`, （一） `###`, 1. `####`, （1） `#####`; one deeper each when the
 * document has a level above 一、), and line breaks in table cells written `<br>`.
 */
export function shapeBody(tree: Root, options: ShapeOptions = {}): void {
  const headings: HeadingInfo[] = [];
  const children: RootContent[] = [];
  for (const node of tree.children) {
    if (node.type === 'paragraph') {
      node.children = shapePhrasing(node.children);
      if (node.children.length === 0) continue;
      const heading = options.numberedItems ? undefined : promote(node);
      if (heading) headings.push({ node: heading, level: headingLevelOf(mdastToString(heading)), wordDepth: 1 });
      children.push(heading ?? node);
    } else if (node.type === 'heading') {
      const text = shapePhrasing(plain(node.children));
      if (text.length === 0) continue;
      const heading: Heading = { type: 'heading', depth: node.depth, children: text };
      headings.push({ node: heading, level: headingLevelOf(mdastToString(heading)), wordDepth: node.depth });
      children.push(heading);
    } else if (node.type === 'table') {
      shapeTable(node);
      children.push(node);
    } else if (node.type === 'list' || node.type === 'blockquote') {
      // flattenWordHtml leaves none; anything else written as its paragraphs' text.
      children.push({ type: 'paragraph', children: shapePhrasing([{ type: 'text', value: mdastToString(node) }]) });
    } else {
      children.push(node);
    }
  }
  tree.children = children;
  keepItemsTogether(tree.children, headings);
  const hasLevelZero = headings.some((heading) => heading.level === 0);
  for (const { node, level, wordDepth } of headings) {
    const depth = level === undefined ? wordDepth + 1 : 2 + level - (hasLevelZero ? 0 : 1);
    node.depth = Math.max(2, Math.min(6, depth)) as Heading['depth'];
  }
}

/**
 * Numbered paragraphs of one level under one parent are all items or all headings: "1. 要加强预算管理，…。"
 * and a short "2. 要加强绩效评价。" are two items, and the short one must not become a heading. Where the
 * paragraphs of a run disagree, the headings among them go back to paragraphs.
 */
function keepItemsTogether(children: RootContent[], headings: HeadingInfo[]): void {
  const numbered = children.flatMap((node, index) => {
    if (node.type !== 'heading' && node.type !== 'paragraph') return [];
    const level = headingLevelOf(mdastToString(node));
    return level === undefined ? [] : [{ node, index, level }];
  });
  const runs: (typeof numbered)[] = [];
  for (const item of numbered) {
    // A run of one level goes on until an item of a shallower level.
    const run = runs.findLast((candidate) => (candidate[0] as (typeof numbered)[number]).level === item.level);
    const broken = numbered.some(
      (other) => run && other.index > (run.at(-1)?.index ?? 0) && other.index < item.index && other.level < item.level,
    );
    if (run && !broken) run.push(item);
    else runs.push([item]);
  }
  for (const run of runs) {
    const promoted = run.filter((item) => item.node.type === 'heading' && isPromoted(item.node, headings));
    // A run-in heading (`**（二）…。**text`) is a heading too; only a plain numbered paragraph is an item.
    const items = run.filter((item) => item.node.type === 'paragraph' && item.node.children[0]?.type !== 'strong');
    if (promoted.length === 0 || items.length === 0) continue;
    for (const item of promoted) {
      const heading = item.node as Heading;
      children[item.index] = { type: 'paragraph', children: heading.children };
      headings.splice(
        headings.findIndex((info) => info.node === heading),
        1,
      );
    }
  }
}

/** A heading made from a paragraph (not one Word styled as a heading). */
function isPromoted(heading: Heading, headings: HeadingInfo[]): boolean {
  return headings.find((info) => info.node === heading)?.wordDepth === 1 && promotedHeadings.has(heading);
}

const promotedHeadings = new WeakSet<Heading>();

/**
 * A paragraph that is a heading of its own: it starts with a numbering marker and is one short phrase
 * (≤ 30 characters, or ≤ 60 when all bold), with no sentence inside and no comma, colon or semicolon at its end.
 */
function promote(paragraph: Paragraph): Heading | undefined {
  const text = mdastToString(paragraph);
  if (headingLevelOf(text) === undefined) return undefined;
  const length = [...text].length;
  const oneSentence = !/[。；！？]/u.test(text.replace(/。$/u, '')) && !/[，、；：,;:]$/u.test(text);
  const allBold = paragraph.children.every(
    (child) => child.type === 'strong' || (child.type === 'text' && child.value.trim() === ''),
  );
  // A plain sentence with its full stop is an item ("2. 要加强绩效评价。"); headings carry no end mark.
  if (!oneSentence || length > (allBold ? 60 : 30) || (!allBold && /[。！？]$/u.test(text))) return undefined;
  const heading: Heading = { type: 'heading', depth: 2, children: shapePhrasing(plain(paragraph.children)) };
  promotedHeadings.add(heading);
  return heading;
}

function shapeTable(table: Table): void {
  for (const row of table.children) {
    for (const cell of row.children) {
      cell.children = shapePhrasing(cell.children).map((child) =>
        child.type === 'break' ? { type: 'html', value: '<br>' } : child,
      );
    }
  }
}

/** Phrasing cleaned, bold spans merged, run-in headings put together, text normalised. */
export function shapePhrasing(nodes: PhrasingContent[]): PhrasingContent[] {
  const children = mergeSiblings(clean(nodes));
  joinRunIn(children);
  normalise(children);
  return mergeSiblings(dropEmpty(children));
}

/** Text with its bold spans unwrapped (a heading's text). */
function plain(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node) => (node.type === 'strong' ? plain(node.children) : [node]));
}

function clean(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    switch (node.type) {
      case 'emphasis':
      case 'delete':
      case 'link':
      case 'linkReference':
        return clean(node.children);
      case 'strong':
        return [{ type: 'strong', children: clean(plain(node.children)) }];
      case 'imageReference':
      case 'footnoteReference':
        return [];
      case 'inlineCode':
        return [{ type: 'text', value: node.value }];
      default:
        return [node];
    }
  });
}

/** Adjacent texts joined; bold spans next to each other (or with only spaces between) joined. */
function mergeSiblings(nodes: PhrasingContent[]): PhrasingContent[] {
  const merged: PhrasingContent[] = [];
  for (const node of nodes) {
    const last = merged.at(-1);
    const beforeLast = merged.at(-2);
    if (node.type === 'text' && last?.type === 'text') {
      last.value += node.value;
    } else if (node.type === 'strong' && last?.type === 'strong') {
      last.children = mergeSiblings([...last.children, ...node.children]);
    } else if (node.type === 'strong' && last?.type === 'text' && !last.value.trim() && beforeLast?.type === 'strong') {
      merged.pop();
      beforeLast.children = mergeSiblings([...beforeLast.children, last, ...node.children]);
    } else {
      merged.push(node);
    }
  }
  return merged;
}

/**
 * "（一）" left plain before a bold "持续提升…。" goes into the bold span; so does the full stop or colon
 * right after it ("**（一）持续提升**。今年" → "**（一）持续提升。**今年").
 */
function joinRunIn(nodes: PhrasingContent[]): void {
  const [first, second] = nodes;
  if (first?.type === 'text' && second?.type === 'strong' && /^[\s\u3000]*\S+$/u.test(first.value)) {
    const marker = first.value.trim();
    if (headingLevelOf(marker) !== undefined && marker.length <= 6) {
      second.children.unshift({ type: 'text', value: marker });
      nodes.shift();
    }
  }
  const strong = nodes.find((node) => node.type !== 'text' || node.value.trim() !== '');
  if (strong?.type !== 'strong' || headingLevelOf(mdastToString(strong)) === undefined) return;
  const next = nodes[nodes.indexOf(strong) + 1];
  const stop = next?.type === 'text' ? /^[。：:]/u.exec(next.value) : null;
  if (next?.type === 'text' && stop) {
    strong.children.push({ type: 'text', value: stop[0] });
    next.value = next.value.slice(stop[0].length);
  }
}

/** Normalises every text in reading order, each seeing its neighbours; trims the ends; writes "1. ". */
function normalise(nodes: PhrasingContent[]): void {
  const texts: Text[] = [];
  const collect = (list: PhrasingContent[]) => {
    for (const node of list) {
      if (node.type === 'text') texts.push(node);
      else if (node.type === 'strong') collect(node.children);
      else texts.push({ type: 'text', value: 'x' }); // an opaque neighbour (<sup>…</sup>, a break)
    }
  };
  collect(nodes);
  const quotes = { open: false };
  texts.forEach((text, index) => {
    const before = texts[index - 1]?.value.slice(-1);
    const after = texts[index + 1]?.value.slice(0, 1);
    text.value = normaliseText(text.value, { before, after }, quotes);
  });
  const first = firstText(nodes);
  if (first) first.value = normaliseMarker(first.value.replace(/^[\s\u3000]+/u, ''));
  const last = lastText(nodes);
  if (last) last.value = last.value.replace(/[\s\u3000]+$/u, '');
  // Spaces at the edges of a bold span go outside it (they are gone next to Chinese text already).
  for (const node of nodes) {
    if (node.type !== 'strong') continue;
    const inner = firstText(node.children);
    if (inner && inner !== first) inner.value = inner.value.replace(/^\s+/u, '');
    const end = lastText(node.children);
    if (end && end !== last) end.value = end.value.replace(/\s+$/u, '');
  }
}

function firstText(nodes: PhrasingContent[]): Text | undefined {
  const node = nodes[0];
  if (node?.type === 'text') return node;
  if (node?.type === 'strong') return firstText(node.children);
  return undefined;
}

function lastText(nodes: PhrasingContent[]): Text | undefined {
  const node = nodes.at(-1);
  if (node?.type === 'text') return node;
  if (node?.type === 'strong') return lastText(node.children);
  return undefined;
}

function dropEmpty(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type === 'text') return node.value === '' ? [] : [node];
    if (node.type === 'strong') {
      const children = dropEmpty(node.children);
      if (children.length === 0) return [];
      if (mdastToString({ type: 'strong', children } satisfies Strong).trim() === '') return children;
      return [{ ...node, children }];
    }
    return [node];
  });
}
