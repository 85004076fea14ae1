import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary folders of this tool: `/tmp/gazette-<purpose>-<pid>-XXXXXX`, named by the process that made them.
 * A process killed outright (kill -9, a power cut) cannot remove its own; the next run removes those of
 * processes that are gone (and belong to this user), and an exiting process removes what it still holds.
 */
const pattern = /^gazette-([a-z]+)-(\d+)-[A-Za-z0-9]{6}$/;
const held = new Set<string>();
let swept: Promise<void> | undefined;

/** A new temporary folder for `purpose` ("parts", "preview", "browser"…); stale ones are swept first. */
export async function makeScratchDir(purpose: string): Promise<string> {
  swept ??= sweepStaleScratch().then(() => undefined);
  await swept;
  const dir = await mkdtemp(path.join(os.tmpdir(), `gazette-${purpose}-${process.pid}-`));
  held.add(dir);
  return dir;
}

/** Removes a folder made by `makeScratchDir`. Never throws. */
export async function removeScratchDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
  held.delete(dir);
}

/** Removes, synchronously, every folder this process still holds: for an exit on a signal. */
export function removeHeldScratchSync(): void {
  for (const dir of held) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // a folder still in use by a dying browser: the next run sweeps it
    }
  }
  held.clear();
}

/** Removes the temporary folders of this user's gazette processes that no longer run. */
export async function sweepStaleScratch(tmp = os.tmpdir()): Promise<string[]> {
  const uid = os.userInfo().uid;
  const removed: string[] = [];
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const owner = pattern.exec(name)?.[2];
    if (!owner || Number(owner) === process.pid || isRunning(Number(owner))) continue;
    const dir = path.join(tmp, name);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory() || info.uid !== uid) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The scratch folders of this user's gazette processes in `tmp` (for tests and diagnostics). */
export function listScratch(tmp = os.tmpdir()): string[] {
  return readdirSync(tmp)
    .filter((name) => pattern.test(name))
    .filter((name) => statSync(path.join(tmp, name), { throwIfNoEntry: false })?.uid === os.userInfo().uid);
}
