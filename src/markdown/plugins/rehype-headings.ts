import type { Element, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import { type HeadingLevel, headingLevelOf } from '../../model/index.js';

const headingTags = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Gives headings the class of their level, told by the numbering marker (一、 → `heading-l1` 黑体,
 * （一） → `heading-l2` 楷体, …) and else by the Markdown depth. A paragraph that opens with a bold numbered
 * sentence (`**（一）…。**text`) is a run-in heading: `p.run-in` with `strong.run-in-l2`.
 */
export default function rehypeHeadings() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (headingTags.has(node.tagName) && !hasClass(node, 'attachment-title')) {
        const depthLevel = Math.min(4, Number(node.tagName.slice(1)) - 1) as HeadingLevel;
        const level = headingLevelOf(hastToString(node)) ?? depthLevel;
        addClass(node, `heading-l${level}`);
        if (level === 3) tightenMarker(node);
        return;
      }
      if (node.tagName === 'p') {
        const first = node.children.find((child) => child.type !== 'text' || child.value.trim() !== '');
        if (first?.type !== 'element' || first.tagName !== 'strong') return;
        const level = headingLevelOf(hastToString(first));
        if (level === undefined) return;
        addClass(node, 'run-in');
        addClass(first, `run-in-l${level}`);
        if (level === 3) tightenMarker(first);
      }
    });
  };
}

/** "1. 完善机制" → "1.完善机制": GB/T 9704 sets no space after an arabic numeral's point. */
function tightenMarker(node: Element): void {
  let done = false;
  visit(node, 'text', (text) => {
    if (done) return false;
    if (text.value.trim() === '') return;
    text.value = text.value.replace(/^(\s*\d+[.．])[ \t\u3000]+/u, '$1');
    done = true;
    return false;
  });
}

export function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className;
  return Array.isArray(classes) && classes.includes(name);
}

export function addClass(node: Element, name: string): void {
  const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
  if (!classes.includes(name)) node.properties.className = [...classes, name];
}
