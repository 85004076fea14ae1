import type { Nodes, Root, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import type { Point } from 'unist';
import { EXIT, visit } from 'unist-util-visit';
import type { VFileMessage } from 'vfile-message';
import {
  chineseNumber,
  type HeadingLevel,
  headingLevelOf,
  numberingMarker,
  parseChineseNumber,
  type RuleId,
  ruleIds,
  say,
} from '../model/index.js';
import { finding } from './finding.js';

/** A numbered heading, run-in heading or paragraph: "一、", "（二）", "3.", "（4）", "第一方面". */
export interface NumberedItem {
  level: HeadingLevel;
  marker: string;
  /** The number the marker says: 三 → 3. */
  value: number;
  place?: Point;
}

/** A structure problem, at an item. */
export interface StructureProblem {
  item: NumberedItem;
  ruleId: RuleId;
  reason: string;
  /** The reason in Chinese. */
  zh?: string;
}

/** The marker of a numbered item's text, else undefined ("3.5亿元…" and "2023、2024年…" are not items). */
export function itemOf(text: string, place?: Point): NumberedItem | undefined {
  const trimmed = text.trimStart();
  const marker = numberingMarker(trimmed);
  const level = headingLevelOf(trimmed);
  if (marker === undefined || level === undefined) return undefined;
  if (level === 3 && /^[0-9]/.test(trimmed.slice(marker.length))) return undefined;
  const value = parseChineseNumber(marker.replace(/^第|方面$|部分$|[（()）、.．]/g, ''));
  if (value === undefined) return undefined;
  return { level, marker, value, place };
}

/**
 * The numbering rules over the items of one scope, in order (pure). Levels nest 第一方面 / 一、 / （一） / 1. /
 * （1）. An item deeper than the one above it is its first child. Skipping one level is common in the
 * printed reports ("三、" then "1.", "第一方面" then "（一）"); skipping two ("一、" then "（1）") is a
 * `heading-level-jump`. Items of one level under one parent count 1, 2, 3…: a gap or a repeat is a
 * `numbering-sequence` error. The first child starts at 1, or goes on from the items of its level under the
 * previous parent (some reports number "1." … through the sections). An item is right when it follows the
 * number written before it or when it has the number of its place, so one mistake is reported once
 * ("一、二、四、五、" and "一、四、三、" both report only "四、").
 */
export function checkNumbering(items: NumberedItem[]): StructureProblem[] {
  const problems: StructureProblem[] = [];
  // The current item of each level, shallowest first, with the number its place among its siblings says.
  let open: { item: NumberedItem; place: number }[] = [];
  const last = new Map<HeadingLevel, number>(); // the number of the last item of each level
  for (const item of items) {
    const previousOfLevel = last.get(item.level);
    last.set(item.level, item.value);
    const same = open.findIndex((entry) => entry.item.level === item.level);
    if (same >= 0) {
      const { item: previous, place } = open[same] as { item: NumberedItem; place: number };
      if (item.value !== previous.value + 1 && item.value !== place + 1) {
        const expected = markerFor(previous.marker, previous.value + 1);
        const what =
          item.value === previous.value
            ? `repeated \`${item.marker}\``
            : `\`${item.marker}\` after \`${previous.marker}\``;
        problems.push({
          item,
          ruleId: ruleIds.numberingSequence,
          reason: `Unexpected ${what}, expected \`${expected}\``,
          zh: `${item.value === previous.value ? `序号“${item.marker}”重复` : `“${previous.marker}”之后是“${item.marker}”`}：请改为“${expected}”`,
        });
      }
      open = [...open.slice(0, same), { item, place: place + 1 }];
      continue;
    }
    open = open.filter((entry) => entry.item.level < item.level);
    const parent = open.at(-1)?.item;
    const continued = parent !== undefined && item.value === (previousOfLevel ?? 0) + 1;
    if (parent && item.level > parent.level + 2) {
      const between = levels.filter((level) => level > parent.level && level < item.level);
      problems.push({
        item,
        ruleId: ruleIds.headingLevelJump,
        reason: `Unexpected \`${item.marker}\` right under \`${parent.marker}\`, expected the levels in between (${between.map((level) => levelExamples[level]).join(' ')}) first`,
        zh: `“${parent.marker}”下直接用了“${item.marker}”，跳过了中间的层次（${between.map((level) => levelExamples[level]).join(' ')}）：请补上或改用相邻一级的序号`,
      });
    } else if (item.value !== 1 && !continued) {
      const under = parent ? `the first item under \`${parent.marker}\`` : 'the first item of its level';
      problems.push({
        item,
        ruleId: ruleIds.numberingSequence,
        reason: `Unexpected \`${item.marker}\` as ${under}, expected \`${markerFor(item.marker, 1)}\``,
        zh: `${parent ? `“${parent.marker}”下的第一项` : '这一级的第一项'}是“${item.marker}”：请从“${markerFor(item.marker, 1)}”开始编号`,
      });
    }
    open.push({ item, place: continued ? item.value : 1 });
  }
  return problems;
}

const levels: HeadingLevel[] = [0, 1, 2, 3, 4];

const levelExamples: Record<HeadingLevel, string> = {
  0: '第一方面',
  1: '一、',
  2: '（一）',
  3: '1.',
  4: '（1）',
};

/** The marker of the same kind with another number: ("（二）", 3) → "（三）". */
function markerFor(marker: string, value: number): string {
  const chinese = /[〇一二三四五六七八九十百]+/u;
  if (/[0-9]/.test(marker)) return marker.replace(/[0-9]+/, String(value));
  return marker.replace(chinese, chineseNumber(value));
}

/**
 * The numbered items of a body, by scope: the body itself and each block (`:::panel`, `:::glossary`,
 * `::::attachment` …) numbers on its own; an unnumbered heading starts a new scope too. Headings, run-in
 * headings (`**（一）…。**…`) and plain paragraphs ("1. 听取…；") count.
 */
export function numberedScopes(tree: Root): NumberedItem[][] {
  const scopes: NumberedItem[][] = [];
  const walk = (children: RootContent[]) => {
    let scope: NumberedItem[] = [];
    scopes.push(scope);
    for (const node of children) {
      if (node.type === 'containerDirective') {
        walk(node.children);
        continue;
      }
      if (node.type !== 'heading' && node.type !== 'paragraph') continue;
      const item = itemOf(mdastToString(node), firstTextPoint(node));
      if (item) scope.push(item);
      else if (node.type === 'heading') {
        scope = [];
        scopes.push(scope);
      }
    }
  };
  walk(tree.children);
  return scopes.filter((scope) => scope.length > 0);
}

/** Where a node's text starts: its first text node (the marker), else the node. */
function firstTextPoint(node: Nodes): Point | undefined {
  let point: Point | undefined;
  visit(node, 'text', (text) => {
    point = text.position?.start;
    return EXIT;
  });
  const start = point ?? node.position?.start;
  return start ? { line: start.line, column: start.column } : undefined;
}

/** `empty-document`: no text, no blocks and no images after the front matter. */
export function isEmptyBody(tree: Root): boolean {
  let empty = true;
  visit(tree, (node) => {
    const content =
      node.type === 'containerDirective' ||
      node.type === 'image' ||
      node.type === 'imageReference' ||
      ((node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') && node.value.trim() !== '');
    if (content) empty = false;
    return content ? EXIT : undefined;
  });
  return empty;
}

/**
 * The structure rules of a body, as findings on `file`: the numbering, and no `#` heading (the title is a field;
 * a `#` in the body prints as an unstyled heading of the wrong size).
 */
export function checkStructure(tree: Root, file: string): VFileMessage[] {
  const headings = tree.children.flatMap((node) =>
    node.type === 'heading' && node.depth === 1
      ? [finding(file, say.bodyHeading(), { place: node.position?.start, ruleId: ruleIds.bodyHeading, fatal: true })]
      : [],
  );
  return [
    ...headings,
    ...numberedScopes(tree)
      .flatMap(checkNumbering)
      .map((problem) =>
        finding(file, problem.zh ? { en: problem.reason, zh: problem.zh } : problem.reason, {
          place: problem.item.place,
          ruleId: problem.ruleId,
          fatal: true,
        }),
      ),
  ];
}
