import type { Root } from 'hast';
import rehypeRaw, { type Options } from 'rehype-raw';
import { EXIT, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * rehype-raw, only on a tree that holds raw HTML: a body without any comes out of parse5 as it went in, and the
 * trip costs a tenth of a second per issue.
 */
export default function rehypeRawWhereNeeded(options?: Options) {
  const parseRaw = rehypeRaw(options);
  return (tree: Root, file: VFile): Root => (holdsRaw(tree) ? parseRaw(tree, file) : tree);
}

function holdsRaw(tree: Root): boolean {
  let found = false;
  visit(
    tree,
    (node) => node.type === 'raw',
    () => {
      found = true;
      return EXIT;
    },
  );
  return found;
}
