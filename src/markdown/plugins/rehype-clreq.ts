import type { Element, ElementContent, Root, Text } from 'hast';
import { visit } from 'unist-util-visit';
import { gluedText, glueSpans, mergeSpans, widowSpan } from '../../model/index.js';

/**
 * Chinese line breaking (clreq) where Chromium needs help: the stretches `glueSpans` finds ("——" with the
 * character before it, "……", "·" in names, "/") and the last two characters of every paragraph, heading and table cell
 * (so none ends on a line with a single character) go into `<span class="nobr">`, which the styles keep on one line.
 */
const widowed = new Set(['p', 'td', 'th', 'h2', 'h3', 'h4', 'h5', 'h6']);

export default function rehypeClreq() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (widowed.has(node.tagName)) markWidow(node);
    });
    visit(tree, 'text', (node, index, parent) => {
      if (!parent || index === undefined || isNobr(parent)) return;
      const extra = (node.data as { widow?: [number, number] } | undefined)?.widow;
      const spans = mergeSpans([...glueSpans(node.value), ...(extra ? [extra] : [])]);
      if (spans.length === 0) return;
      const pieces = gluedText(node.value, spans) as ElementContent[];
      parent.children.splice(index, 1, ...pieces);
      return index + pieces.length;
    });
  };
}

/** Finds the text node holding the paragraph's last two letters and records the stretch on it. */
function markWidow(paragraph: Element): void {
  const texts: Text[] = [];
  visit(paragraph, 'text', (node) => {
    texts.push(node);
  });
  const last = texts.at(-1);
  if (!last) return;
  const span = widowSpan(last.value);
  // With fewer than two letters in the last text node (a paragraph ending in bold, say), leave it: the
  // inline element boundary is a rare case and gluing across it would need a span around elements.
  if (span) last.data = { ...last.data, widow: span } as Text['data'];
}

function isNobr(node: Root | Element): boolean {
  return (
    node.type === 'element' && Array.isArray(node.properties.className) && node.properties.className.includes('nobr')
  );
}
