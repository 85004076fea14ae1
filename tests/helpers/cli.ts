import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/index.js';
import type { Locale } from '../../src/model/index.js';

/** Runs the CLI in-process as a user would, collecting what it prints and its exit code. */
export async function runCli(
  args: string[],
  cwd = process.cwd(),
  locale: Locale = 'en',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    locale,
    stdout: (line) => {
      stdout += `${line}\n`;
    },
    stderr: (text) => {
      stderr += text;
    },
    logger: {
      progress() {},
      warn: (message) => {
        stderr += `warning: ${message}\n`;
      },
      info: (message) => {
        stderr += `${message}\n`;
      },
    },
  });
  return { code, stdout, stderr };
}

export const issueYml = `publication: 测试区人民代表大会常务委员会公报
issuer: 测试区人民代表大会常务委员会
year: 2024
number: 1
date: 2024-03-15
profile: one-column
meetings:
  - number: 1
    name: 测试区第一届人大常委会第一次会议
    date: 2024-02-28
`;

/** A report's source with the given body (and front matter lines to add). */
export function reportSource(body: string, extra = ''): string {
  return `---\nkind: report\nmeeting: 1\ntitle: 关于测试工作情况的报告\n${extra}---\n\n${body}\n`;
}

/** The temp dirs `makeIssue` made in this test file: removed after it (tests/setup.ts). */
const madeIssues: string[] = [];

export async function removeMadeIssues(): Promise<void> {
  await Promise.all(madeIssues.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes an issue folder with these files (strings or bytes) into a new temp dir; returns the folder. */
export async function makeIssue(files: Record<string, string | Uint8Array>, name = 'test-2024-01'): Promise<string> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'gazette-input-'));
  madeIssues.push(temp);
  const dir = path.join(temp, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}
