import type { Root } from 'hast';
import type { Options as Schema } from 'rehype-sanitize';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { messageSource, ruleIds } from '../../model/index.js';

/**
 * Says what the sanitizer is about to remove from raw HTML (a `<script>`, an `<iframe>`, an `onclick`), as a
 * warning at its place: rehype-sanitize removes silently, and staff should know their text lost something.
 */
export default function rehypeReportUnsafe(schema: Schema) {
  const allowed = new Set(schema.tagNames ?? []);
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node) => {
      const place = node.position;
      if (!place) return; // made by our own plugins, not written in the source
      if (!allowed.has(node.tagName)) {
        file.message(`Removed raw HTML \`<${node.tagName}>\`: not allowed in a gazette source`, {
          place,
          ruleId: ruleIds.rawHtml,
          source: messageSource,
        });
        return;
      }
      for (const key of Object.keys(node.properties)) {
        if (/^on/i.test(key)) {
          file.message(`Removed raw HTML attribute \`${key.toLowerCase()}\` on \`<${node.tagName}>\``, {
            place,
            ruleId: ruleIds.rawHtml,
            source: messageSource,
          });
        }
      }
    });
  };
}
