import type { Element, ElementContent, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import { addClass } from './rehype-headings.js';

const captionPattern = /^表[一二三四五六七八九十百\d]/u;
const notePattern = /^注[：:]/u;

/**
 * Gathers a table with its caption (the paragraph above starting "表一") and its note (the paragraph below
 * starting "注：") into `figure.table-figure`, and marks the rows that continue a row group (first cell
 * empty) so the group prints as one merged cell. The caption also rides on the table as `data-caption`, for
 * the "（续表）" label the page layout adds where the table continues.
 */
export default function rehypeTables() {
  return (tree: Root) => {
    visit(tree, 'element', (node, index, parent) => {
      if (node.tagName !== 'table' || !parent || index === undefined) return;
      if (node.properties.className && String(node.properties.className).includes('name-grid')) return;
      markRowGroups(node);
      alignCells(node);
      const siblings = parent.children;
      const before = previousElement(siblings, index);
      const after = nextElement(siblings, index);
      const caption = before && isParagraph(before.node, captionPattern) ? before : undefined;
      const note = after && isParagraph(after.node, notePattern) ? after : undefined;
      if (caption) node.properties.dataCaption = hastToString(caption.node);
      // role=group: Chromium tags a <figure> as a Figure, which wants alt text; a table with its caption is a Div.
      const figure = h('figure.table-figure', { role: 'group' }, [
        caption
          ? { ...caption.node, properties: { ...caption.node.properties, className: ['table-caption'] } }
          : undefined,
        node,
        note ? { ...note.node, properties: { ...note.node.properties, className: ['table-note'] } } : undefined,
      ]);
      const start = caption ? caption.index : index;
      const end = note ? note.index : index;
      siblings.splice(start, end - start + 1, figure);
      return start + 1;
    });
  };
}

function markRowGroups(table: Element): void {
  visit(table, 'element', (row) => {
    if (row.tagName !== 'tr') return;
    const cells = row.children.filter((child): child is Element => child.type === 'element');
    const first = cells[0];
    if (first?.tagName === 'td' && cells.length > 1 && hastToString(first).trim() === '') {
      addClass(row, 'group-continued');
    }
  });
}

/**
 * GFM's column alignment (`---:`, `:---:`) as a class: the stylesheet's `text-align` for cells would otherwise
 * win over the `align` attribute, a presentational hint.
 */
function alignCells(table: Element): void {
  visit(table, 'element', (cell) => {
    if (cell.tagName !== 'td' && cell.tagName !== 'th') return;
    const align = cell.properties.align;
    if (align !== 'left' && align !== 'right' && align !== 'center') return;
    addClass(cell, `align-${align}`);
  });
}

function isParagraph(node: Element, pattern: RegExp): boolean {
  return node.tagName === 'p' && pattern.test(hastToString(node).trim());
}

type Found = { node: Element; index: number };

function previousElement(siblings: ElementContent[] | Root['children'], index: number): Found | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const node = siblings[i];
    if (node?.type === 'element') return { node, index: i };
    if (node?.type === 'text' && node.value.trim() === '') continue;
    return undefined;
  }
  return undefined;
}

function nextElement(siblings: ElementContent[] | Root['children'], index: number): Found | undefined {
  for (let i = index + 1; i < siblings.length; i++) {
    const node = siblings[i];
    if (node?.type === 'element') return { node, index: i };
    if (node?.type === 'text' && node.value.trim() === '') continue;
    return undefined;
  }
  return undefined;
}
