import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { mergedCellMark } from '../markdown/plugins/rehype-merged-cells.js';

const headingTags = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** What `flattenWordHtml` found and left out, for the person importing to know. */
export interface FlattenReport {
  /** Images left out (those without a file to point to). */
  images: number;
  lists: number;
  /** The footnotes and endnotes, in the order their marks appear: each note's phrasing. */
  notes: ElementContent[][];
}

/** mammoth's footnote and endnote ids: `footnote-3`, `endnote-1`. */
const notePattern = /^(?:footnote|endnote)-/;

/**
 * Turns mammoth's HTML into the flat sequence of blocks the source format has: paragraphs, headings and
 * tables directly under the root. List items become paragraphs with their number written out ("1. ",
 * "（1）" one level down; bullets are dropped). A manual line break (Shift+Enter) stays inside its paragraph,
 * but splits a centred or right-aligned one (title lines, signature lines). A table cell's paragraphs become
 * lines (`<br>`) of one cell, a cell merged across columns is followed by `<` cells (the source format's
 * merge), and the first row becomes the header row when Word marked none. Footnotes and endnotes leave the
 * flow for `report.notes`, their marks numbered `<sup>1</sup>`. Images with a source stay; links' targets go;
 * empty paragraphs go.
 */
export function flattenWordHtml(tree: Root): FlattenReport {
  const report: FlattenReport = { images: 0, lists: 0, notes: [] };
  const noteItems = new Map<string, Element>();
  visitElements(tree, (element) => {
    if (element.tagName === 'li' && notePattern.test(String(element.properties.id ?? ''))) {
      noteItems.set(String(element.properties.id), element);
    }
  });
  // Marks in reading order, each numbered by the order of its first appearance.
  const numbers = new Map<string, number>();
  visitElements(tree, (element) => {
    const target = String(element.properties.href ?? '').replace(/^#/, '');
    if (element.tagName !== 'a' || !noteItems.has(target)) return;
    if (!numbers.has(target)) numbers.set(target, numbers.size + 1);
    element.properties = {};
    element.children = [{ type: 'text', value: String(numbers.get(target)) }];
  });
  for (const [id] of [...numbers].sort((a, b) => a[1] - b[1])) {
    const item = noteItems.get(id) as Element;
    const lines: Element[] = [];
    for (const child of item.children) collectBlocks(child, lines, report, 0);
    report.notes.push(lines.flatMap((line) => line.children));
  }
  const blocks: Element[] = [];
  for (const node of tree.children) {
    if (node.type === 'element' && node.tagName === 'ol' && isNoteList(node)) continue;
    collectBlocks(node, blocks, report, 0);
  }
  tree.children = blocks.filter(
    (block) => block.tagName === 'table' || hastToString(block).trim() !== '' || hasImage(block),
  );
  return report;
}

function hasImage(block: Element): boolean {
  let found = false;
  visitElements(block, (element) => {
    if (element.tagName === 'img') found = true;
  });
  return found;
}

function isNoteList(list: Element): boolean {
  const items = list.children.filter((child): child is Element => child.type === 'element');
  return items.length > 0 && items.every((item) => notePattern.test(String(item.properties.id ?? '')));
}

function visitElements(node: Root | Element, visit: (element: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    visit(child);
    visitElements(child, visit);
  }
}

function collectBlocks(node: RootContent | ElementContent, into: Element[], report: FlattenReport, depth: number) {
  if (node.type !== 'element') {
    if (node.type === 'text' && node.value.trim() !== '') into.push(paragraph([node]));
    return;
  }
  const tag = node.tagName;
  if (tag === 'p' || headingTags.has(tag)) {
    const children = cleanPhrasing(node.children, report);
    const classes = classesOf(node);
    if (tag === 'p' && (classes.includes('center') || classes.includes('right'))) {
      for (const line of splitAtBreaks(children)) into.push({ ...node, children: line });
    } else if (tag === 'p') into.push({ ...node, children: trimBreaks(children) });
    else into.push({ ...node, children: children.filter((child) => !isBreak(child)) });
  } else if (tag === 'table') {
    into.push(cleanTable(node, report));
  } else if (tag === 'ol' || tag === 'ul') {
    report.lists++;
    flattenList(node, into, report, depth + 1);
  } else if (tag === 'img') {
    if (node.properties.src) into.push(paragraph([node]));
    else report.images++;
  } else {
    for (const child of node.children) collectBlocks(child, into, report, depth);
  }
}

function flattenList(list: Element, into: Element[], report: FlattenReport, depth: number): void {
  let number = Number(list.properties.start ?? 1);
  for (const item of list.children) {
    if (item.type !== 'element' || item.tagName !== 'li') continue;
    const label = list.tagName === 'ol' ? (depth === 2 ? `（${number}）` : `${number}. `) : '';
    number++;
    const inline: ElementContent[] = [];
    const nested: Element[] = [];
    const flush = () => {
      if (inline.length > 0) nested.push(paragraph(inline.splice(0)));
    };
    for (const child of item.children) {
      if (child.type === 'element' && (child.tagName === 'ol' || child.tagName === 'ul')) {
        flush();
        flattenList(child, nested, report, depth + 1);
      } else if (child.type === 'element' && (child.tagName === 'p' || headingTags.has(child.tagName))) {
        flush();
        collectBlocks(child, nested, report, depth);
      } else {
        inline.push(child);
      }
    }
    flush();
    const first = nested[0];
    if (first && label) first.children.unshift(...labelled(first.children, label));
    for (const block of nested) {
      block.children = cleanPhrasing(block.children, report);
      into.push(block);
    }
  }
}

/** The label as a text node, inside the first bold span when the item opens with one. */
function labelled(children: ElementContent[], label: string): ElementContent[] {
  const first = children.find((child) => child.type !== 'text' || child.value.trim() !== '');
  if (first?.type === 'element' && first.tagName === 'strong') {
    first.children.unshift({ type: 'text', value: label });
    return [];
  }
  return [{ type: 'text', value: label }];
}

function cleanTable(table: Element, report: FlattenReport): Element {
  const rows: Element[] = [];
  const visit = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'tr') rows.push(child);
      else if (child.tagName !== 'table') visit(child);
    }
  };
  visit(table);
  for (const row of rows) {
    row.children = row.children.filter((cell) => cell.type === 'element');
    for (const cell of row.children) {
      if (cell.type !== 'element') continue;
      cell.children = cellLines(cell, report);
    }
    row.children = row.children.flatMap((cell) => {
      if (cell.type !== 'element') return [];
      const span = Number(cell.properties.colSpan ?? 1);
      cell.properties.colSpan = undefined;
      const merged = Array.from({ length: Math.max(0, span - 1) }, () => ({
        ...cell,
        properties: {},
        children: [{ type: 'text' as const, value: mergedCellMark }],
      }));
      return [cell, ...merged];
    });
  }
  const [head, ...body] = rows;
  if (head) {
    for (const cell of head.children) if (cell.type === 'element') cell.tagName = 'th';
  }
  return {
    ...table,
    children: [
      { type: 'element', tagName: 'thead', properties: {}, children: head ? [head] : [] },
      { type: 'element', tagName: 'tbody', properties: {}, children: body },
    ],
  };
}

