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

/** A cell that holds a number only: an amount, a percentage, a count, with its unit ("119.77亿元", "-9.90%"). */
const numericCell =
  /^[<>≤≥＜＞﹤﹥]?[+\-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|‰|[万亿]?元|万|亿|个|家|户|人|件|项|次|张|吨|[万]?平方米|公里)?$/u;

/** A cell that says "no figure" ("-", "—", "/"): it leaves its column's kind open, as an empty one does. */
const noFigure = /^[-—–/／]$/u;

/**
 * GFM's column alignment (`---:`, `:---:`) as a class: the stylesheet's `text-align` for cells would otherwise
 * win over the `align` attribute, a presentational hint. A column the source leaves unaligned whose body cells
 * all hold numbers is set flush right (figures read down their units); its header stays centred.
 */
function alignCells(table: Element): void {
  const numeric = numericColumns(table);
  visit(table, 'element', (cell, index, row) => {
    if (cell.tagName !== 'td' && cell.tagName !== 'th') return;
    const align = cell.properties.align;
    if (align === 'left' || align === 'right' || align === 'center') addClass(cell, `align-${align}`);
    else if (cell.tagName === 'td' && row && index !== undefined && numeric.has(columnOf(row as Element, cell)))
      addClass(cell, 'align-right');
  });
}

/** The columns (by index, counting spans) whose body cells, those with a figure, are all numbers. */
function numericColumns(table: Element): Set<number> {
  const seen = new Map<number, boolean>();
  visit(table, 'element', (cell, _index, row) => {
    if (cell.tagName !== 'td' || !row) return;
    const text = hastToString(cell).trim();
    if (text === '' || noFigure.test(text)) return;
    const column = columnOf(row as Element, cell);
    seen.set(column, (seen.get(column) ?? true) && numericCell.test(text));
  });
  return new Set([...seen].filter(([, all]) => all).map(([column]) => column));
}

function columnOf(row: Element, cell: Element): number {
  let column = 0;
  for (const child of row.children) {
    if (child === cell) return column;
    if (child.type === 'element') column += Number(child.properties.colSpan ?? 1) || 1;
  }
  return column;
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
