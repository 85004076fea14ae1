import type { Element, ElementContent, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import { type BlockName, isBlockName, padName } from '../../model/index.js';

/**
 * Builds the markup of the gazette's blocks from the `<div data-block>` that remark-blocks left: 专栏 panels,
 * the glossary, attachments, signature blocks, name grids and attendee lists. Pure tree work, see `buildBlock`.
 */
/** An attached letter's opening "区人大常委会：" is its salutation, set flush left as a letter's is. */
function markSalutation(children: ElementContent[]): ElementContent[] {
  const first = children.find((child): child is Element => child.type === 'element');
  if (first?.tagName !== 'p') return children;
  const text = hastToString(first).trim();
  if (text.length > 40 || !/[：:]$/u.test(text)) return children;
  return children.map((child) =>
    child === first ? { ...first, properties: { ...first.properties, className: ['salutation'] } } : child,
  );
}

export default function rehypeBlocks() {
  return (tree: Root) => {
    const found: { node: Element; name: BlockName; parent: Root | Element; index: number }[] = [];
    visit(tree, 'element', (node, index, parent) => {
      const name = node.properties.dataBlock;
      if (typeof name !== 'string' || !isBlockName(name) || !parent || index === undefined) return;
      found.push({ node, name, parent, index });
    });
    // Innermost first: a block inside another (a signature in an attachment) is built before its parent
    // takes its children.
    for (const { node, name, parent, index } of found.reverse()) parent.children[index] = buildBlock(name, node);
  };
}

const property = (node: Element, key: string): string | undefined => {
  const value = node.properties[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const elementChildren = (node: Element): ElementContent[] =>
  node.children.filter((child) => child.type !== 'text' || child.value.trim() !== '');

export function buildBlock(name: BlockName, node: Element): Element {
  const children = elementChildren(node);
  switch (name) {
    case 'panel':
      return h('section.panel', [h('p.panel-title', property(node, 'dataTitle') ?? ''), ...children]);
    case 'glossary':
      return h('section.glossary', [
        h('p.glossary-title', `${property(node, 'dataTitle') ?? '名词解释'}：`),
        ...children,
      ]);
    case 'attachment': {
      const label = property(node, 'dataLabel');
      const title = property(node, 'dataTitle');
      return h('section.attachment', [
        label ? h('p.attachment-label', label) : undefined,
        title ? h('h2.attachment-title', title) : undefined,
        ...markSalutation(children),
      ]);
    }
    case 'signature':
      return h('div.signature', children);
    case 'names':
      return nameGrid(hastToString(node), Number(property(node, 'dataColumns') ?? 6));
    case 'attendees':
      return h(
        'div.attendees',
        children.filter((child): child is Element => child.type === 'element').map(attendeeGroup),
      );
  }
}

/** A grid of names, `columns` a row, two-character names padded to three characters' width. */
export function nameGrid(text: string, requestedColumns: number): Element {
  // remark-blocks reports a bad `columns`; the grid is still built, with a sane count.
  const columns = Number.isInteger(requestedColumns) && requestedColumns >= 1 ? Math.min(requestedColumns, 12) : 6;
  const names = text.split(/[\s、，,]+/u).filter(Boolean);
  const rows: string[][] = [];
  for (let i = 0; i < names.length; i += columns) rows.push(names.slice(i, i + columns));
  return h(
    'table.name-grid',
    h(
      'tbody',
      rows.map((row) =>
        h(
          'tr',
          row.map((name) => h('td', padName(name))),
        ),
      ),
    ),
  );
}

/** "区人民政府：副区长朱众伟" → a label and the names, whose continuation lines hang under the first name. */
function attendeeGroup(paragraph: Element): Element {
  const text = hastToString(paragraph).trim();
  const colon = text.search(/[：:]/u);
  if (colon < 0) return h('p.attendee-group', h('span.attendee-names', text));
  return h('p.attendee-group', [
    h('span.attendee-body', `${text.slice(0, colon)}：`),
    h('span.attendee-names', text.slice(colon + 1).trim()),
  ]);
}
