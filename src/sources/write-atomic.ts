import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never a half-written one: a temp file beside
 * it (unique per process and call, so two builds do not collide), then an atomic rename. On failure the temp
 * file is removed and the old file stays.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeFilesTogether([{ path: target, data }]);
}

/**
 * Writes the outputs of one build so that they are replaced together or not at all: every file goes to a temp
 * file beside its target first; only when all are written are they renamed into place, one after the other
 * (a window of microseconds, against a build's seconds). On failure the temp files are removed and the old
 * outputs stay, all of them.
 */
export async function writeFilesTogether(files: { path: string; data: string | Uint8Array }[]): Promise<void> {
  const temps: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const file of files) {
      current = file.path;
      const dir = path.dirname(file.path);
      await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`Cannot create the output folder ${dir}: ${error.code ?? error.message}`);
      });
      const temp = path.join(dir, `.${path.basename(file.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      temps.push(temp);
      await writeFile(temp, file.data);
    }
    for (const [index, file] of files.entries()) {
      current = file.path;
      await rename(temps[index] as string, file.path);
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    if ((error as Error).message.startsWith('Cannot create')) throw error;
    const target = current;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EROFS'
        ? 'the folder is not writable'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : (error as Error).message;
    throw new Error(`Cannot write ${target}: ${why}`);
  }
}
