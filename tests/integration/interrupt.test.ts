import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTempDirs } from '../helpers/fixtures.js';

const fixture = path.resolve('tests/fixtures/issues/mini-2024-01');
const tempDir = useTempDirs('interrupt');

/** The processes under `pid` (its children, theirs…), from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: the command name may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Whether a process still runs (a zombie waiting for its parent to reap it has ended). */
async function running(pids: number[]): Promise<number[]> {
  const states = await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    }),
  );
  return pids.filter((_, index) => states[index]);
}

describe('Ctrl-C during a build', () => {
  it('stops the browser, exits 130, writes no PDF and leaves no temp folder or file behind', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'mini-2024-01');
    const out = path.join(dir, 'out');
    const tmp = path.join(dir, 'tmp');
    await cp(fixture, source, { recursive: true });
    await mkdir(tmp);
    // The command as a user runs it, with its own temp folder so that what it leaves there can be seen.
    const child = spawn(process.execPath, ['bin/gazette.js', 'build', source, '-o', out, '--no-cache'], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let browsers: number[] = [];
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('paged.js layout')) resolve();
      });
      exited.then(() => reject(new Error(`the build ended before its layout: ${stderr}`)));
    });
    // The browser starts beside the reading of the sources: wait until it runs (the layout may be announced first).
    await vi
      .waitUntil(
        async () => {
          browsers = await descendants(child.pid as number);
          return browsers.length > 0;
        },
        {
          timeout: 30_000,
          interval: 50,
        },
      )
      .catch(() => undefined);
    expect(browsers.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const { code } = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('gazette: SIGINT: stopping');
    // The browser's processes end with it (killed, they may take a moment to go).
    await vi
      .waitUntil(async () => (await running(browsers)).length === 0, { timeout: 10_000, interval: 200 })
      .catch(() => undefined);
    expect(await running(browsers)).toEqual([]);
    expect(
      (await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.pdf') || name.endsWith('.tmp')),
    ).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  }, 120_000);
});
