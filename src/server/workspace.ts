import { createHash } from 'node:crypto';
import { link, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { nextDocumentName, writeFileAtomic } from './gazette.js';
import { documentFile, newEntryName } from './paths.js';

/**
 * What the page changes in an issue folder, which stays the source of truth: the documents' order (issue.yml's
 * `documents`, or the numbers the file names start with), a document's text (saved only over the version the
 * editor started from), a new document. Every write is a temp file renamed into place.
 */

const configName = 'issue.yml';

/** The documents in the order the build takes them: issue.yml's `documents`, else the .md files by name. */
export async function documentOrder(folder: string): Promise<{ names: string[]; listed: boolean }> {
  const config = parseDocument(await readFile(path.join(folder, configName), 'utf8'));
  const listed = config.get('documents');
  if (isSeq(listed))
    return { names: listed.items.map((item) => String((item as { value?: unknown }).value ?? item)), listed: true };
  const names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
  return { names, listed: false };
}

/** Writes the order into issue.yml's `documents` (keeping its comments and the rest as they are). */
async function writeListedOrder(folder: string, names: string[]): Promise<void> {
  const file = path.join(folder, configName);
  const config = parseDocument(await readFile(file, 'utf8'));
  if (!isMap(config.contents)) throw new Error(`${file}: not a map of fields`);
  config.set('documents', config.createNode(names));
  await writeFileAtomic(file, config.toString());
}

/** Serialises writes to one issue folder within this server (the command line's edits are not its to lock). */
const locks = new Map<string, Promise<unknown>>();
export function underLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  locks.set(
    key,
    next.finally(() => {
      if (locks.get(key) === next) locks.delete(key);
    }),
  );
  return next;
}

/**
 * Moves a document one place up (-1) or down (+1). A listed order is rewritten in issue.yml; otherwise the two
 * files swap the numbers their names start with (03-report.md ⇄ 04-resolution.md), or, where a name has no
 * number, the order is written into issue.yml's `documents`.
 */
export async function moveDocument(folder: string, name: string, step: -1 | 1): Promise<string[]> {
  return underLock(folder, async () => {
    const { names, listed } = await documentOrder(folder);
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`${name} 不在本期的文件中`);
    const other = names[index + step];
    if (other === undefined) return names;
    const order = [...names];
    order[index] = other;
    order[index + step] = name;
    const numbered = /^(\d+)([-_.].*)$/;
    const a = numbered.exec(name);
    const b = numbered.exec(other);
    if (listed || !a || !b) {
      await writeListedOrder(folder, order);
      return order;
    }
    const renamedSelf = `${b[1]}${a[2]}`;
    const renamedOther = `${a[1]}${b[2]}`;
    const existing = new Set(await readdir(folder));
    for (const target of [renamedSelf, renamedOther]) {
      if (existing.has(target) && target !== name && target !== other) {
        throw new Error(`不能重新编号：${target} 已存在`);
      }
    }
    const temp = path.join(folder, `.move-${process.pid}-${Date.now()}.md.tmp`);
    await rename(path.join(folder, name), temp);
    try {
      await rename(path.join(folder, other), path.join(folder, renamedOther));
    } catch (error) {
      await rename(temp, path.join(folder, name));
      throw error;
    }
    await rename(temp, path.join(folder, renamedSelf));
    return (await documentOrder(folder)).names;
  });
}

/**
 * A fingerprint of everything in an issue folder (names and bytes of its files, hidden ones aside): what a
 * build or a sign-off was made from.
 */
export async function sourcesFingerprint(folder: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .filter((name) => !name.split(path.sep).some((part) => part.startsWith('.')))
    .sort();
  for (const name of files)
    hash
      .update(`${name}\0`)
      .update(await readFile(path.join(folder, name)))
      .update('\0');
  return hash.digest('hex');
}

/** The version a save must start from: a hash of the file's bytes. */
export function versionOf(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

export async function readDocument(folder: string, name: string): Promise<{ text: string; version: string }> {
  const bytes = await readFile(await documentFile(folder, name));
  return { text: bytes.toString('utf8'), version: versionOf(bytes) };
}

export type SaveOutcome = { saved: true; version: string } | { saved: false; conflictCopy: string; version: string };

/**
 * Saves a document's text, atomically, if the file is still the version the editor started from. Otherwise
 * nothing is overwritten: the text is kept beside it as `<name>.冲突-<user>-<time>.txt` (not a .md, so the build
 * does not take it), and the outcome says so.
 */
export async function saveDocument(
  folder: string,
  name: string,
  text: string,
  baseVersion: string,
  user: string,
  now = new Date(),
): Promise<SaveOutcome> {
  const file = await documentFile(folder, name);
  const normalised = text.replace(/\r\n?/g, '\n');
  return underLock(folder, async () => {
    const current = versionOf(await readFile(file));
    if (current !== baseVersion) {
      const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
      const copy = `${name}.冲突-${user}-${stamp}.txt`;
      await writeFileAtomic(path.join(folder, copy), normalised);
      return { saved: false, conflictCopy: copy, version: current };
    }
    await writeFileAtomic(file, normalised);
    return { saved: true, version: versionOf(normalised) };
  });
}

/**
 * Adds a document as the next file (`NN-<kind>.md`), never over an existing one, and lists it in
 * issue.yml when the issue lists its documents.
 */
export async function addDocument(folder: string, kind: string, text: string): Promise<string> {
  return underLock(folder, async () => {
    const { names, listed } = await documentOrder(folder);
    const name = newEntryName(nextDocumentName([...(await readdir(folder)), ...names], kind as never), '文件');
    const target = path.join(folder, name);
    // Written beside, then linked into place: link() fails rather than replace a file that appeared meanwhile.
    const temp = path.join(folder, `.new-${process.pid}-${Date.now()}.tmp`);
    await writeFileAtomic(temp, text);
    try {
      await link(temp, target);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    if (listed) {
      try {
        await writeListedOrder(folder, [...names, name]);
      } catch (error) {
        await rm(target, { force: true });
        throw error;
      }
    }
    return name;
  });
}
