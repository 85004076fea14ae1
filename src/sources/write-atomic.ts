import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never a half-written one: a temp file beside
 * it (unique per process and call, so two builds do not collide), then an atomic rename. On failure the temp
 * file is removed and the old file stays.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot create the output folder ${dir}: ${error.code ?? error.message}`);
  });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
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
