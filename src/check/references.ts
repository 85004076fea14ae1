import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Definition, Root } from 'mdast';
import type { Point } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFileMessage } from 'vfile-message';
import { ruleIds } from '../model/index.js';
import { finding } from './finding.js';

/** A local file a body refers to: `![](figures/1.png)`, or the definition an `![][ref]` uses. */
export interface FileReference {
  url: string;
  /** The path relative to the issue folder, decoded, without `?query` or `#fragment`. */
  target: string;
  place?: Point;
}

/** The local files a body's images refer to (pure): addresses with a scheme (`https:`, `data:`) are not files. */
export function fileReferences(tree: Root): FileReference[] {
  const definitions = new Map<string, Definition>();
  const used = new Set<string>();
  const found: { url: string; place?: Point }[] = [];
  visit(tree, (node) => {
    if (node.type === 'definition') definitions.set(node.identifier, node);
    else if (node.type === 'imageReference') used.add(node.identifier);
    else if (node.type === 'image') found.push({ url: node.url, place: node.position?.start });
  });
  for (const identifier of used) {
    const definition = definitions.get(identifier);
    if (definition) found.push({ url: definition.url, place: definition.position?.start });
  }
  return found.flatMap(({ url, place }) => {
    if (url === '' || /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url)) return [];
    const bare = url.replace(/[?#].*$/, '');
    let target = bare;
    try {
      target = decodeURIComponent(bare);
    } catch {
      // A lone "%": take the address as written.
    }
    return [{ url, target, place: place ? { line: place.line, column: place.column } : undefined }];
  });
}

/**
 * `missing-file`: each referred file must exist, relative to the issue folder. An absolute path or one that
 * climbs out of the folder is the Markdown stage's error (`image-outside-issue`), not reported twice here.
 */
export async function checkReferences(tree: Root, baseDir: string, file: string): Promise<VFileMessage[]> {
  const findings: VFileMessage[] = [];
  for (const reference of fileReferences(tree)) {
    const full = path.resolve(baseDir, reference.target);
    const inside = path.relative(path.resolve(baseDir), full);
    if (path.isAbsolute(reference.target) || inside.startsWith('..') || path.isAbsolute(inside)) continue;
    const exists = await access(full).then(
      () => true,
      () => false,
    );
    if (!exists) {
      findings.push(
        finding(file, `Missing file \`${reference.url}\`, expected it relative to the issue folder`, {
          place: reference.place,
          ruleId: ruleIds.missingFile,
          fatal: true,
        }),
      );
    }
  }
  return findings;
}
