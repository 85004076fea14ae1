import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';

const tempDir = useTempDirs('outside');

describe('gazette outside the project folder', () => {
  test('build --all where there is no issues/ folder says so and what to do', async () => {
    const cwd = await tempDir();
    const result = await runCli(['build', '--all'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/Missing issue/);
    expect(result.stderr).toContain(`Unexpected --all in ${cwd}: there is no issues/ folder here`);
    expect(result.stderr).toMatch(/run it in the project folder/);
  });

  test('an empty issues/ folder: says it holds no issue', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'issues'));
    const result = await runCli(['build', '--all'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/issues holds no issue/);
  });

  test('the README way onto PATH (a symlink to bin/gazette.js) runs the command from anywhere', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'bin'));
    await symlink(path.resolve('bin/gazette.js'), path.join(dir, 'bin', 'gazette'));
    const run = await promisify(execFile)('gazette', ['--version'], {
      cwd: dir,
      env: { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}` },
    });
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
