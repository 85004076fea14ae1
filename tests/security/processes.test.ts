import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

/**
 * The command as a user runs it (bin/gazette.js, the compiled CLI: `npm run compile` first), stopped by a
 * signal or killed outright: no browser, no temporary folder stays behind. Processes are told apart by a mark
 * in their environment, which Chromium inherits.
 */
const tempDir = useTempDirs('security-processes');
const bin = path.resolve('bin/gazette.js');

/** Processes whose environment carries the mark. */
function marked(mark: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** This tool's temporary folders made by `pid`. */
const foldersOf = (pid: number) =>
  readdirSync(os.tmpdir()).filter((name) => new RegExp(`^gazette-[a-z]+-${pid}-`).test(name));

function start(args: string[], mark: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, GAZETTE_TEST_MARK: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function until(test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));

async function bigIssue(): Promise<string> {
  const body = Array.from({ length: 400 }, (_, index) => `第${index + 1}段，本区工作情况良好，各项任务有序推进。`).join(
    '\n\n',
  );
  return makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource(body) });
}

/** A build of a long issue, started and waited for until paged.js lays it out; its mark and PID. */
async function buildInLayout(purpose: string): Promise<{ child: ChildProcess; mark: string; pid: number }> {
  const mark = `${purpose}-${randomBytes(6).toString('hex')}`;
  const { child, output } = start(['build', await bigIssue(), '-o', await tempDir(), '--no-cache'], mark);
  await until(() => output().includes('paged.js layout'), 60_000);
  return { child, mark, pid: child.pid as number };
}

describe('point 7: kill -9 during layout leaves no browser; the next run removes the temp folders', () => {
  it('Chromium ends with the killed process, and the next command sweeps its folders', async () => {
    const { child, mark, pid } = await buildInLayout('kill9');
    expect(marked(mark).length).toBeGreaterThan(1);
    expect(foldersOf(pid).length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited(child);
    await until(() => marked(mark).length === 0, 10_000);
    const next = start(['check', await bigIssue()], `next-${mark}`);
    await exited(next.child);
    expect(foldersOf(pid)).toEqual([]);
  });
});

describe('point 6: SIGTERM stops the work', () => {
  it('a build stopped by SIGTERM exits soon, with no browser and no temp folder left', async () => {
    const { child, mark, pid } = await buildInLayout('term');
    const stopped = Date.now();
    child.kill('SIGTERM');
    const code = await exited(child);
    expect(code).toBe(130);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    await until(() => marked(mark).length === 0, 10_000);
    expect(foldersOf(pid)).toEqual([]);
  });
});

describe('point 7: Ctrl-C on preview', () => {
  it('leaves no /tmp/gazette-preview-* folder and no browser', async () => {
    const mark = `preview-${randomBytes(6).toString('hex')}`;
    const { child, output } = start(['preview', await bigIssue(), '--port', '0'], mark);
    await until(() => /http:\/\/127\.0\.0\.1:\d+/.test(output()), 60_000);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output())?.[0] as string;
    const pdf = await fetch(`${url}/pdf`);
    expect(pdf.status).toBe(200);
    const pid = child.pid as number;
    expect(foldersOf(pid).some((name) => name.startsWith('gazette-preview-'))).toBe(true);
    child.kill('SIGINT');
    await exited(child);
    await until(() => marked(mark).length === 0, 10_000);
    expect(foldersOf(pid)).toEqual([]);
  });
});
