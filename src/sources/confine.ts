import { constants, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Guards for reading an issue's files: a file of the issue is a regular file whose real path (symbolic links
 * followed) is inside the issue folder's real path. A link to a file elsewhere, a FIFO that would block the
 * read forever, a folder or a link loop is refused with a reason the user can act on.
 */
export class SourceFileError extends Error {
  override name = 'SourceFileError';
}

/** The real path of `target` if it is a regular file inside `root` (both resolved through links); throws otherwise. */
export function fileInside(root: string, target: string, label = target): string {
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(target);
  } catch (error) {
    throw new SourceFileError(describeFsError(error as NodeJS.ErrnoException, label));
  }
  if (!isInside(realRoot, real)) {
    throw new SourceFileError(
      `Unexpected \`${label}\`: it leads outside the issue folder (to ${real}), expected a file inside ${realRoot}`,
    );
  }
  const info = statSync(real);
  if (!info.isFile()) throw new SourceFileError(notAFile(label, info));
  return real;
}

/** Whether `target` is `root` or inside it (both absolute, already resolved). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Reads a regular file without ever blocking on a FIFO or a device: it is opened non-blocking and checked with
 * fstat before anything is read.
 */
export async function readRegularFile(filePath: string, label = filePath): Promise<Buffer> {
  const handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK).catch((error) => {
    throw new SourceFileError(describeFsError(error as NodeJS.ErrnoException, label));
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SourceFileError(notAFile(label, info));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function notAFile(label: string, info: { isDirectory(): boolean; isFIFO(): boolean }): string {
  if (info.isDirectory()) return `Unexpected folder \`${label}\`, expected a file (rename or remove the folder)`;
  const kind = info.isFIFO() ? 'a named pipe (FIFO)' : 'a device or socket';
  return `Unexpected \`${label}\`: it is ${kind}, expected a regular file`;
}

function describeFsError(error: NodeJS.ErrnoException, label: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `Missing file \`${label}\``;
    case 'ELOOP':
      return `Unexpected \`${label}\`: its symbolic links lead round in a loop, expected a file`;
    case 'EISDIR':
      return `Unexpected folder \`${label}\`, expected a file (rename or remove the folder)`;
    case 'EACCES':
    case 'EPERM':
      return `Unexpected \`${label}\`: no permission to read it`;
    default:
      return `Unexpected \`${label}\`: ${error.message}`;
  }
}