/** A cell's paragraphs (and nested lists) as lines of phrasing separated by `<br>`. */
function cellLines(cell: Element, report: FlattenReport): ElementContent[] {
  const blocks: Element[] = [];
  for (const child of cell.children) collectBlocks(child, blocks, report, 0);
  const lines = blocks.filter((block) => hastToString(block).trim() !== '');
  return lines.flatMap((line, index) => (index === 0 ? line.children : [breakElement(), ...line.children]));
}

/** Phrasing without images, link targets, footnote back-links and bookmarks. */
function cleanPhrasing(children: ElementContent[], report: FlattenReport): ElementContent[] {
  return children.flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return child.type === 'text' ? [child] : [];
    if (child.tagName === 'img') {
      if (child.properties.src) return [child];
      report.images++;
      return [];
    }
    if (child.tagName === 'a') {
      if (hastToString(child).trim() === '↑') return [];
      return cleanPhrasing(child.children, report);
    }
    return [{ ...child, children: cleanPhrasing(child.children, report) }];
  });
}

function splitAtBreaks(children: ElementContent[]): ElementContent[][] {
  const lines: ElementContent[][] = [[]];
  for (const child of children) {
    if (isBreak(child)) lines.push([]);
    else (lines.at(-1) as ElementContent[]).push(child);
  }
  return lines;
}

/** A paragraph's phrasing without line breaks at its start or end (an empty line in Word). */
function trimBreaks(children: ElementContent[]): ElementContent[] {
  const kept = [...children];
  while (kept[0] && isBreak(kept[0])) kept.shift();
  while (kept.at(-1) && isBreak(kept.at(-1) as ElementContent)) kept.pop();
  return kept;
}

function isBreak(node: ElementContent): boolean {
  return node.type === 'element' && node.tagName === 'br';
}

function breakElement(): Element {
  return { type: 'element', tagName: 'br', properties: {}, children: [] };
}

function paragraph(children: ElementContent[]): Element {
  return { type: 'element', tagName: 'p', properties: {}, children };
}

/** A block's class names (`p.center`, `p.right` come from Word's alignment). */
export function classesOf(node: Element): string[] {
  const classes = node.properties.className;
  return Array.isArray(classes) ? classes.map(String) : [];
}

/** Whether every letter of a block is inside a bold span. */
export function isAllBold(node: Element): boolean {
  const plain = (children: ElementContent[]): boolean =>
    children.some((child) => {
      if (child.type === 'text') return child.value.trim() !== '';
      if (child.type !== 'element') return false;
      if (child.tagName === 'strong' || child.tagName === 'b') return false;
      return plain(child.children);
    });
  return hastToString(node).trim() !== '' && !plain(node.children);
}
