import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { addError, ruleIds } from '../../model/index.js';
import { fileInside, SourceFileError } from '../../sources/confine.js';

export interface Options {
  /** The issue folder: images must be inside it. */
  baseDir: string;
}

declare module 'vfile' {
  interface DataMap {
    /** Absolute paths of the images a document shows (the renderer may load these and nothing else). */
    images: string[];
  }
}

/**
 * Images are files of the issue: a path relative to the document, inside the issue folder. A remote URL is
 * refused (the build never fetches anything), as is an absolute path or one that climbs out of the folder;
 * an allowed path becomes the file:// URL the renderer loads, and is listed in `file.data.images`.
 * Whether the file exists is the sources check's job (`gazette check`, rule missing-file).
 */
export default function rehypeImages(options: Options) {
  const baseDir = path.resolve(options.baseDir);
  return (tree: Root, file: VFile) => {
    const images: string[] = [];
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'img') return;
      const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : '';
      const place = node.position;
      if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(src) && !src.startsWith('file:')) {
        addError(
          file,
          `Unexpected remote image \`${src}\`, expected a file in the issue folder: the build never fetches from the network`,
          {
            ruleId: ruleIds.remoteImage,
            place,
          },
        );
        return;
      }
      const decoded = decodeAddress(src);
      if (decoded === undefined) {
        addError(file, `Unexpected image address \`${src}\`: its %-escapes are malformed, expected a file name`, {
          ruleId: ruleIds.imageOutsideIssue,
          place,
        });
        return;
      }
      const target =
        src.startsWith('file:') || path.isAbsolute(decoded)
          ? undefined
          : path.resolve(path.dirname(path.resolve(file.path)), decoded);
      if (!target || !(target === baseDir || target.startsWith(`${baseDir}${path.sep}`))) {
        addError(
          file,
          `Unexpected image path \`${src}\` outside the issue folder, expected a path relative to the document inside ${baseDir}`,
          {
            ruleId: ruleIds.imageOutsideIssue,
            place,
          },
        );
        return;
      }
      // The file itself, links followed: a link to a file elsewhere is as outside as `../`; a missing file
      // (a raw <img> the check's Markdown pass does not see) would print as a broken image.
      try {
        fileInside(baseDir, target, src);
      } catch (error) {
        if (!(error instanceof SourceFileError)) throw error;
        const missing = error.message.startsWith('Missing');
        addError(
          file,
          missing ? `Missing image file \`${src}\`, expected it relative to the document` : error.message,
          {
            ruleId: missing ? ruleIds.missingFile : ruleIds.imageOutsideIssue,
            place,
          },
        );
        return;
      }
      node.properties.src = pathToFileURL(target).href;
      images.push(target);
    });
    file.data.images = images;
  };
}

/** The file path an image address names (%-escapes decoded, `?query` and `#fragment` dropped), or undefined. */
function decodeAddress(src: string): string | undefined {
  try {
    return decodeURIComponent(src.replace(/[?#].*$/, ''));
  } catch {
    return undefined;
  }
}
