import { readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueYml, makeIssue, reportSource, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/fixtures.js';
import { readPdf } from '../helpers/pdf.js';

/**
 * Values from a source reach the page only through an encoder for their context, and the page runs under a
 * Content-Security-Policy: an issue.yml or a cached layout that carries a script, a WebSocket or CSS does not
 * get it run, opened or applied. A local HTTP/WebSocket server counts every connection the page attempts.
 */
const tempDir = useTempDirs('security-page');
let server: http.Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((_, response) => response.end('x'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const body = '本区工作情况良好。\n\n## 一、基本情况\n\n各项工作有序推进。\n';

async function build(yml: string): Promise<{ code: number; stderr: string; text: string; pdf: string }> {
  const issue = await makeIssue({ 'issue.yml': yml, '01-report.md': reportSource(body) });
  const out = await tempDir();
  const result = await runCli(['build', issue, '-o', out, '--no-cache']);
  const pdf = path.join(out, `${path.basename(issue)}.pdf`);
  const text = result.code === 0 ? (await readPdf(pdf)).pages.map((page) => page.compact).join('\n') : '';
  return { ...result, text, pdf };
}

describe('point 1: values from issue.yml cannot run script or inject CSS', () => {
  it('a runningHead closing the <style> with a <script> and WebSockets runs nothing and opens nothing', async () => {
    connections = 0;
    const script = `const s=new WebSocket("ws://127.0.0.1:${port}/x");document.body.prepend("PW"+"NED")`;
    const yml = `${issueYml}runningHead: '</style><script>${script}</script><style>'\n`;
    const { code, text } = await build(yml);
    expect(code).toBe(0);
    expect(text).not.toContain('PWNED');
    expect(connections).toBe(0);
    // The running head is printed as the text it is, markup and all.
    expect(text).toContain('</style><script>');
  });

  it('a runningHead with a newline cannot close the CSS string and add rules', async () => {
    connections = 0;
    const yml = `${issueYml}runningHead: "公报\\n} .document-title { display: none; background: url(http://127.0.0.1:${port}/css) } a {"\n`;
    const { code, text } = await build(yml);
    expect(code).toBe(0);
    expect(text).toContain('关于测试工作情况的报告');
    // The running head is printed as the text it is, braces and all.
    expect(text).toContain('}document-title{display:none;');
    expect(connections).toBe(0);
  });
});

describe('point 4: the layout cache is authenticated and carries no script', () => {
  it('an edited cache entry (forged text, an injected onerror) is not used', async () => {
    connections = 0;
    const issue = await makeIssue({ 'issue.yml': issueYml, '01-report.md': reportSource(body) });
    const out = await tempDir();
    expect((await runCli(['build', issue, '-o', out])).code).toBe(0);
    const cacheDir = path.join(out, '.cache', path.basename(issue));
    const [entry] = (await readdir(cacheDir)).filter((name) => name.startsWith('part-'));
    const file = path.join(cacheDir, entry as string);
    const forged = (await readFile(file, 'utf8'))
      .replaceAll('各项工作有序推进', '伪造的文字内容')
      .replace('<p', `<img src=x onerror=\\"new WebSocket('ws://127.0.0.1:${port}/cache')\\"><p`);
    await writeFile(file, forged);
    const result = await runCli(['build', issue, '-o', out]);
    expect(result.code).toBe(0);
    const text = (await readPdf(path.join(out, `${path.basename(issue)}.pdf`))).pages
      .map((page) => page.compact)
      .join('');
    expect(text).not.toContain('伪造的文字内容');
    expect(text).toContain('各项工作有序推进');
    expect(connections).toBe(0);
  });
});
