import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/** A name from a request that does not lead to a file of the issues folder. */
export class PathRefusedError extends Error {
  override name = 'PathRefusedError';
}

/** An issue's folder name or a document's file name: one plain path segment, no dot first, no separators. */
const segment = /^[^/\\\0]+$/;

function checkSegment(name: string, what: string): void {
  if (!segment.test(name) || name.startsWith('.') || name.length > 200) {
    throw new PathRefusedError(`不接受的${what}名称 ${JSON.stringify(name)}：只能是问题文件夹中的一个文件名`);
  }
}

/**
 * `root/name` when it is a real entry of `root`: no `..`, no separators, and no symbolic link out of it (the
 * resolved path must still lie inside the resolved root).
 */
async function inside(root: string, name: string, what: string): Promise<string> {
  checkSegment(name, what);
  const realRoot = await realpath(root);
  const candidate = path.join(realRoot, name);
  const info = await lstat(candidate).catch(() => undefined);
  if (!info) throw new PathRefusedError(`没有这个${what}：${name}`);
  if (info.isSymbolicLink()) {
    const target = await realpath(candidate).catch(() => '');
    if (path.dirname(target) !== realRoot && !target.startsWith(`${realRoot}${path.sep}`)) {
      throw new PathRefusedError(`${what} ${name} 指向期刊文件夹以外，已拒绝`);
    }
  }
  return candidate;
}

/** The folder of issue `id` in the issues folder. */
export async function issueFolder(issuesDir: string, id: string): Promise<string> {
  const folder = await inside(issuesDir, id, '期');
  if (!(await lstat(await realpath(folder))).isDirectory()) throw new PathRefusedError(`${id} 不是一期的文件夹`);
  return folder;
}

/** The Markdown file `name` of an issue's folder. */
export async function documentFile(folder: string, name: string): Promise<string> {
  if (!name.endsWith('.md')) throw new PathRefusedError(`不接受的文件 ${JSON.stringify(name)}：只能是 .md 文件`);
  const file = await inside(folder, name, '文件');
  if (!(await lstat(await realpath(file))).isFile()) throw new PathRefusedError(`${name} 不是文件`);
  return file;
}

/** A new name in a folder (not yet there): checked like any other, but need not exist. */
export function newEntryName(name: string, what: string): string {
  checkSegment(name, what);
  return name;
}
