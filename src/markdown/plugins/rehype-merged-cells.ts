import type { Element, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

/** A cell holding only this is merged into the cell on its left (GFM tables have no colspan of their own). */
export const mergedCellMark = '<';

/**
 * Horizontally merged cells: `| 合计 | < | 1200 |` prints "合计" across two columns. Each `<` cell is removed and
 * the cell on its left spans one more column. A `<` with nothing to its left stays as text.
 */
export default function rehypeMergedCells() {
  return (tree: Root) => {
    visit(tree, 'element', (row) => {
      if (row.tagName !== 'tr') return;
      const kept: Element['children'] = [];
      let previous: Element | undefined;
      for (const cell of row.children) {
        const isCell = cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th');
        if (isCell && previous && hastToString(cell).trim() === mergedCellMark) {
          previous.properties.colSpan = Number(previous.properties.colSpan ?? 1) + 1;
          continue;
        }
        if (isCell) previous = cell;
        kept.push(cell);
      }
      row.children = kept;
    });
  };
}
