import type { Root } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { addError, blockAttributes, blockNames, isBlockName, messageSource, ruleIds } from '../../model/index.js';

/**
 * Turns the gazette's block directives (`:::panel{title="…"}` …) into `<div data-block="panel" …>` for the
 * HTML stage, checking names and attributes. Text and leaf directives are not part of the format: an
 * accidental one (`:abc` after a colon) goes back to the text it was written as.
 */
export default function remarkBlocks() {
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent) => {
      if (node.type === 'textDirective' || node.type === 'leafDirective') {
        if (parent && index !== undefined) {
          const text = { type: 'text', value: directiveSource(node, file) } as const;
          // A leaf directive stood on a line of its own: it goes back as a paragraph, not loose text.
          parent.children.splice(
            index,
            1,
            (node.type === 'leafDirective' ? { type: 'paragraph', children: [text] } : text) as never,
          );
        }
        return;
      }
      if (node.type !== 'containerDirective') return;
      checkBlock(node, file);
      const attributes = node.attributes ?? {};
      node.data = {
        hName: 'div',
        hProperties: {
          dataBlock: node.name,
          ...Object.fromEntries(
            Object.entries(attributes).map(([key, value]) => [
              `data${key[0]?.toUpperCase()}${key.slice(1)}`,
              value ?? '',
            ]),
          ),
        },
      };
    });
  };
}

function checkBlock(node: ContainerDirective, file: VFile): void {
  if (!isBlockName(node.name)) {
    addError(file, `Unexpected block \`:::${node.name}\`, expected one of ${blockNames.join(', ')}`, {
      ruleId: ruleIds.unknownBlock,
      place: node.position,
    });
    return;
  }
  const allowed = blockAttributes[node.name];
  const given = node.attributes ?? {};
  for (const key of Object.keys(given)) {
    if (!(key in allowed)) {
      addError(
        file,
        `Unexpected attribute \`${key}\` on \`:::${node.name}\`, expected ${Object.keys(allowed).join(', ') || 'none'}`,
        {
          ruleId: ruleIds.blockAttribute,
          place: node.position,
        },
      );
    }
  }
  for (const [key, required] of Object.entries(allowed)) {
    if (required && !given[key]) {
      addError(file, `Missing attribute \`${key}\` on \`:::${node.name}\``, {
        ruleId: ruleIds.blockAttribute,
        place: node.position,
      });
    }
  }
  if (node.name === 'names' && given.columns !== undefined && given.columns !== null) {
    const columns = Number(given.columns);
    if (!Number.isInteger(columns) || columns < 1 || columns > 12) {
      addError(file, `Unexpected \`columns=${given.columns}\` on \`:::names\`, expected a whole number from 1 to 12`, {
        ruleId: ruleIds.blockAttribute,
        place: node.position,
      });
    }
  }
}

/** The characters a stray text or leaf directive was written with. */
function directiveSource(node: TextDirective | LeafDirective, file: VFile): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start !== undefined && end !== undefined) return String(file.value).slice(start, end);
  file.message('Unexpected directive without position', { place: node.position, source: messageSource });
  return `:${node.name}`;
}
