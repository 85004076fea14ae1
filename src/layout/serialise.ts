import type { Root, RootContent } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';

const processor = unified().use(rehypeStringify);

/** An HTML tree as HTML text: the unified pipeline's last step (rehype-stringify), as the page gets it. */
export function serialiseHtml(tree: Root | RootContent): string {
  return processor.stringify(tree.type === 'root' ? tree : { type: 'root', children: [tree] });
}
